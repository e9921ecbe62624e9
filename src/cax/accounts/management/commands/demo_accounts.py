from django.core.management.base import BaseCommand

from cax.accounts.demo import create_demo_accounts
from cax.core.context import request_context


class Command(BaseCommand):
    help = "Tạo một tài khoản demo cho mỗi vai trò (chỉ in mật khẩu khi vừa tạo)."

    def handle(self, *args, **options):
        with request_context():
            logins = create_demo_accounts()
        if not logins:
            self.stdout.write(
                "Tài khoản demo đã có sẵn (mật khẩu chỉ in một lần khi tạo; đặt lại: ./cax manage changepassword TÊN)."
            )
            return
        self.stdout.write(self.style.WARNING("Tài khoản demo (mật khẩu chỉ hiện MỘT LẦN, hãy lưu lại):"))
        for login in logins:
            self.stdout.write(f"  {login.username:<14} {login.password:<14} {login.role} — {login.unit}")
