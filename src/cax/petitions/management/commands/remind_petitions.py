from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from cax.core import jobs
from cax.petitions.services import remind_overdue


class Command(BaseCommand):
    help = (
        "Nhắc các phòng trả lời kiến nghị quá hạn; không nhắc lại trong N ngày. Tiến trình nền (./cax worker) "
        "tự chạy hằng ngày theo CAX_JOB_DAILY; lệnh này để chạy tay."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=int,
            default=settings.CAX_PETITION_REMIND_EVERY_DAYS,
            help="Số ngày tối thiểu giữa hai lần nhắc (mặc định CAX_PETITION_REMIND_EVERY_DAYS)",
        )
        parser.add_argument("--enqueue", action="store_true", help="Giao cho tiến trình nền thay vì chạy ngay")

    def handle(self, *args, **options):
        if options["enqueue"]:
            job = jobs.enqueue("petitions.remind", params={"every": options["every"]})
            self.stdout.write(f"Đã giao cho tiến trình nền: {job.uuid}")
            return
        with transaction.atomic():
            reminded = remind_overdue(today=timezone.localdate(), every_days=options["every"])
        for petition in reminded:
            self.stdout.write(
                f"#{petition.pk} {petition.unit.name} → {petition.assigned_department.name}, "
                f"hạn {petition.due_on:%d/%m/%Y}, nhắc lần {petition.reminders}"
            )
        self.stdout.write(f"{len(reminded)} kiến nghị đã nhắc.")
