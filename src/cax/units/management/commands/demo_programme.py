"""Demo data for the rest of the programme (#8) in the demo province: departments and pairings,
grassroots teams, training, headquarters and equipment, casualties and commendations, requests.

Each app registers its loader in ``core.registry`` with its place in the dependency order
(departments first: requests are assigned to them; teams before training)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from cax.core.registry import registry
from cax.units.models import Unit


class Command(BaseCommand):
    help = "Dữ liệu mẫu của tỉnh demo: tổ bảo vệ ANTT, trụ sở, kiến nghị, khen thưởng, đào tạo (không tạo trùng)."

    def add_arguments(self, parser):
        parser.add_argument("--unit", default="51", help="Mã tỉnh demo (mặc định 51)")

    def handle(self, *args, **options):
        province = Unit.objects.current().get(code=options["unit"])
        for loader in registry.demo_loaders:
            with transaction.atomic():
                import_string(loader.dotted)(province=province)
            self.stdout.write(f"{loader.dotted.split('.')[1]}: ok")
