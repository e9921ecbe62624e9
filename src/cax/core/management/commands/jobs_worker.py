"""The job worker (``./cax worker``): django-tasks-db's ``db_worker`` plus CAX's housekeeping.

At start and every ``--sweep-every`` seconds it looks for running jobs whose worker died (kill -9)
and queues them again or marks them failed (cax.core.jobs.sweep_stale), and queues the daily jobs
whose hour has come (``CAX_JOB_DAILY``). Any ``db_worker`` option works (``--batch``,
``--max-tasks``, ``--interval``…).
"""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from cax.core import jobs


class Command(DbWorkerCommand):
    help = "Chạy các công việc nền (db_worker của django-tasks-db), dọn công việc mồ côi và giao việc hằng ngày."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--sweep-every", type=float, default=30.0, help="số giây giữa hai lần dọn/giao việc")

    def handle(self, *args, **options):
        sweep_every = options.pop("sweep_every")
        jobs.sweep_stale()
        jobs.enqueue_due_daily()
        if sweep_every > 0:
            jobs.Housekeeper(sweep_every).start()
        return super().handle(*args, **options)
