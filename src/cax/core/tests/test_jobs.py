"""Background jobs in-process (cax.core.jobs): outcomes, retries, the stale sweep, daily jobs,
purging, the job page and the import pages' background path. The real worker killed mid-job is in
test_jobs_worker.py."""

from __future__ import annotations

import datetime as dt
import re
import socket
import subprocess
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cax.accounts.roles import Role
from cax.core import jobs
from cax.core.exceptions import DomainError
from cax.core.models import ImportBatch, Job
from cax.core.testing.cast import make_user
from cax.units.models import Unit

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
CALLS: list[str] = []


def runner_ok(job):
    jobs.progress(5, 10, "nửa đường")
    return {"seen": job.params["value"]}


def runner_writes_then_fails(job):
    Job.objects.create(kind="test.written", params={})
    raise DomainError("số liệu hỏng")


def runner_crashes(job):
    Job.objects.create(kind="test.written", params={})
    raise KeyError("There is no item named 'xl/workbook.xml' in the archive")


def runner_connection_lost(job):
    raise OperationalError("server closed the connection unexpectedly")


def given_up(job, reason):
    CALLS.append(reason)


@pytest.fixture
def kinds():
    saved = jobs.kinds()
    jobs.register_kind("test.ok", "cax.core.tests.test_jobs.runner_ok")
    jobs.register_kind("test.fails", "cax.core.tests.test_jobs.runner_writes_then_fails")
    jobs.register_kind("test.lost", "cax.core.tests.test_jobs.runner_connection_lost")
    jobs.register_kind("test.crashes", "cax.core.tests.test_jobs.runner_crashes")
    jobs.register_kind(
        "test.hooked", "cax.core.tests.test_jobs.runner_ok", on_failure="cax.core.tests.test_jobs.given_up"
    )
    CALLS.clear()
    yield
    jobs._KINDS.clear()
    jobs._KINDS.update(saved)


def test_a_job_runs_its_kind_and_keeps_result_and_progress(db, kinds):
    job = jobs.enqueue("test.ok", params={"value": 42})
    assert job.state == Job.State.QUEUED
    assert job.task_id == ""
    assert DBTaskResult.objects.filter(pk=Job.objects.get(pk=job.pk).task_id).exists()
    done = jobs.execute(str(job.uuid))
    assert done.state == Job.State.DONE
    assert done.result == {"seen": 42}
    assert (done.done, done.total) == (10, 10)  # a finished job shows its whole bar
    assert done.attempts == 1
    assert done.finished_at is not None
    assert jobs.execute(str(job.uuid)) is None  # a second delivery of the same job runs nothing


def test_a_failing_job_writes_nothing_and_says_why_in_vietnamese(db, kinds):
    job = jobs.enqueue("test.fails")
    done = jobs.execute(str(job.uuid))
    assert done.state == Job.State.FAILED
    assert done.error == "Lỗi khi xử lý: số liệu hỏng"
    assert not Job.objects.filter(kind="test.written").exists()


def test_a_crash_is_told_in_vietnamese_without_the_librarys_text(db, kinds):
    job = jobs.enqueue("test.crashes")
    done = jobs.execute(str(job.uuid))
    assert done.state == Job.State.FAILED
    assert done.error == (
        "Lỗi khi xử lý: lỗi hệ thống không lường trước; không có dữ liệu nào được ghi. Thử lại; nếu vẫn lỗi, báo "
        f"quản trị hệ thống kèm mã công việc {str(job.uuid)[:8]}."
    )
    assert not Job.objects.filter(kind="test.written").exists()


def test_a_lost_connection_is_tried_again_until_the_attempts_run_out(db, kinds, settings):
    job = jobs.enqueue("test.lost")
    first = jobs.execute(str(job.uuid))
    assert (first.state, first.attempts) == (Job.State.QUEUED, 1)
    tasks = DBTaskResult.objects.count()
    assert tasks == 2  # sent to the queue again
    Job.objects.filter(pk=job.pk).update(attempts=job.max_attempts - 1)
    last = jobs.execute(str(job.uuid))
    assert last.state == Job.State.FAILED
    assert last.error.startswith("Lỗi khi xử lý: mất kết nối cơ sở dữ liệu sau")
    assert "server closed" not in last.error


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])  # noqa: S607
    child.wait()
    return child.pid


def _running(kind: str, worker: str, *, attempts: int = 1, heartbeat=None) -> Job:
    job = jobs.enqueue(kind, params={"value": 1})
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING, worker=worker, attempts=attempts, heartbeat=heartbeat or timezone.now()
    )
    return Job.objects.get(pk=job.pk)


def test_the_sweep_queues_again_a_job_whose_worker_died_and_then_runs_it(db, kinds):
    job = _running("test.ok", f"{socket.gethostname()}:{_dead_pid()}")
    swept = jobs.sweep_stale()
    assert [j.pk for j in swept] == [job.pk]
    assert Job.objects.get(pk=job.pk).state == Job.State.QUEUED
    assert jobs.execute(str(job.uuid)).state == Job.State.DONE


def test_the_sweep_fails_a_job_out_of_attempts_and_tells_its_domain(db, kinds):
    job = _running("test.hooked", f"{socket.gethostname()}:{_dead_pid()}", attempts=3)
    jobs.sweep_stale()
    failed = Job.objects.get(pk=job.pk)
    assert failed.state == Job.State.FAILED
    assert "dừng đột ngột 3 lần" in failed.error
    assert CALLS == [failed.error]


def test_the_sweep_leaves_live_workers_alone_and_judges_other_hosts_by_heartbeat(db, kinds, settings):
    settings.CAX_JOB_STALE_SECONDS = 300
    alive_here = _running("test.ok", jobs.worker_id())
    fresh_elsewhere = _running("test.ok", "other-host:1", heartbeat=timezone.now() - dt.timedelta(seconds=60))
    stale_elsewhere = _running("test.ok", "other-host:2", heartbeat=timezone.now() - dt.timedelta(seconds=301))
    assert [j.pk for j in jobs.sweep_stale()] == [stale_elsewhere.pk]
    assert Job.objects.get(pk=alive_here.pk).state == Job.State.RUNNING
    assert Job.objects.get(pk=fresh_elsewhere.pk).state == Job.State.RUNNING


def test_a_daily_job_is_queued_once_a_day_after_its_hour(db, settings):
    settings.CAX_JOB_DAILY = {"core.purge": "07:00", "not.registered": "00:00"}
    before = dt.datetime(2026, 12, 3, 6, 59, tzinfo=HANOI)
    after = dt.datetime(2026, 12, 3, 7, 1, tzinfo=HANOI)
    assert jobs.enqueue_due_daily(before) == []
    queued = jobs.enqueue_due_daily(after)
    assert [(j.kind, j.schedule_key) for j in queued] == [("core.purge", "core.purge@2026-12-03")]
    assert jobs.enqueue_due_daily(after + dt.timedelta(hours=5)) == []  # a second worker, later that day
    assert len(jobs.enqueue_due_daily(after + dt.timedelta(days=1))) == 1


def _batch(user, *, days_old: int) -> ImportBatch:
    batch = ImportBatch(uuid=uuid.uuid4(), kind="units", filename="u.csv", size=3, created_by=user)
    batch.file.save(f"{batch.uuid}.csv", ContentFile(b"a,b"), save=False)
    batch.save()
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - dt.timedelta(days=days_old))
    return batch


def test_purge_removes_old_finished_jobs_and_batches_with_their_files(cast, settings):
    settings.CAX_JOB_RETENTION_DAYS = 7
    user = cast.admin
    old, recent, busy = _batch(user, days_old=8), _batch(user, days_old=1), _batch(user, days_old=9)
    running = jobs.enqueue("core.import", actor=user, params={"batch": str(busy.uuid), "dry_run": True})
    done_old = jobs.enqueue("core.purge")
    Job.objects.filter(pk=done_old.pk).update(state=Job.State.DONE, finished_at=timezone.now() - dt.timedelta(days=8))
    done_recent = jobs.enqueue("core.purge")
    Job.objects.filter(pk=done_recent.pk).update(state=Job.State.DONE, finished_at=timezone.now())
    old_file = old.file.name

    purged = jobs.purge_finished()

    assert purged["jobs"] == 1
    assert purged["batches"] == 1
    assert set(ImportBatch.objects.values_list("pk", flat=True)) == {recent.pk, busy.pk}
    assert not default_storage.exists(old_file)
    assert default_storage.exists(recent.file.name)
    assert set(Job.objects.values_list("pk", flat=True)) == {running.pk, done_recent.pk}


def test_the_commands_can_hand_their_work_to_the_worker(db):
    call_command("remind_petitions", "--enqueue")
    call_command("reports_rebuild_rollup", "--enqueue", "--form", "NOPE")
    queued = {job.kind: job for job in Job.objects.all()}
    assert set(queued) == {"petitions.remind", "reports.rebuild_rollup"}
    assert jobs.execute(str(queued["petitions.remind"].uuid)).result == {"reminded": 0}
    assert jobs.execute(str(queued["reports.rebuild_rollup"].uuid)).result == {}


# -- the job page and background imports ----------------------------------------------------------


def test_only_the_starter_sees_a_job_and_a_finished_one_sends_them_on(cast, login, kinds):
    job = jobs.enqueue("test.ok", actor=cast.admin, params={"value": 1, "next": "/units/"})
    url = reverse("job_detail", args=[job.uuid])
    other = make_user("khac.admin", Role.ADMINISTRATOR, cast.admin.unit)
    assert login(other).get(url).status_code == 404
    owner = login(cast.admin)
    page = owner.get(url)
    assert page.status_code == 200
    assert "Đang chờ" in page.content.decode()
    assert "HX-Redirect" not in owner.get(url, headers={"HX-Request": "true"})
    jobs.execute(str(job.uuid))
    assert owner.get(url, headers={"HX-Request": "true"})["HX-Redirect"] == "/units/"


def test_a_foreign_next_address_is_never_followed(cast, login, kinds):
    job = jobs.enqueue("test.ok", actor=cast.admin, params={"value": 1, "next": "https://example.com/"})
    jobs.execute(str(job.uuid))
    response = login(cast.admin).get(reverse("job_detail", args=[job.uuid]), headers={"HX-Request": "true"})
    assert "HX-Redirect" not in response
    assert "example.com" not in response.content.decode()


def _main(response) -> str:
    """The page's content without the per-request form tokens."""
    html = response.content.decode()
    html = html[html.index("<main>") : html.index("</main>")]
    return re.sub(r'type="hidden" name="(\w+)" value="[^"]*"', "", html)


def test_a_large_import_is_previewed_and_applied_by_the_worker(cast, login, settings):
    settings.CAX_IMPORT_BACKGROUND_BYTES = 10
    commune = Unit.objects.select_related("unit_type", "parent").get(code="23500")
    rows = f"Mã,Tên,Loại,Mã đơn vị cấp trên,Dân số\n{commune.code},{commune.name},{commune.unit_type.code},"
    rows += f"{commune.parent.code},43210\n"
    client: Client = login(cast.admin)
    response = client.post(reverse("units:import"), {"file": ContentFile(rows.encode(), name="u.csv")})
    preview_url = response["Location"]

    # The preview page hands the dry run to a job and waits on its page.
    response = client.get(preview_url)
    dry = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("job_detail", args=[dry.uuid])
    assert client.get(preview_url)["Location"] == response["Location"]  # a reload waits on the same job
    jobs.execute(str(dry.uuid))
    page = client.get(preview_url)
    assert page.status_code == 200
    assert page.context["result"].count("update") == 1
    settings.CAX_IMPORT_BACKGROUND_BYTES = 10**9  # the same preview, run in the request
    assert _main(client.get(preview_url)) == _main(page)
    settings.CAX_IMPORT_BACKGROUND_BYTES = 10
    assert Unit.objects.get(pk=commune.pk).population != 43210  # a dry run

    # Confirming queues the apply; a double click finds the same job.
    response = client.post(preview_url)
    apply = Job.objects.exclude(pk=dry.pk).get()
    assert response["Location"] == reverse("job_detail", args=[apply.uuid])
    assert client.post(preview_url)["Location"] == response["Location"]
    assert jobs.execute(str(apply.uuid)).state == Job.State.DONE
    assert Unit.objects.get(pk=commune.pk).population == 43210
    assert ImportBatch.objects.get().status == ImportBatch.Status.APPLIED
    assert Job.objects.count() == 2


def test_the_planner_runs_on_the_worker_and_a_retry_starts_the_run_again(db, settings):
    from cax.deployment import planning
    from cax.deployment.models import PlanScenario, PlanStatus

    settings.CAX_PLANNER_LAUNCH = "job"
    planning.launch(12345)
    job = Job.objects.get(kind="deployment.plan")
    assert job.params["scenario"] == 12345
    # Every attempt died: the scenario is failed with the reason instead of "running" for ever.
    unit = Unit.objects.first()
    scenario = PlanScenario.objects.create(name="p", unit=unit, status=PlanStatus.RUNNING, start_date=dt.date.today())
    job.params["scenario"] = scenario.pk
    planning.job_given_up(job, "dừng đột ngột")
    scenario.refresh_from_db()
    assert scenario.status == PlanStatus.FAILED
    assert scenario.result == {"error": "dừng đột ngột"}
