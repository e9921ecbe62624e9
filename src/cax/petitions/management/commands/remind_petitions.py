from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from cax.petitions.services import remind_overdue


class Command(BaseCommand):
    help = "Nhắc các phòng trả lời kiến nghị quá hạn (chạy hằng ngày); không nhắc lại trong N ngày."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=7, help="Số ngày tối thiểu giữa hai lần nhắc (mặc định 7)")

    def handle(self, *args, **options):
        with transaction.atomic():
            reminded = remind_overdue(today=timezone.localdate(), every_days=options["every"])
        for petition in reminded:
            self.stdout.write(
                f"#{petition.pk} {petition.unit.name} → {petition.assigned_department.name}, "
                f"hạn {petition.due_on:%d/%m/%Y}, nhắc lần {petition.reminders}"
            )
        self.stdout.write(f"{len(reminded)} kiến nghị đã nhắc.")
