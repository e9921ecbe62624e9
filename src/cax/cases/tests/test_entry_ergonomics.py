"""Entry ergonomics (issue 17.7): the intake time is pre-filled, the step form shows only the chosen
step's fields, and the duplicate warning weighs day, place and offence group, not a shared word."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cax.accounts.roles import Role
from cax.cases import duplicates
from cax.cases.choices import NonProsecutionGround, Status, SuspensionGround
from cax.cases.models import Case, IdentityAccess, OffenceCategory
from cax.cases.selectors import similar_cases
from cax.cases.tests.test_register import NOW, RECEIVED, VN, register, step
from cax.cases.tests.test_views import FORM
from cax.core.testing.cast import make_user

# Session, user, the notices' bell, case (+ events, attachments), deadline rules, transfer links: none grows
# with the case.
QUERIES_CASE_PAGE = 8


def _verifying(cast, **overrides):
    case = register(cast.commune_chief, cast.commune_a, **overrides)
    for to in (Status.PRELIMINARY_CHECK, Status.TAKEN_UP, Status.VERIFYING):
        case = step(cast.commune_chief, case, to)
    return case


def _names(html: str) -> set[str]:
    import re

    return set(re.findall(r'name="([a-z_]+)"', html))


# Intake time


def test_the_intake_form_starts_at_now_in_vietnam_time_to_the_minute(cast, login):
    # The form shows the time in the current zone, without it (what the officer reads and types).
    before = timezone.localtime(timezone.now(), VN).replace(second=0, microsecond=0, tzinfo=None)
    response = login(cast.commune_officer).get(reverse("cases:register", args=[cast.commune_a.pk]))
    after = timezone.localtime(timezone.now(), VN).replace(tzinfo=None)
    shown = response.context["form"]["received_at"].value()
    assert before <= shown <= after
    assert (shown.second, shown.microsecond) == (0, 0)
    # Rendered as the officer reads a clock in Vietnam, dd/mm/yyyy hh:mm, and editable.
    html = response.content.decode()
    assert f'value="{shown:%d/%m/%Y %H:%M}"' in html
    assert "readonly" not in html.split('name="received_at"')[1].split(">")[0]


def test_an_edited_intake_time_is_the_one_registered(cast, login):
    client = login(cast.commune_officer)
    client.post(
        reverse("cases:register", args=[cast.commune_a.pk]),
        {**FORM, "received_at": "09/09/2025 07:30", "incident_at": ""},
    )
    assert timezone.localtime(Case.objects.get().received_at, VN) == dt.datetime(2025, 9, 9, 7, 30, tzinfo=VN)


# The step form


def test_the_step_form_shows_only_the_fields_of_the_chosen_step(cast, login):
    case = _verifying(cast)
    client = login(cast.commune_chief)
    url = reverse("cases:detail", args=[case.pk])
    # First offered: the first step that may follow (extension), with its three fields and no other.
    default = _names(client.get(url).content.decode())
    assert {"new_due", "extended_by", "requested_at", "at", "note", "to_status", "step"} <= default
    assert not default & {"suspension_ground", "non_prosecution_ground", "to_unit", "to_body"}
    suspended = _names(client.get(url, {"step": Status.SUSPENDED}).content.decode())
    assert "suspension_ground" in suspended
    assert not suspended & {"new_due", "extended_by", "non_prosecution_ground", "to_unit"}
    # A step that may not follow from here falls back to the first that may.
    assert "new_due" in _names(client.get(url, {"step": Status.TRANSFERRED}).content.decode())


def test_the_transfer_step_offers_the_receiving_unit_or_body(cast, login):
    case = step(cast.commune_officer, register(cast.commune_officer, cast.commune_a), Status.PRELIMINARY_CHECK)
    page = login(cast.commune_officer).get(reverse("cases:detail", args=[case.pk]), {"step": Status.TRANSFERRED})
    assert {"to_unit", "to_body", "transferred_to"} <= _names(page.content.decode())
    assert "new_due" not in _names(page.content.decode())


def test_htmx_swaps_in_the_step_form_alone_without_revealing_the_identity(cast, login, django_assert_max_num_queries):
    case = _verifying(cast, is_confidential=True)
    client = login(cast.commune_chief)
    with django_assert_max_num_queries(QUERIES_CASE_PAGE - 2):  # no deadline rules, no transfer links
        response = client.get(
            reverse("cases:detail", args=[case.pk]), {"step": Status.NOT_PROSECUTED}, HTTP_HX_REQUEST="true"
        )
    html = response.content.decode()
    assert html.lstrip().startswith("<form")
    assert 'id="step-form"' in html
    assert "non_prosecution_ground" in _names(html)
    assert f'name="to_status" value="{Status.NOT_PROSECUTED}"' in html
    assert "Quá trình giải quyết" not in html  # not the page
    assert not IdentityAccess.objects.exists()  # the page would log a view of the confidential identity


def test_the_picker_without_js_is_a_get_form_with_a_choose_button(cast, login):
    case = _verifying(cast)
    html = login(cast.commune_chief).get(reverse("cases:detail", args=[case.pk])).content.decode()
    picker = html.split('class="step-choice"')[1].split("</form>")[0]
    assert 'name="step"' in picker
    assert "Chọn</button>" in picker
    assert 'hx-get="' in picker
    assert 'hx-target="#step-form"' in picker


def test_only_the_chosen_steps_fields_are_validated(cast, login):
    case = _verifying(cast)
    client = login(cast.commune_chief)
    url = reverse("cases:detail", args=[case.pk])
    # A suspension with a nonsense "new deadline" left over from the extension form: not its field.
    response = client.post(
        url,
        {
            "to_status": Status.SUSPENDED,
            "version": case.version,
            "suspension_ground": SuspensionGround.AWAITING_EXPERTISE,
            "new_due": "không phải ngày",
            "extended_by": "ai đó",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.suspension_ground) == (Status.SUSPENDED, SuspensionGround.AWAITING_EXPERTISE)


def test_a_missing_ground_is_told_under_its_field_and_the_same_step_stays(cast, login):
    case = _verifying(cast)
    client = login(cast.commune_chief)
    response = client.post(
        reverse("cases:detail", args=[case.pk]), {"to_status": Status.NOT_PROSECUTED, "version": case.version}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.step == Status.NOT_PROSECUTED
    assert list(form.errors) == ["non_prosecution_ground"]
    assert Case.objects.get(pk=case.pk).status == Status.VERIFYING
    response = client.post(
        reverse("cases:detail", args=[case.pk]),
        {
            "to_status": Status.NOT_PROSECUTED,
            "version": case.version,
            "non_prosecution_ground": NonProsecutionGround.NOT_A_CRIME,
        },
    )
    assert response.status_code == 302


def test_a_step_that_may_not_follow_is_refused_naming_those_that_may(cast, login):
    case = register(cast.commune_officer, cast.commune_a)
    response = login(cast.commune_officer).post(
        reverse("cases:detail", args=[case.pk]), {"to_status": Status.PROSECUTED, "version": case.version}
    )
    assert response.status_code == 200
    message = str(response.context["form"].non_field_errors()[0])
    assert "Khởi tố vụ án" in message
    assert "Kiểm tra, xác minh sơ bộ" in message
    assert "Không thể chuyển sang" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.RECEIVED


# Duplicates: the score on hand-made cases (not saved: only their fields are read)


def _case(cast, summary, *, at=RECEIVED, incident_at=None, category=None, incident_unit=None):
    return Case(
        unit=cast.commune_a,
        summary=summary,
        received_at=at,
        incident_at=incident_at,
        category=category,
        incident_unit=incident_unit,
    )


def _report(cast, summary, *, at=RECEIVED, **extra):
    return duplicates.Report(unit_id=cast.commune_a.pk, received_at=at, summary=summary, **extra)


def test_places_are_read_from_the_summary_without_grammar_words():
    assert duplicates.places("Trộm cắp tài sản tại thôn 5, xã Đăk Hà") == {"thon 5": "thôn 5"}
    assert duplicates.places("Đánh nhau ở chợ Đăk Hà lúc 8 giờ") == {"cho dak ha": "chợ Đăk Hà"}
    assert duplicates.places("Tổ chức đánh bạc tại tổ 3") == {"to 3": "tổ 3"}  # "tổ chức" is no place
    assert duplicates.places("Mất trộm xe máy") == {}
    assert duplicates.places("Cháy nhà ở Thôn Kon Klor, xã Đăk Hà") == {"thon kon klor": "Thôn Kon Klor"}


def test_the_same_day_and_village_make_a_likely_duplicate_with_the_reasons(cast):
    theft = OffenceCategory.objects.get(code="property")
    first = _case(cast, "Trộm xe máy của ông A tại thôn 5", category=theft)
    report = _report(cast, "Ông A báo mất xe máy đêm qua ở thôn 5", category_id=theft.pk)
    match = duplicates.score(report, first)
    assert match.score >= duplicates.THRESHOLD
    assert match.reasons[:3] == ["cùng ngày", "cùng thôn 5", "cùng nhóm tội"]


def test_a_different_case_of_the_commune_sharing_a_word_is_not_similar(cast):
    theft = OffenceCategory.objects.get(code="property")
    traffic = OffenceCategory.objects.get(code="traffic")
    # Same day, both mention "tài sản" and "xe máy": a traffic accident is not the theft.
    accident = _case(cast, "Va chạm giao thông tại thôn 2, xe máy hư hỏng tài sản", category=traffic)
    report = _report(cast, "Trộm cắp tài sản, mất xe máy tại thôn 7", category_id=theft.pk)
    assert duplicates.score(report, accident).score < duplicates.THRESHOLD
    # Nor is a theft in another village three days before: near day, same group, different place.
    earlier = _case(cast, "Trộm cắp tài sản tại thôn 3", at=RECEIVED - dt.timedelta(days=3), category=theft)
    assert duplicates.score(report, earlier).score < duplicates.THRESHOLD


def test_a_retyped_report_on_the_same_day_is_a_duplicate_even_without_place_or_group(cast):
    match = duplicates.score(_report(cast, "Trộm cắp tài sản tại chợ"), _case(cast, "Trộm cắp tài sản tại chợ Đăk Hà"))
    assert match.score >= duplicates.THRESHOLD
    assert "nội dung gần như trùng" in match.reasons


def test_the_incident_time_is_compared_when_known(cast):
    # Received four days apart, but both about the night of 9 September in thôn 5.
    night = dt.datetime(2025, 9, 9, 23, 0, tzinfo=VN)
    late = _report(cast, "Đánh nhau tại thôn 5", at=RECEIVED + dt.timedelta(days=4), incident_at=night)
    match = duplicates.score(late, _case(cast, "Gây rối trật tự ở thôn 5", incident_at=night))
    assert match.reasons[:2] == ["cùng ngày", "cùng thôn 5"]
    assert match.score >= duplicates.THRESHOLD


def test_the_incident_unit_counts_as_a_place_only_when_it_is_not_the_register_itself(cast):
    from cax.core.testing.units import make_village

    village = make_village(cast.commune_a, "23500-T05", "Thôn Kon Klor")
    report = _report(cast, "Đánh nhau gây thương tích", incident_unit_id=village.pk)
    assert "cùng nơi xảy ra" in duplicates.score(report, _case(cast, "Cãi nhau", incident_unit=village)).reasons
    plain = _report(cast, "Đánh nhau gây thương tích", incident_unit_id=cast.commune_a.pk)
    assert (
        "cùng nơi xảy ra" not in duplicates.score(plain, _case(cast, "Cãi nhau", incident_unit=cast.commune_a)).reasons
    )


# Duplicates: the selector and the page


def test_candidates_are_read_in_one_query_within_the_window_and_the_unit(cast, django_assert_num_queries):
    theft = OffenceCategory.objects.get(code="property")
    same = register(cast.commune_officer, cast.commune_a, summary="Trộm xe máy tại thôn 5", category=theft)
    for days in (1, 2):  # the same commune, other thefts in other villages: not shown
        register(
            cast.commune_officer,
            cast.commune_a,
            summary=f"Trộm cắp tài sản tại thôn {days + 6}",
            category=theft,
            received_at=RECEIVED - dt.timedelta(days=days),
        )
    register(  # the same words a week earlier: outside the window
        cast.commune_officer,
        cast.commune_a,
        summary="Trộm xe máy tại thôn 5",
        category=theft,
        received_at=RECEIVED - dt.timedelta(days=7),
    )
    officer_b = make_user("officer_b", Role.COMMUNE_OFFICER, cast.commune_b)
    register(officer_b, cast.commune_b, summary="Trộm xe máy tại thôn 5", category=theft)  # another commune
    report = _report(cast, "Mất trộm xe máy ở thôn 5", at=NOW, category_id=theft.pk)
    with django_assert_num_queries(1):
        found = similar_cases(actor=cast.commune_officer, unit=cast.commune_a, report=report)
    assert [m.case.pk for m in found] == [same.pk]


def test_the_register_page_shows_why_a_case_looks_the_same(cast, login):
    register(cast.commune_officer, cast.commune_a, summary="Trộm cắp tài sản tại chợ Đăk Hà")
    register(cast.commune_officer, cast.commune_a, summary="Đánh nhau tại thôn 3")  # same day, nothing else
    response = login(cast.commune_officer).post(reverse("cases:register", args=[cast.commune_a.pk]), FORM)
    assert [m.case.summary for m in response.context["similar"]] == ["Trộm cắp tài sản tại chợ Đăk Hà"]
    assert "cùng ngày, nội dung gần như trùng" in response.content.decode()


@pytest.mark.parametrize("extra", [0, 30])
def test_the_duplicate_check_costs_the_same_queries_for_1_and_31_cases(cast, login, django_assert_num_queries, extra):
    for n in range(extra + 1):
        register(cast.commune_officer, cast.commune_a, summary=f"Trộm cắp tài sản tại thôn {n}")
    client = login(cast.commune_officer)
    client.get(reverse("cases:register", args=[cast.commune_a.pk]))  # the submit token
    with django_assert_num_queries(15):  # 14 + the notices' bell (the tree counts: cached per revision)
        response = client.post(reverse("cases:register", args=[cast.commune_a.pk]), FORM)
    assert len(response.context["similar"]) == min(extra + 1, 10)  # warned, not registered
    assert Case.objects.count() == extra + 1


@pytest.mark.parametrize("chosen", ["", Status.EXTENDED, Status.NOT_PROSECUTED, Status.SUSPENDED, Status.PROSECUTED])
def test_the_case_page_costs_the_same_queries_whichever_step_is_chosen(
    cast, login, django_assert_max_num_queries, chosen
):
    case = _verifying(cast)
    client = login(cast.commune_chief)
    with django_assert_max_num_queries(QUERIES_CASE_PAGE):
        response = client.get(reverse("cases:detail", args=[case.pk]), {"step": chosen} if chosen else {})
    assert response.context["form"].step == (chosen or Status.EXTENDED)


def test_the_transfer_step_adds_only_the_list_of_receiving_bodies(cast, login, django_assert_max_num_queries):
    case = step(cast.commune_officer, register(cast.commune_officer, cast.commune_a), Status.PRELIMINARY_CHECK)
    client = login(cast.commune_officer)
    with django_assert_max_num_queries(QUERIES_CASE_PAGE + 1):
        client.get(reverse("cases:detail", args=[case.pk]), {"step": Status.TRANSFERRED})
