"""Delete expired one-time form tokens and API Idempotency-Key answers (daily, from cron)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from cax.core.idempotency import purge_expired


class Command(BaseCommand):
    help = "Xoá mã gửi biểu mẫu và khoá Idempotency-Key đã hết hạn (CAX_SUBMIT_EXPIRY_HOURS)."

    def handle(self, *args, **options):
        tokens, keys = purge_expired()
        self.stdout.write(f"Đã xoá {tokens} mã gửi biểu mẫu, {keys} khoá Idempotency-Key hết hạn.")
