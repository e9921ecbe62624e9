from cax.core.management import ImportCommand
from cax.personnel.imports import officers_import


class Command(ImportCommand):
    help = "Nhập hồ sơ cán bộ từ XLSX/CSV (tiêu đề tiếng Việt), cập nhật theo số hiệu. Tất cả hoặc không."
    importer = staticmethod(officers_import)
