from cax.core.management import ImportCommand
from cax.units.imports import units_import


class Command(ImportCommand):
    help = "Nhập cây đơn vị từ tệp XLSX/CSV (mã, tên, loại, mã cấp trên, thuộc tính). Tất cả hoặc không."
    importer = staticmethod(units_import)
