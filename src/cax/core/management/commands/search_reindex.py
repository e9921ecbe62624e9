"""Rebuild the one search's index (core.search): after a bulk load that bypassed the models' saves
(the official unit tree), or when a source changes what it indexes."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from cax.core import search


class Command(BaseCommand):
    help = "Dựng lại chỉ mục tìm kiếm chung (mọi loại, hoặc các loại --kind)."

    def add_arguments(self, parser):
        parser.add_argument("--kind", action="append", default=[], help="chỉ loại này (units, officers, …)")

    def handle(self, *args, **options):
        written = search.reindex(options["kind"] or None)
        for kind, count in written.items():
            self.stdout.write(f"{kind}: {count}")
