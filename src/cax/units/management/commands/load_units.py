import datetime as dt

from django.core.management.base import BaseCommand

from cax.core.context import request_context
from cax.units.official import load_official_units


class Command(BaseCommand):
    help = "Nạp cây đơn vị chính thức hiện hành (34 tỉnh, 3.321 đơn vị cấp xã) từ gói vietnam-provinces."

    def add_arguments(self, parser):
        parser.add_argument(
            "--valid-from",
            type=dt.date.fromisoformat,
            default=dt.date(2025, 7, 1),
            help="Ngày hiệu lực của danh mục (mặc định 2025-07-01, chính quyền hai cấp)",
        )

    def handle(self, *args, **options):
        with request_context(f"load_units-{dt.datetime.now():%Y%m%d%H%M%S}"):
            summary = load_official_units(valid_from=options["valid_from"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Đơn vị: {summary.created} tạo mới, {summary.updated} cập nhật, {summary.unchanged} không đổi."
            )
        )
