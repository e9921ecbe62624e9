"""Create (or repair) the PostgreSQL owner and app roles of docs/deploy.md "Database roles"."""

import os

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cax.core.dbroles import protected_tables, setup_sql


class Command(BaseCommand):
    help = (
        "Tạo hai vai trò PostgreSQL: vai trò sở hữu (CAX_DB_OWNER_USER, chạy migrate, sở hữu mọi bảng) và "
        "vai trò ứng dụng (CAX_DB_USER, chỉ SELECT/INSERT trên các nhật ký). Kết nối bằng một siêu người "
        "dùng (--admin-user, mật khẩu trong CAX_DB_ADMIN_PASSWORD), hoặc in SQL để chạy bằng psql (--print-sql)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--admin-user", default="postgres", help="Siêu người dùng để kết nối (mặc định postgres)")
        parser.add_argument("--admin-host", default=None, help="Máy chủ (mặc định CAX_DB_HOST; rỗng: Unix socket)")
        parser.add_argument("--print-sql", action="store_true", help="Chỉ in các câu lệnh SQL, không kết nối")

    def handle(self, *args, **options):
        database = settings.DATABASES["default"]
        if not database["ENGINE"].endswith("postgresql"):
            raise CommandError("setup_db_roles chỉ dùng với PostgreSQL (CAX_DB=postgres).")
        if not settings.CAX_DB_OWNER_USER:
            raise CommandError("Chưa đặt CAX_DB_OWNER_USER (vai trò sở hữu các bảng).")
        try:
            statements = setup_sql(
                database=database["NAME"],
                owner=settings.CAX_DB_OWNER_USER,
                owner_password=settings.CAX_DB_OWNER_PASSWORD,
                app=database["USER"],
                app_password=database["PASSWORD"],
                protected=protected_tables(),
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if options["print_sql"]:
            self.stdout.write(";\n".join(statements) + ";")
            return
        host = database["HOST"] if options["admin_host"] is None else options["admin_host"]
        params = {"dbname": database["NAME"], "user": options["admin_user"], "port": database["PORT"] or None}
        if host:
            params["host"] = host
        if os.environ.get("CAX_DB_ADMIN_PASSWORD"):
            params["password"] = os.environ["CAX_DB_ADMIN_PASSWORD"]
        try:
            with psycopg.connect(**params) as connection, connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        except psycopg.Error as exc:
            raise CommandError(f"Không tạo được vai trò: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Vai trò sở hữu {settings.CAX_DB_OWNER_USER} và vai trò ứng dụng {database['USER']} đã sẵn sàng "
                f"trên cơ sở dữ liệu {database['NAME']}. Chạy tiếp: ./cax manage migrate"
            )
        )
