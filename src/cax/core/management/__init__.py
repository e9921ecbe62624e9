"""Base for import commands: ``./cax import KIND FILE [--dry-run]`` prints every error by row and column."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cax.core.context import request_context
from cax.core.exceptions import DomainError
from cax.core.imports import ImportRejected


class ImportCommand(BaseCommand):
    importer = None  # set by each command: importer(actor=, filename=, content=, dry_run=)

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra và xem trước, không ghi")
        parser.add_argument("--as-user", help="Ghi nhật ký dưới tên người dùng này (mặc định: system)")

    def handle(self, *args, **options):
        User = get_user_model()  # noqa: N806 — core names no app (issue 15.2)

        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Không có tệp {path}")
        actor = None
        if options["as_user"]:
            actor = User.objects.select_related("unit").filter(username=options["as_user"]).first()
            if actor is None:
                raise CommandError(f"Không có người dùng {options['as_user']}")
        with request_context():
            try:
                result = self.importer(
                    actor=actor, filename=path.name, content=path.read_bytes(), dry_run=options["dry_run"]
                )
            except ImportRejected as exc:
                for error in exc.errors:
                    self.stderr.write(str(error))
                raise CommandError(exc.message) from exc
            except DomainError as exc:
                raise CommandError(exc.message) from exc
        mode = "XEM TRƯỚC (không ghi)" if result.dry_run else "ĐÃ NHẬP"
        self.stdout.write(
            self.style.SUCCESS(
                f"{mode}: {result.created} tạo mới, {result.updated} cập nhật, {result.unchanged} không đổi."
            )
        )
        if result.ignored_headers:
            self.stdout.write(f"Bỏ qua các cột: {', '.join(result.ignored_headers)}")
