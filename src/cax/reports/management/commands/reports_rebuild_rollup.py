from django.core.management.base import BaseCommand
from django.db import transaction

from cax.core import jobs
from cax.reports.services import rollup_rebuild_all


class Command(BaseCommand):
    help = "Tính lại bảng tổng hợp (roll-up) từ số liệu gốc, theo từng tháng; dùng để sửa chữa, không cần chạy định kỳ."

    def add_arguments(self, parser):
        parser.add_argument("--form", help="Mã biểu mẫu (mặc định: tất cả)")
        parser.add_argument("--enqueue", action="store_true", help="Giao cho tiến trình nền (./cax worker)")

    def handle(self, *args, form=None, enqueue=False, **options):
        if enqueue:
            job = jobs.enqueue("reports.rebuild_rollup", params={"form": form or ""})
            self.stdout.write(f"Đã giao cho tiến trình nền: {job.uuid}")
            return
        with transaction.atomic():
            outcome = rollup_rebuild_all(form_code=form)
        for code, (buckets, written) in outcome.items():
            self.stdout.write(f"{code}: {buckets} kỳ/tháng, {written} ô tổng hợp.")
