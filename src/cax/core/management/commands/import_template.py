from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from cax.core.imports import template_xlsx
from cax.core.registry import registry


class Command(BaseCommand):
    help = "Ghi tệp mẫu nhập dữ liệu (units, officers, postings, …) ra đĩa."

    def add_arguments(self, parser):
        # Every import an app registered (core.registry), so a new one needs no change here.
        parser.add_argument("kind", choices=sorted(k.kind for k in registry.imports))
        parser.add_argument("--output", type=Path, help="Tên tệp (mặc định mau-nhap-KIND.xlsx)")

    def handle(self, *args, **options):
        path = options["output"] or Path(f"mau-nhap-{options['kind']}.xlsx")
        if path.exists():
            raise CommandError(f"{path} đã tồn tại; chọn tên khác bằng --output")
        kind = next(k for k in registry.imports if k.kind == options["kind"])
        path.write_bytes(template_xlsx(import_string(kind.columns)))
        self.stdout.write(str(path))
