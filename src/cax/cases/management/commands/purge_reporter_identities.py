import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from cax.cases.services import cases_purge_reporter_identities
from cax.core.context import request_context


class Command(BaseCommand):
    help = (
        "Xoá danh tính người báo tin của nguồn tin đã giải quyết xong quá thời hạn lưu trữ "
        "(CAX_REPORTER_RETENTION_YEARS)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=settings.CAX_REPORTER_RETENTION_YEARS)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options):
        cutoff = timezone.now() - dt.timedelta(days=round(365.25 * options["years"]))
        with request_context():
            count = cases_purge_reporter_identities(actor=None, finished_before=cutoff, dry_run=options["dry_run"])
        verb = "Sẽ xoá" if options["dry_run"] else "Đã xoá"
        self.stdout.write(f"{verb} danh tính người báo tin của {count} nguồn tin (kết thúc trước {cutoff:%d/%m/%Y}).")
