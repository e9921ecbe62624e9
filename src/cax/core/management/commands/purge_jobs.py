"""Finished background jobs, the queue's finished rows and old import files (issue 16.1, 16.6).

The worker runs this every day as the ``core.purge`` job (``CAX_JOB_DAILY``); by hand it is
``./cax manage purge_jobs``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from cax.core import jobs


class Command(BaseCommand):
    help = "Xoá công việc nền đã xong và lô nhập dữ liệu (cùng tệp) cũ hơn CAX_JOB_RETENTION_DAYS ngày."

    def handle(self, *args, **options):
        purged = jobs.purge_finished()
        self.stdout.write(
            f"Giữ {settings.CAX_JOB_RETENTION_DAYS} ngày: xoá {purged['jobs']} công việc, "
            f"{purged['tasks']} dòng hàng đợi, {purged['batches']} lô nhập."
        )
