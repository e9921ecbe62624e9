from django.core.management.base import BaseCommand

from cax.reports.models import ReportForm, Submission
from cax.reports.services import bucket_of, rollup_rebuild


class Command(BaseCommand):
    help = "Tính lại bảng tổng hợp (roll-up) từ số liệu gốc, theo từng tháng; dùng để sửa chữa, không cần chạy định kỳ."

    def add_arguments(self, parser):
        parser.add_argument("--form", help="Mã biểu mẫu (mặc định: tất cả)")

    def handle(self, *args, form=None, **options):
        forms = ReportForm.objects.filter(code=form) if form else ReportForm.objects.all()
        for report_form in forms:
            starts = Submission.objects.filter(form=report_form).dates("period_start", "month")
            buckets = sorted(
                {bucket_of(report_form, d) for d in starts}
                if report_form.periodicity == "daily"
                else set(Submission.objects.filter(form=report_form).values_list("period_start", flat=True))
            )
            written = 0
            for bucket in buckets:
                written += rollup_rebuild(form=report_form, unit_ids=None, first_bucket=bucket, last_bucket=bucket)
            self.stdout.write(f"{report_form.code}: {len(buckets)} kỳ/tháng, {written} ô tổng hợp.")
