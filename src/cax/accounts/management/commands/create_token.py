from django.core.management.base import BaseCommand, CommandError

from cax.accounts.models import User
from cax.accounts.services import token_create
from cax.core.context import request_context


class Command(BaseCommand):
    help = "Tạo mã truy cập API cá nhân cho một người dùng; mã chỉ in ra một lần."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="command line")

    def handle(self, *args, **options):
        user = User.objects.select_related("unit").filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Không có người dùng {options['username']}")
        if not user.is_active:
            raise CommandError(f"Tài khoản {user.username} đang bị khoá")
        with request_context():
            _token, raw = token_create(actor=None, user=user, name=options["name"])
        self.stdout.write(raw)
