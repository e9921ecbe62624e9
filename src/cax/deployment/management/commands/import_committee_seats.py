from cax.core.management import ImportCommand
from cax.deployment.imports import committee_seats_import


class Command(ImportCommand):
    help = "Nhập cấp ủy viên (BCH Đảng bộ xã, BTV Đảng ủy xã) từ XLSX/CSV. Tất cả hoặc không."
    importer = staticmethod(committee_seats_import)
