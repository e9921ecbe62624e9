from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cax.core.imports import template_xlsx
from cax.personnel.imports import KINDS
from cax.units.imports import COLUMNS as UNIT_COLUMNS

TEMPLATES = {"units": UNIT_COLUMNS, **KINDS}


class Command(BaseCommand):
    help = "Ghi tệp mẫu nhập dữ liệu (units, officers, postings) ra đĩa."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(TEMPLATES))
        parser.add_argument("--output", type=Path, help="Tên tệp (mặc định mau-nhap-KIND.xlsx)")

    def handle(self, *args, **options):
        path = options["output"] or Path(f"mau-nhap-{options['kind']}.xlsx")
        if path.exists():
            raise CommandError(f"{path} đã tồn tại; chọn tên khác bằng --output")
        path.write_bytes(template_xlsx(TEMPLATES[options["kind"]]))
        self.stdout.write(str(path))
