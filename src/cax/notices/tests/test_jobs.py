"""The daily runs (issue 19.4): deadline notices once per object and due day, duties of persons
under management without a name, the e-mail digest sent once, the purge."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from cax.cases.tests.test_register import register
from cax.core import jobs
from cax.core.models import Job
from cax.core.testing.cast import make_user
from cax.notices import deadlines, services
from cax.notices.models import Digest, Notice
from cax.notices.tests.helpers import notify
from cax.supervision import services as supervision
from cax.supervision.tests.factories import NAME, received

pytestmark = pytest.mark.django_db


def test_crime_reports_near_and_past_their_deadline_once_per_day(cast):
    now = timezone.now()
    register(cast.commune_officer, cast.commune_a)  # received in 2025: long past its deadline
    register(cast.commune_officer, cast.commune_a, received_at=now - dt.timedelta(hours=1), now=now)
    deadlines.run(now=now)
    past = Notice.objects.filter(kind="cases.deadline_past")
    near = Notice.objects.filter(kind="cases.deadline_near")
    assert set(past.values_list("user_id", flat=True)) == {cast.commune_officer.pk, cast.commune_chief.pk}
    assert near.count() == 2
    assert "quá hạn giải quyết" in past.first().title
    before = Notice.objects.count()
    deadlines.run(now=now)
    deadlines.run(now=now + dt.timedelta(hours=2))
    assert Notice.objects.count() == before, "a second run adds none"
    assert not Notice.objects.filter(user=cast.commune_c_officer).exists()


def test_a_duty_due_tells_who_reads_the_file_and_never_names_the_person(cast):
    file = received(cast.commune_officer, cast.commune_a)
    supervision.remind_due(today=dt.date(2026, 2, 13), lead_days=3, every_days=7)
    rows = Notice.objects.filter(kind="supervision.duty_due")
    assert set(rows.values_list("user_id", flat=True)) == {cast.commune_officer.pk, cast.commune_chief.pk}
    for row in rows:
        assert NAME not in row.title
        assert row.url.endswith(f"/files/{file.pk}/")
    assert rows.first().title in ("2 nghĩa vụ định kỳ đã quá hạn", "1 nghĩa vụ định kỳ đến hạn")
    assert not Notice.objects.filter(user__in=[cast.province_leader, cast.province_staff, cast.admin]).exists()
    supervision.remind_due(today=dt.date(2026, 2, 21), lead_days=3, every_days=7)  # reminded again
    assert Notice.objects.filter(kind="supervision.duty_due", due_on=rows.first().due_on).count() == 2


def test_the_deadline_job_is_a_daily_background_job(cast, settings):
    assert "notices.deadlines" in settings.CAX_JOB_DAILY
    register(cast.commune_officer, cast.commune_a)
    morning = timezone.localtime().replace(hour=23, minute=59)
    queued = [job for job in jobs.enqueue_due_daily(morning) if job.kind == "notices.deadlines"]
    assert len(queued) == 1
    jobs.execute(str(queued[0].uuid))
    assert Job.objects.get(pk=queued[0].pk).state == Job.State.DONE
    assert Notice.objects.filter(kind="cases.deadline_past").exists()


@pytest.fixture
def mailer(settings):
    settings.CAX_EMAIL_ENABLED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CAX_BASE_URL = "https://cax.example.vn"
    return mail


def test_the_digest_is_sent_once_with_absolute_links(cast, mailer):
    chief = cast.commune_chief
    chief.email = "chief@example.vn"
    chief.save()
    notify(chief, 2)
    today = timezone.localdate()
    assert services.send_digests(today=today) == 1
    assert len(mailer.outbox) == 1
    message = mailer.outbox[0]
    assert message.to == ["chief@example.vn"]
    assert "2 thông báo chưa đọc" in message.subject
    assert "https://cax.example.vn/reports/" in message.body
    assert services.send_digests(today=today) == 0, "a retry the same day sends nothing"
    assert Digest.objects.get().count == 2
    notify(chief, 1)
    assert services.send_digests(today=today + dt.timedelta(days=1)) == 1
    assert "1 thông báo chưa đọc" in mailer.outbox[1].subject, "only what came since the last digest"


def test_no_digest_without_mail_an_address_or_the_users_wish(cast, mailer, settings):
    notify(cast.commune_officer, 1)  # no address
    with_address = make_user("officer_mail", "commune_officer", cast.commune_a, email="o@example.vn")
    notify(with_address, 1)
    services.preferences_save(actor=with_address, choices={"reports.returned": (True, False)})
    assert services.send_digests(today=timezone.localdate()) == 0
    services.preferences_save(actor=with_address, choices={"reports.returned": (True, True)})
    settings.CAX_EMAIL_ENABLED = False
    assert services.send_digests(today=timezone.localdate()) == 0
    assert mailer.outbox == []


def test_old_notices_are_purged(cast, settings):
    notify(cast.commune_officer, 2)
    old = Notice.objects.first()
    Notice.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=400))
    settings.CAX_NOTICE_RETENTION_DAYS = 180
    assert services.purge_old() == 1
    assert Notice.objects.count() == 1


def test_reports_due_or_overdue_tell_those_who_fill_them_once(cast):
    from cax.reports.notices import deadlines as report_deadlines

    now = timezone.now()
    assert report_deadlines(today=timezone.localdate(now), now=now) > 0
    rows = Notice.objects.filter(kind__in=["reports.due", "reports.overdue"])
    assert set(rows.values_list("user_id", flat=True)) == {cast.commune_chief.pk, cast.commune_officer.pk}
    assert all(row.url.startswith(f"/reports/unit/{cast.commune_a.pk}/") for row in rows)
    assert report_deadlines(today=timezone.localdate(now), now=now) == 0, "a second run adds none"
