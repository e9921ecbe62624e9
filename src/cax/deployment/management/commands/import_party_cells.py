from cax.core.management import ImportCommand
from cax.deployment.imports import party_cells_import


class Command(ImportCommand):
    help = "Nhập chi bộ Công an xã (mã đơn vị, ngày thành lập, số hiệu bí thư) từ XLSX/CSV. Tất cả hoặc không."
    importer = staticmethod(party_cells_import)
