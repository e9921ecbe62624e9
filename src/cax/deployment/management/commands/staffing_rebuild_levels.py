from django.core.management.base import BaseCommand
from django.db import transaction

from cax.core import jobs
from cax.deployment.levels import rebuild


class Command(BaseCommand):
    help = (
        "Tính lại số liệu biên chế theo ngày (StaffingLevel) từ các quyết định bố trí; dùng để sửa chữa "
        "(sau khi ghi thẳng vào cơ sở dữ liệu), không cần chạy định kỳ."
    )

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Giao cho tiến trình nền (./cax worker)")

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            job = jobs.enqueue("deployment.rebuild_levels", params={})
            self.stdout.write(f"Đã giao cho tiến trình nền: {job.uuid}")
            return
        with transaction.atomic():
            written = rebuild()
        self.stdout.write(f"Đã tính lại {written} dòng số liệu biên chế.")
