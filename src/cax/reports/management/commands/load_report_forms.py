from django.core.management.base import BaseCommand, CommandError

from cax.core.context import request_context
from cax.core.exceptions import DomainError
from cax.reports.standard import load_form_versions, load_standard_forms, read_versions_file


class Command(BaseCommand):
    help = (
        "Tạo bộ biểu mẫu báo cáo chuẩn (ngày, tuần, tháng) và các phiên bản trước 01/07/2025 nếu chưa có; "
        "không sửa biểu mẫu, phiên bản đã có. --versions TỆP nạp thêm phiên bản từ một tệp JSON cùng định dạng."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--versions", help="Tệp JSON các phiên bản biểu mẫu (như reports/data/versions-before-2025.json)"
        )

    def handle(self, *args, **options):
        with request_context():
            try:
                created = load_standard_forms()
                self.stdout.write(self.style.SUCCESS(f"Biểu mẫu chuẩn: {created} tạo mới."))
                if options["versions"]:
                    added = load_form_versions(read_versions_file(options["versions"]))
                    self.stdout.write(self.style.SUCCESS(f"Phiên bản biểu mẫu: {added} tạo mới."))
            except DomainError as exc:
                raise CommandError(exc.message) from exc
