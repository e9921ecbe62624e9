"""Demo data for the rest of the programme (#8) in the demo province: departments and pairings,
grassroots teams, training, headquarters and equipment, casualties and commendations, requests."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from cax.units.models import Unit

# In dependency order: departments first (requests are assigned to them), teams before training.
LOADERS = [
    "cax.pairing.demo.load_demo",
    "cax.grassroots.demo.load_demo",
    "cax.training.demo.load_demo",
    "cax.facilities.demo.load_demo",
    "cax.honours.demo.load_demo",
    "cax.petitions.demo.load_demo",
]


class Command(BaseCommand):
    help = "Dữ liệu mẫu của tỉnh demo: tổ bảo vệ ANTT, trụ sở, kiến nghị, khen thưởng, đào tạo (không tạo trùng)."

    def add_arguments(self, parser):
        parser.add_argument("--unit", default="51", help="Mã tỉnh demo (mặc định 51)")

    def handle(self, *args, **options):
        province = Unit.objects.current().get(code=options["unit"])
        for dotted in LOADERS:
            with transaction.atomic():
                import_string(dotted)(province=province)
            self.stdout.write(f"{dotted.split('.')[1]}: ok")
