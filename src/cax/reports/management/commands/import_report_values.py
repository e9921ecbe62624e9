from cax.core.management import ImportCommand
from cax.reports.exchange import import_values


class Command(ImportCommand):
    help = "Nhập số liệu báo cáo (dataValueSets CSV/JSON): ./cax import report_values FILE [--dry-run]"
    importer = staticmethod(import_values)
