"""The one search over everything (issue 19.5): folding, ranking, scoping, the index kept in step,
protected identities, persons under management and the constant query count."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cax.cases.choices import Channel, Kind, ReporterKind
from cax.cases.services import case_register
from cax.core import search
from cax.core.models import SearchEntry
from cax.core.testing.units import make_village
from cax.grassroots.registers import TEAMS
from cax.personnel.services import officer_upsert
from cax.petitions.registers import PETITIONS
from cax.supervision.models import FileAccess
from cax.supervision.tests.factories import make_file

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2025, 9, 10, 15, 0, tzinfo=VN)


def titles(actor, q, **kwargs) -> list[tuple[str, str]]:
    return [(h.kind, h.title) for h in search.search(actor, q, **kwargs)["hits"]]


def _village(commune):
    from cax.units.models import Unit

    existing = Unit.objects.filter(code=f"{commune.code}-T01").first()
    return existing or make_village(commune, f"{commune.code}-T01", "Thôn 1")


def make_team(unit, name="Tổ bảo vệ ANTT thôn Kon Klor", **extra):
    data = {"unit": unit, "name": name, "planned_members": 3, "status": "planned", "villages": [_village(unit)]}
    data |= extra
    return TEAMS.save(actor=None, instance=None, data=data)


def make_case(actor, unit, summary="Mất trộm xe máy ở chợ", reporter="Lê Thị Bímật"):
    return case_register(
        actor=actor,
        unit=unit,
        kind=Kind.DENUNCIATION,
        channel=Channel.IN_PERSON,
        received_at=NOW - dt.timedelta(hours=1),
        reporter_kind=ReporterKind.PERSON,
        reporter_name=reporter,
        reporter_id_number="051099008888",
        reporter_address="Thôn Kon Klor",
        summary=summary,
        now=NOW,
    )


# -- folding and ranking -----------------------------------------------------------------------------


def _variant(draw_case: list[int]) -> str:
    """ "Đăk Hà" written with each letter's case and marks chosen by the draw."""
    forms = [("Đ", "đ", "D", "d"), ("ă", "Ă", "a", "A"), ("k", "K"), (" ", "  "), ("H", "h"), ("à", "À", "a", "A")]
    return "".join(options[i % len(options)] for options, i in zip(forms, draw_case, strict=True))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(min_value=0, max_value=3), min_size=6, max_size=6))
def test_folding_makes_every_spelling_of_dak_ha_the_same_hits(cast, draw):
    expected = titles(cast.admin, "Đăk Hà")
    assert ("units", "Xã Đăk Hà") in expected
    for q in (_variant(draw), "dak ha", "ĐĂK HÀ"):
        assert titles(cast.admin, q) == expected


def test_the_exact_title_ranks_first(cast):
    make_team(cast.commune_a, "Tổ bảo vệ ANTT thôn Đăk Hà mở rộng")
    hits = titles(cast.admin, "xa dak ha")
    assert hits[0] == ("units", "Xã Đăk Hà")


def test_every_word_must_match(cast):
    make_team(cast.commune_a, "Tổ bảo vệ ANTT thôn Kon Klor")
    assert ("teams", "Tổ bảo vệ ANTT thôn Kon Klor") in titles(cast.admin, "kon klor")
    assert titles(cast.admin, "kon klor zzzqx") == []
    assert search.words_of("  \x00 ;--' ") == []


# -- the index kept in step --------------------------------------------------------------------------


def test_an_edit_is_found_at_once_and_a_deletion_vanishes(cast):
    team = make_team(cast.commune_a)
    TEAMS.save(actor=None, instance=team, data={"name": "Tổ tự quản Plei Đôn"})
    assert titles(cast.admin, "plei don") == [("teams", "Tổ tự quản Plei Đôn")]
    assert titles(cast.admin, "kon klor") == []
    team.delete()
    assert titles(cast.admin, "plei don") == []
    assert not SearchEntry.objects.filter(kind="teams", object_id=team.pk).exists()


def test_officers_requests_and_cases_are_indexed_by_their_services(cast):
    officer_upsert(actor=None, service_number="SH-51-7777", full_name="Y Nhăm Êban", sex="male",
                   unit=cast.commune_a, rank="second_lieutenant")  # fmt: skip
    PETITIONS.save(actor=cast.commune_chief, instance=None,
                   data={"unit": cast.commune_a, "raised_on": dt.date(2025, 9, 1), "topic": "reporting",
                         "text": "Đề nghị giảm báo cáo ngày về trụ sở"})  # fmt: skip
    make_case(cast.commune_chief, cast.commune_a)
    assert ("officers", "Y Nhăm Êban") in titles(cast.admin, "y nham eban")
    assert titles(cast.admin, "sh-51-7777") == [("officers", "Y Nhăm Êban")]
    assert [k for k, _t in titles(cast.admin, "giam bao cao ngay")] == ["petitions"]
    assert [k for k, _t in titles(cast.admin, "trom xe may")] == ["cases"]


def test_reindex_rebuilds_the_same_rows(cast):
    make_team(cast.commune_a)
    before = set(SearchEntry.objects.values_list("kind", "object_id", "title_key"))
    SearchEntry.objects.filter(kind="teams").delete()
    call_command("search_reindex", "--kind", "teams", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert set(SearchEntry.objects.values_list("kind", "object_id", "title_key")) == before


# -- who sees what -----------------------------------------------------------------------------------


def test_hits_outside_the_scope_are_not_shown(cast):
    make_team(cast.commune_a, "Tổ bảo vệ ANTT thôn Kon Klor")
    make_case(cast.commune_chief, cast.commune_a)
    assert titles(cast.commune_c_officer, "kon klor") == []
    assert titles(cast.commune_c_officer, "trom xe may") == []
    assert titles(cast.commune_c_officer, "xa dak ha") == []
    assert ("teams", "Tổ bảo vệ ANTT thôn Kon Klor") in titles(cast.commune_officer, "kon klor")


def test_a_reporter_identity_is_never_indexed_nor_found(cast):
    case = make_case(cast.commune_chief, cast.commune_a, reporter="Lê Thị Bímật")
    row = SearchEntry.objects.get(kind="cases", object_id=case.pk)
    for text in (row.title, row.line, row.title_key, row.body_key):
        assert "bimat" not in search.search_key(text)
        assert "051099008888" not in text
        assert "kon klor" not in search.search_key(text)
    assert titles(cast.admin, "bimat") == []
    assert titles(cast.admin, "051099008888") == []


def test_persons_are_found_by_the_managing_commune_only_and_each_search_is_logged(cast):
    file = make_file(cast.commune_chief, cast.commune_a, full_name="Đinh Văn Quản")
    assert not SearchEntry.objects.filter(title_key__contains="quan").exclude(kind="units").exists()
    found = search.search(cast.commune_chief, "dinh van quan")["sensitive"]
    assert [(h.kind, h.title, h.url) for h in found] == [
        ("persons", "Đinh Văn Quản", reverse("supervision:file_detail", args=[file.pk]))
    ]
    log = FileAccess.objects.get(action=FileAccess.Action.SEARCH)
    assert (log.user, log.rows, log.channel) == (cast.commune_chief, 1, "web")
    for outsider in (cast.commune_c_officer, cast.province_leader, cast.auditor, cast.admin):
        assert search.search(outsider, "dinh van quan")["sensitive"] == []
    assert FileAccess.objects.filter(action=FileAccess.Action.SEARCH).count() == 1


def test_a_search_without_names_found_writes_no_log(cast):
    search.search(cast.commune_chief, "khong ai ten nay")
    assert not FileAccess.objects.filter(action=FileAccess.Action.SEARCH).exists()


# -- the page, the API, the cost ---------------------------------------------------------------------


def test_the_page_lists_hits_with_their_kind_and_pages_on(cast, login):
    for n in range(25):
        make_team(cast.commune_a, f"Tổ bảo vệ ANTT số {n:02d}", code=f"TBV-23500-{n:02d}")
    client = login(cast.commune_chief)
    first = client.get(reverse("search"), {"q": "to bao ve antt"})
    assert first.status_code == 200
    assert "Tổ bảo vệ ANTT số 00" in first.content.decode()
    assert first.context["more"]
    assert len(first.context["hits"]) == search.PAGE_SIZE
    second = client.get(reverse("search"), {"q": "to bao ve antt", "page": "2"})
    assert len(second.context["hits"]) == 5
    assert not second.context["more"]
    assert client.get(reverse("search"), {"q": "x", "page": "9" * 50}).status_code == 200


@pytest.mark.parametrize("teams", [1, 40])
def test_the_page_costs_the_same_queries_for_one_hit_and_many(cast, login, django_assert_max_num_queries, teams):
    for n in range(teams):
        make_team(cast.commune_a, f"Tổ bảo vệ ANTT số {n:02d}", code=f"TBV-23500-{n:02d}")
    make_file(cast.commune_chief, cast.commune_a, full_name="Tổ Văn Bảo")
    client = login(cast.commune_chief)
    client.get(reverse("home"))  # the session and the user, read once like any page's
    # The session and the user (2), the notices' bell (1), the index hits across every kind (1), the
    # persons (1) and their access log row (the chain's head read, created the first time in a
    # savepoint, the row, the head).
    with django_assert_max_num_queries(12):
        response = client.get(reverse("search"), {"q": "to bao"})
    assert response.status_code == 200
    assert response.context["sensitive"]
    assert len(response.context["hits"]) == min(teams, search.PAGE_SIZE)
    # Whoever may read no names: the session, the user, the notices' bell, one query for every kind's hits.
    client = login(cast.province_leader)
    client.get(reverse("home"))
    with django_assert_max_num_queries(4):
        response = client.get(reverse("search"), {"q": "to bao"})
    assert len(response.context["hits"]) == min(teams, search.PAGE_SIZE)
    assert not response.context["sensitive"]


def test_the_api_answers_typed_and_bounded(cast, client):
    make_team(cast.commune_a, "Tổ bảo vệ ANTT thôn Kon Klor")
    client.force_login(cast.commune_officer)
    body = client.get("/api/v1/search", {"q": "kon klor"}).json()
    assert [h["title"] for h in body["hits"]] == ["Tổ bảo vệ ANTT thôn Kon Klor"]
    assert body["hits"][0]["label"] == "Tổ bảo vệ ANTT"
    assert body["more"] is False
    assert client.get("/api/v1/search", {"q": "kon", "page_size": "1000"}).status_code == 422
    assert client.get("/api/v1/search", {"q": "k" * 500}).status_code == 422


def test_officers_imported_from_a_file_are_found(cast):
    from cax.personnel.models import Officer

    officers = [
        Officer(
            service_number=f"SH-51-90{n}",
            full_name=f"Hồ Văn Nhập {n}",
            sex="male",
            unit=cast.commune_a,
            rank="second_lieutenant",
            search_key="",
        )  # fmt: skip
        for n in range(3)
    ]
    Officer.objects.bulk_create(officers)
    search.index_bulk(officers)
    assert [t for _k, t in titles(cast.admin, "ho van nhap")] == [f"Hồ Văn Nhập {n}" for n in range(3)]
