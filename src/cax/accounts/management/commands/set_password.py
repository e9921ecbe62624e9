import getpass
import secrets

from django.core.management.base import BaseCommand, CommandError

from cax.accounts.models import User
from cax.accounts.services import user_set_password
from cax.core.context import request_context
from cax.core.exceptions import DomainError


class Command(BaseCommand):
    help = "Đặt mật khẩu mới cho một tài khoản (ghi vào nhật ký thay đổi)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--generate", action="store_true", help="Sinh mật khẩu ngẫu nhiên và in ra một lần")

    def handle(self, *args, **options):
        user = User.objects.select_related("unit").filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Không có người dùng {options['username']}")
        if options["generate"]:
            password = secrets.token_urlsafe(12)
        else:
            password = getpass.getpass("Mật khẩu mới: ")
            if password != getpass.getpass("Nhập lại: "):
                raise CommandError("Hai lần nhập không khớp.")
        with request_context():
            try:
                user_set_password(actor=None, user=user, password=password)
            except DomainError as exc:
                raise CommandError(exc.message) from exc
        self.stdout.write(password if options["generate"] else "Đã đặt mật khẩu.")
