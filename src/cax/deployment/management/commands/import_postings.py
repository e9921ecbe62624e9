from cax.core.management import ImportCommand
from cax.deployment.imports import postings_import


class Command(ImportCommand):
    help = "Nhập quyết định bố trí cán bộ từ XLSX/CSV. Tất cả hoặc không."
    importer = staticmethod(postings_import)
