"""Event notices, created in the event's transaction (issue 19.4): "Return a report: the chief sees a
notice at once", requests assigned and answered, and nobody outside the event's scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cax.core.testing.cast import make_user
from cax.core.testing.units import make_department
from cax.notices import services
from cax.notices.models import Notice
from cax.petitions import services as petitions
from cax.petitions.registers import PETITIONS
from cax.reports import services as reports
from cax.reports.tests.factories import DAILY, submit

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _returned(cast):
    submission = submit(cast, cast.commune_a, TODAY - dt.timedelta(days=1), form_code=DAILY, now=timezone.now())
    reports.submission_return(actor=cast.province_staff, submission=submission, note="Sửa số vụ tai nạn")
    return submission


def test_return_a_report_the_chief_sees_a_notice_at_once(cast, login):
    submission = _returned(cast)
    client = login(cast.commune_chief)
    home = client.get(reverse("home")).content.decode()
    assert 'class="bell unread"' in home
    assert '<span class="count">1</span>' in home
    page = client.get(reverse("notices:list")).content.decode()
    assert "bị trả lại: Sửa số vụ tai nạn" in page
    notice = Notice.objects.get(user=cast.commune_chief)
    assert notice.kind == "reports.returned"
    assert notice.url == reverse("reports:detail", args=[submission.pk])
    assert notice.read_at is None


def test_the_submitter_is_told_too_and_nobody_else(cast):
    submission = _returned(cast)
    receivers = set(Notice.objects.filter(kind="reports.returned").values_list("user_id", flat=True))
    assert submission.submitted_by_id == cast.commune_chief.pk  # the chief signed it
    assert receivers == {cast.commune_chief.pk}, "not the officer, not the reviewer, not another commune"


def test_the_notice_lives_and_dies_with_the_events_transaction(cast):
    submission = submit(cast, cast.commune_a, TODAY - dt.timedelta(days=1), form_code=DAILY, now=timezone.now())

    def fails_after_the_return():
        with transaction.atomic():
            reports.submission_return(actor=cast.province_staff, submission=submission, note="Sửa")
            assert Notice.objects.filter(user=cast.commune_chief).exists()
            raise RuntimeError("the request fails after the return")

    with pytest.raises(RuntimeError):
        fails_after_the_return()
    assert not Notice.objects.exists()


def test_a_chief_of_another_commune_is_never_told(cast):
    other_chief = make_user("chief_b", "commune_chief", cast.commune_b)
    _returned(cast)
    assert not Notice.objects.filter(user=other_chief).exists()


def test_a_kind_turned_off_in_the_app_gives_no_notice(cast):
    services.preferences_save(actor=cast.commune_chief, choices={"reports.returned": (False, False)})
    _returned(cast)
    assert not Notice.objects.filter(user=cast.commune_chief).exists()


@pytest.fixture
def department(cast):
    return make_department(cast.province_a, "51-PX05", "Phòng Xây dựng phong trào bảo vệ ANTQ")


def test_a_request_assigned_tells_the_department_and_answered_tells_the_commune(cast, department):
    staff = make_user("phong_px05", "department_staff", department)
    petition = PETITIONS.save(
        actor=cast.province_staff,
        instance=None,
        data={"unit": cast.commune_a, "raised_on": TODAY, "topic": "reporting", "text": "Đề nghị giảm báo cáo"},
    )
    petitions.petition_assign(
        actor=cast.province_leader, petition=petition, department=department, due_on=TODAY + dt.timedelta(days=10)
    )
    assigned = Notice.objects.get(kind="petitions.assigned")
    assert assigned.user == staff
    assert "được giao trả lời" in assigned.title
    petitions.petition_answer(actor=staff, petition=petition, answer="Đã xem xét", answered_by="Phòng PX05")
    told = set(Notice.objects.filter(kind="petitions.answered").values_list("user_id", flat=True))
    assert told == {cast.commune_chief.pk, cast.commune_officer.pk}, "the raising commune, no one else"


def test_a_notice_reads_in_the_readers_language(cast, login):
    _returned(cast)
    client = login(cast.commune_chief)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("notices:list")).content.decode()
    assert "returned: Sửa số vụ tai nạn" in page
    assert "bị trả lại" not in page
