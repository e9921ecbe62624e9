"""The movement through its registers: models and their events, recognition as safe through its
window, team ratings, imports, the API, scoping, the overview figures and the home page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from cax.core.exceptions import DomainError, NotVisible
from cax.core.imports import ImportRejected
from cax.core.models import ChangeLog
from cax.core.records.importing import import_records
from cax.core.testing.units import make_village
from cax.grassroots.registers import TEAMS
from cax.movement import selectors, services, todo
from cax.movement.models import (
    ModelType,
    MovementModel,
    RecognitionScheme,
    SafetyCriterion,
    SafetyRegistration,
    TeamRating,
)
from cax.movement.registers import (
    ASSESSMENTS,
    EVALUATIONS,
    EXAMPLES,
    MODELS,
    RATINGS,
    REGISTRATIONS,
    REPLICATIONS,
)

pytestmark = pytest.mark.django_db

D = dt.date
YEAR = 2025


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def villages(cast):
    return (
        make_village(cast.commune_a, "23500-T01", "Thôn Kon Klor"),
        make_village(cast.commune_a, "23500-T02", "Thôn Plei Đôn"),
    )


AUG_2024 = D(2024, 8, 15)


def make_team(commune, villages, name="Tổ bảo vệ ANTT thôn Kon Klor", decided=AUG_2024):
    return TEAMS.save(
        actor=None,
        instance=None,
        data={
            "unit": commune,
            "name": name,
            "villages": villages,
            "planned_members": 3,
            "status": "established",
            "decision_number": "125/QĐ-UBND",
            "decision_date": decided,
        },
    )


@pytest.fixture
def team(cast, villages):
    return make_team(cast.commune_a, list(villages))


@pytest.fixture
def commune_criteria():
    """Two criteria for communes (the migration leaves them to be entered from the text)."""
    return [
        SafetyCriterion.objects.create(
            entity_type="commune", number=n, text=text, effective_from=D(2022, 1, 1), legal_basis="TT 124/2021 Điều 5"
        )
        for n, text in [(1, "Cấp ủy ra nghị quyết, chính quyền có kế hoạch"), (2, "Không xảy ra vụ việc về ANQG")]
    ]


def make_model(commune, **extra) -> MovementModel:
    data = {
        "unit": commune,
        "name": "Tổ liên hộ tự quản thôn Kon Klor",
        "model_type": ModelType.objects.get(name="Tổ liên hộ tự quản về ANTT"),
        "proposer": "police",
        "plan_date": D(2024, 1, 10),
        "decision_number": "12/QĐ-UBND",
        "decision_date": D(2024, 3, 1),
    } | extra
    return MODELS.save(actor=None, instance=None, data=data)


# -- rule rows -----------------------------------------------------------------------------------


def test_the_rule_rows_carry_the_circulars_windows_and_deadlines():
    commune = services.scheme_for("commune", 2026)
    assert commune.window.of(2026) == (D(2025, 11, 16), D(2026, 11, 15))
    assert (commune.submission_month, commune.submission_day) == (11, 30)
    assert not commune.verified  # the post-2025 authority is not known
    residential = services.scheme_for("residential", 2025)
    assert residential.window.of(2025) == (D(2024, 11, 1), D(2025, 10, 31))
    assert (residential.submission_month, residential.submission_day) == (11, 20)
    # 2025 is decided after 1 July 2025: the newest version in force during the year applies.
    assert services.scheme_for("commune", 2025).effective_from == D(2025, 7, 1)
    assert services.scheme_for("commune", 2024).authority == "UBND cấp huyện"
    rating = services.rating_scheme_for(2026)
    assert (rating.min_months, rating.excellent_cap_percent, rating.verified) == (9, 20, False)
    assert services.rating_scheme_for(2025) is None


# -- models of the movement ------------------------------------------------------------------------


def test_a_model_is_registered_replicated_and_evaluated_and_its_state_reads_any_day(cast, team, villages):
    model = MODELS.save(
        actor=cast.commune_officer,
        instance=None,
        data={
            "unit": cast.commune_a,
            "name": "Camera an ninh thôn Kon Klor",
            "model_type": ModelType.objects.get(name="Camera an ninh"),
            "proposer": "front",
            "plan_date": D(2024, 1, 10),
            "decision_number": "12/QĐ-UBND",
            "decision_date": D(2024, 3, 1),
            "teams": [team],
        },
    )
    assert list(model.teams.all()) == [team]
    with pytest.raises(DomainError, match="chỉ được nhân rộng sau khi có quyết định"):
        REPLICATIONS.save(
            actor=cast.commune_officer,
            instance=None,
            data={"model": model, "area": villages[1], "started_on": D(2024, 2, 1)},
        )
    REPLICATIONS.save(
        actor=cast.commune_officer,
        instance=None,
        data={"model": model, "area": villages[1], "started_on": D(2024, 6, 1)},
    )
    EVALUATIONS.save(
        actor=cast.commune_officer,
        instance=None,
        data={"model": model, "evaluated_on": D(2024, 12, 1), "result": "effective"},
    )
    stopped = EVALUATIONS.save(
        actor=cast.commune_officer,
        instance=None,
        data={"model": model, "evaluated_on": D(2025, 6, 1), "result": "stopped"},
    )
    assert services.state_of(model, D(2024, 2, 1)) == "planned"
    assert services.state_of(model, D(2025, 5, 31)) == "running"
    assert services.state_of(model, D(2025, 6, 1)) == "stopped"
    assert selectors.models_by_type(cast.province_staff, cast.province_a, D(2025, 5, 31)) == [("Camera an ninh", 1)]
    assert selectors.models_by_type(cast.province_staff, cast.province_a, D(2025, 6, 1)) == []
    # An evaluation is an event: it is not rewritten.
    with pytest.raises(DomainError, match="không được sửa"):
        EVALUATIONS.save(actor=cast.commune_officer, instance=stopped, data={"result": "effective"})
    assert ChangeLog.objects.filter(object_type="movement.modelevaluation").count() == 2


def test_a_model_refuses_a_decision_before_its_plan_and_a_team_of_another_commune(cast, villages):
    make_village(cast.commune_b, "23293-T01", "Tổ dân phố 1")
    foreign = make_team(cast.commune_b, ["23293-T01"], name="Tổ dân phố 1")
    with pytest.raises(DomainError) as refused:
        make_model(cast.commune_a, decision_date=D(2023, 12, 1), teams=[foreign])
    assert "trước ngày phê duyệt kế hoạch" in refused.value.fields["decision_date"][0]
    assert "không thuộc" in refused.value.fields["teams"][0]


def test_an_advanced_example_links_its_model_and_commendations(cast):
    from cax.honours.models import Commendation

    model = make_model(cast.commune_a)
    award = Commendation.objects.create(
        unit=cast.commune_a,
        form="giay_khen"
        if "giay_khen" in dict(Commendation._meta.get_field("form").choices)
        else Commendation._meta.get_field("form").choices[0][0],
        issuer="Giám đốc Công an tỉnh",
        issuer_key="giam doc cong an tinh",
        decision_number="45/QĐ-CAT",
        decision_date=D(2025, 8, 19),
    )
    example = EXAMPLES.save(
        actor=cast.commune_officer,
        instance=None,
        data={"unit": cast.commune_a, "kind": "collective", "name": model.name, "year": 2025, "model": model,
              "commendations": [award]},
    )  # fmt: skip
    assert list(example.commendations.all()) == [award]
    row = dict(zip(EXAMPLES.headers(), EXAMPLES.cells(EXAMPLES.queryset(cast.commune_officer).get()), strict=True))
    assert row["Mã khen thưởng"] == str(award.pk)
    assert "45/QĐ-CAT" in row["Khen thưởng"]


# -- recognition -----------------------------------------------------------------------------------


def _register(cast, **extra) -> SafetyRegistration:
    data = {"unit": cast.commune_a, "entity_type": "commune", "year": YEAR, "registered_on": D(YEAR, 2, 10)} | extra
    return REGISTRATIONS.save(actor=cast.commune_officer, instance=None, data=data)


def _assess_all(cast, registration, met=True):
    for criterion in services.criteria_for(registration.entity_type, registration.year):
        ASSESSMENTS.save(
            actor=cast.commune_officer,
            instance=None,
            data={"registration": registration, "criterion": criterion.number, "met": met},
        )


def test_a_safe_commune_application_through_its_window_and_the_count_moves_on_the_decision_date(cast, commune_criteria):
    registration = _register(cast)
    assert registration.entity_name == cast.commune_a.name
    # Self-assessment needs every criterion of the checklist.
    with pytest.raises(DomainError, match="Chưa đánh giá tiêu chí: 1, 2"):
        REGISTRATIONS.save(actor=cast.commune_officer, instance=registration, data={"assessed_on": D(YEAR, 11, 20)})
    _assess_all(cast, registration)
    # The commune's window of 2025 is 16/11/2024 → 15/11/2025 and its dossier is due by 30/11/2025.
    with pytest.raises(DomainError, match="trước hạn gửi hồ sơ 30/11/2025"):
        REGISTRATIONS.save(actor=cast.commune_officer, instance=registration, data={"assessed_on": D(YEAR, 12, 1)})
    registration = REGISTRATIONS.save(
        actor=cast.commune_officer, instance=registration, data={"assessed_on": D(YEAR, 11, 20)}
    )
    decided = D(YEAR, 12, 10)
    registration = REGISTRATIONS.save(
        actor=cast.province_staff,
        instance=registration,
        data={"decision_number": "999/QĐ-UBND", "decision_date": decided, "result": "recognised",
              "certificate_number": "GCN-2025-01"},
    )  # fmt: skip
    assert registration.authority == services.scheme_for("commune", YEAR).authority
    before = selectors.recognised_counts(cast.province_staff, cast.province_a, decided - dt.timedelta(days=1))
    on_the_day = selectors.recognised_counts(cast.province_staff, cast.province_a, decided)
    assert before == {}
    assert on_the_day == {"commune": 1}
    # The recognition of 2025 still stands in 2026, and lapses when 2027 passes without a new one.
    assert selectors.recognised_counts(cast.province_staff, cast.province_a, D(2026, 12, 31)) == {"commune": 1}
    assert selectors.recognised_counts(cast.province_staff, cast.province_a, D(2027, 1, 1)) == {}
    # Once decided, the checklist is kept as it was.
    with pytest.raises(DomainError, match="đã có quyết định"):
        ASSESSMENTS.save(actor=cast.commune_officer, instance=registration.assessments.first(), data={"met": False})


def test_recognition_needs_every_criterion_met_a_certificate_and_a_decision_after_assessment(cast, commune_criteria):
    registration = _register(cast)
    for criterion, met in zip(commune_criteria, [True, False], strict=True):
        ASSESSMENTS.save(
            actor=cast.commune_officer,
            instance=None,
            data={"registration": registration, "criterion": criterion, "met": met},
        )
    registration = REGISTRATIONS.save(
        actor=cast.commune_officer, instance=registration, data={"assessed_on": D(YEAR, 11, 15)}
    )
    with pytest.raises(DomainError) as refused:
        REGISTRATIONS.save(
            actor=cast.province_staff,
            instance=registration,
            data={"decision_number": "1/QĐ", "decision_date": D(YEAR, 11, 1), "result": "recognised"},
        )
    fields = refused.value.fields
    assert "Không đạt tiêu chí 2" in fields["result"][0]
    assert "trước ngày tự đánh giá" in " ".join(fields["decision_date"])
    assert "giấy công nhận" in fields["certificate_number"][0]
    refused_ok = REGISTRATIONS.save(
        actor=cast.province_staff,
        instance=registration,
        data={"decision_number": "1/QĐ", "decision_date": D(YEAR, 12, 1), "result": "not_recognised"},
    )
    assert selectors.recognised_counts(cast.province_staff, cast.province_a, D(YEAR, 12, 31)) == {}
    assert refused_ok.result == "not_recognised"


def test_registration_is_in_the_first_quarter_and_names_its_entity(cast, villages):
    with pytest.raises(DomainError, match="01/01/2025 – 31/03/2025"):
        _register(cast, registered_on=D(YEAR, 4, 1))
    with pytest.raises(DomainError, match="phải ghi mã thôn"):
        _register(cast, entity_type="residential")
    with pytest.raises(DomainError, match="Ghi tên cơ quan"):
        _register(cast, entity_type="school")
    area = _register(cast, entity_type="residential", area=villages[0])
    assert area.entity_name == "Thôn Kon Klor"
    # The commune's checklist is not in the rule rows yet: no self-assessment without one.
    commune = _register(cast)
    with pytest.raises(DomainError, match="Chưa có bộ tiêu chí"):
        REGISTRATIONS.save(actor=cast.commune_officer, instance=commune, data={"assessed_on": D(YEAR, 11, 20)})


def test_a_residential_area_recognised_on_the_migrations_checklist(cast, villages):
    registration = _register(cast, entity_type="residential", area=villages[0])
    _assess_all(cast, registration)
    assert registration.assessments.count() == 3
    with pytest.raises(DomainError, match="trước hạn gửi hồ sơ 20/11/2025"):
        REGISTRATIONS.save(actor=cast.commune_officer, instance=registration, data={"assessed_on": D(YEAR, 11, 21)})
    REGISTRATIONS.save(
        actor=cast.commune_officer,
        instance=registration,
        data={"assessed_on": D(YEAR, 10, 31), "decision_number": "7/QĐ-UBND", "decision_date": D(YEAR, 11, 25),
              "result": "recognised", "certificate_number": "GCN-7"},
    )  # fmt: skip
    assert selectors.recognised_counts(cast.commune_officer, cast.commune_a, D(YEAR, 11, 25)) == {"residential": 1}


def test_registrations_closing_soon_without_assessment_are_on_the_home_page(cast, commune_criteria):
    registration = _register(cast)
    now = dt.datetime(YEAR, 11, 1, 9, tzinfo=dt.UTC)
    lines = todo.todo(actor=cast.commune_officer, now=now)
    due = next(line for line in lines if "sắp hết kỳ" in str(line.label))
    assert due.count == 1
    assert "due=1" in due.url
    assert list(REGISTRATIONS.search(cast.commune_officer, {"due": "1", "as_of": "2025-11-01"})) == [registration]
    assert not REGISTRATIONS.search(cast.commune_officer, {"due": "1", "as_of": "2025-09-01"}).exists()


# -- team ratings ----------------------------------------------------------------------------------


def test_a_team_under_nine_months_is_not_rated(cast, villages):
    young = make_team(cast.commune_a, list(villages), decided=D(2026, 2, 15))
    with pytest.raises(DomainError, match="mới hoạt động 8 tháng"):
        RATINGS.save(
            actor=cast.commune_officer,
            instance=None,
            data={"team": young, "year": 2026, "level": "good", "decided_on": D(2026, 11, 20)},
        )
    assert not TeamRating.objects.exists()


def test_the_cap_on_excellent_and_the_ratings_figure(cast, villages):
    teams = [make_team(cast.commune_a, list(villages), name=f"Tổ {i}", decided=D(2024, 1, 1)) for i in range(6)]
    rate = lambda team, level: RATINGS.save(  # noqa: E731
        actor=cast.commune_officer,
        instance=None,
        data={"team": team, "year": 2026, "level": level, "decided_on": D(2026, 11, 20)},
    )
    # 20% of the teams rated good or better: one excellent needs five such teams.
    with pytest.raises(DomainError, match="tối đa 20% là 0 tổ"):
        rate(teams[0], "excellent")
    for team in teams[:4]:
        rate(team, "good")
    rate(teams[4], "excellent")
    with pytest.raises(DomainError, match="2 tổ xuất sắc"):
        rate(teams[5], "excellent")
    rate(teams[5], "done")
    counts = selectors.rating_counts(cast.province_staff, cast.province_a, 2026, D(2026, 11, 20))
    assert counts == {"good": 4, "excellent": 1, "done": 1}
    assert selectors.rating_counts(cast.province_staff, cast.province_a, 2026, D(2026, 11, 19)) == {}


def test_teams_not_rated_are_on_the_home_page_and_their_page(cast, login, team):
    now = dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)
    line = next(x for x in todo.todo(actor=cast.commune_officer, now=now) if "chưa xếp loại" in str(x.label))
    assert line.count == 1
    client = login(cast.commune_officer)
    page = client.get(line.url)
    assert page.status_code == 200
    assert team.name in page.content.decode()
    RATINGS.save(
        actor=None, instance=None, data={"team": team, "year": 2026, "level": "done", "decided_on": D(2026, 11, 20)}
    )
    line = next(x for x in todo.todo(actor=cast.commune_officer, now=now) if "chưa xếp loại" in str(x.label))
    assert line.count == 0


# -- imports, export, API, scoping -----------------------------------------------------------------


def test_the_registration_export_imports_back_unchanged(cast, login, commune_criteria, villages):
    registration = _register(cast)
    _assess_all(cast, registration)
    _register(cast, entity_type="residential", area=villages[0])
    client = login(cast.commune_officer)
    for register in (REGISTRATIONS, ASSESSMENTS):
        response = client.get(register.url("list"), {"format": "xlsx"})
        content = b"".join(response.streaming_content) if response.streaming else response.content
        result = import_records(register, actor=cast.commune_officer, filename="x.xlsx", content=content, dry_run=False)
        assert (result.created, result.updated) == (0, 0), register.name
        assert result.unchanged == 2


def test_an_import_with_one_bad_row_is_refused_whole_naming_row_and_column(cast, villages):
    header = ["Mã xã", "Đối tượng", "Mã khu dân cư", "Tên đơn vị đăng ký", "Năm", "Ngày đăng ký"]
    content = _xlsx(
        [
            header,
            ["23500", "Khu dân cư", "23500-T01", "", 2025, "10/02/2025"],
            ["23500", "Khu dân cư", "23500-T02", "", 2025, "10/05/2025"],
        ]
    )
    with pytest.raises(ImportRejected) as refused:
        import_records(REGISTRATIONS, actor=cast.commune_officer, filename="x.xlsx", content=content, dry_run=False)
    errors = refused.value.errors
    assert [(e.row, e.column) for e in errors] == [(3, "Ngày đăng ký")]
    assert not SafetyRegistration.objects.exists()


def test_models_import_from_excel_with_their_type_and_teams(cast, team):
    content = _xlsx(
        [
            ["Tên mô hình", "Mã xã", "Loại mô hình", "Đơn vị đề xuất", "Số quyết định thành lập",
             "Ngày quyết định thành lập", "Mã tổ vận hành"],
            ["Dòng họ tự quản họ Nguyễn", "23500", "Dòng họ tự quản", "Mặt trận Tổ quốc", "5/QĐ-UBND", "01/04/2024",
             team.code],
        ]
    )  # fmt: skip
    result = import_records(MODELS, actor=cast.commune_officer, filename="x.xlsx", content=content, dry_run=False)
    assert result.created == 1
    model = MovementModel.objects.get()
    assert (model.model_type.name, model.proposer, list(model.teams.all())) == ("Dòng họ tự quản", "front", [team])


def test_api_lists_creates_and_reports_a_rule(cast, client, team):
    client.force_login(cast.commune_officer)
    body = {"team": team.code, "year": 2026, "level": "Xuất sắc", "decided_on": "20/11/2026"}
    bad = client.post("/api/v1/movement/ratings", body, content_type="application/json")
    assert bad.status_code == 400
    assert "xuất sắc" in bad.json()["extra"]["fields"]["level"][0]
    ok = client.post("/api/v1/movement/ratings", body | {"level": "Tốt"}, content_type="application/json")
    assert ok.status_code == 201, ok.json()
    listing = client.get("/api/v1/movement/ratings", {"year": "2026"}).json()
    assert listing["count"] == 1
    assert listing["items"][0]["level"] == "good"


def test_another_communes_officer_sees_nothing_and_cannot_edit(cast, client, commune_criteria):
    registration = _register(cast)
    model = make_model(cast.commune_a)
    client.force_login(cast.commune_c_officer)
    for slug in ["registrations", "models"]:
        assert client.get(f"/api/v1/movement/{slug}").json()["count"] == 0
    assert client.get(reverse("movement:registration_detail", args=[registration.pk])).status_code == 404
    with pytest.raises(NotVisible):
        MODELS.save(actor=cast.commune_c_officer, instance=model, data={"name": "Đổi tên"})
    assert selectors.recognised_counts(cast.commune_c_officer, cast.commune_c, D(2026, 1, 1)) == {}


# -- pages and tiles -------------------------------------------------------------------------------


def test_every_page_renders_and_lists_take_a_constant_number_of_queries(
    cast, login, team, villages, commune_criteria, django_assert_max_num_queries
):
    model = make_model(cast.commune_a, teams=[team])
    for i in range(8):
        EVALUATIONS.save(
            actor=None, instance=None, data={"model": model, "evaluated_on": D(2024, 4, 1 + i), "result": "effective"}
        )
        m = make_model(cast.commune_a, name=f"Mô hình {i}")
        REPLICATIONS.save(
            actor=None, instance=None, data={"model": m, "place": f"Khu {i}", "started_on": D(2024, 5, 1)}
        )
    registration = _register(cast)
    _assess_all(cast, registration)
    client = login(cast.province_staff)
    for register in (MODELS, REPLICATIONS, EVALUATIONS, EXAMPLES, REGISTRATIONS, ASSESSMENTS, RATINGS):
        with django_assert_max_num_queries(10):
            assert client.get(register.url("list")).status_code == 200, register.name
        with django_assert_max_num_queries(10):
            assert client.get(register.url("list"), {"format": "xlsx"}).status_code == 200, register.name
        assert client.get(register.url("create")).status_code == 200, register.name
        assert client.get(register.url("import")).status_code == 200, register.name
    assert client.get(MODELS.url("detail", model.pk)).status_code == 200
    page = client.get(REGISTRATIONS.url("detail", registration.pk))
    assert page.status_code == 200
    assert "Không xảy ra vụ việc về ANQG" in page.content.decode()
    with django_assert_max_num_queries(6):
        tiles = selectors.tiles(
            actor=cast.province_staff, unit=cast.province_a, first=D(2026, 1, 1), last=D(2026, 12, 31)
        )
    assert [t.title for t in tiles][:2] == ["Mô hình đang hoạt động", "Đơn vị đạt chuẩn an toàn về ANTT"]
    assert tiles[0].value == "9"
    assert client.get(tiles[0].url).context["page"].paginator.count == 9


def test_the_demo_obeys_the_rules_and_loads_once(cast):
    from cax.grassroots.demo import load_demo as grassroots_demo
    from cax.movement.demo import load_demo

    grassroots_demo(province=cast.province_a)
    load_demo(province=cast.province_a)
    assert MovementModel.objects.exists()
    assert SafetyRegistration.objects.filter(result="recognised").exists()
    before = (MovementModel.objects.count(), SafetyRegistration.objects.count(), TeamRating.objects.count())
    load_demo(province=cast.province_a)
    assert (MovementModel.objects.count(), SafetyRegistration.objects.count(), TeamRating.objects.count()) == before
    assert RecognitionScheme.objects.count() == 6


def test_the_dashboards_trend_counts_as_the_overview_does(cast, villages):
    for village, decided in zip(villages, [D(2024, 11, 25), D(2025, 11, 25)], strict=True):
        registration = _register(cast, entity_type="residential", area=village, year=decided.year,
                                 registered_on=D(decided.year, 2, 1))  # fmt: skip
        _assess_all(cast, registration)
        scheme = services.scheme_for("residential", decided.year)
        REGISTRATIONS.save(
            actor=None,
            instance=registration,
            data={"assessed_on": scheme.window.of(decided.year)[1], "decision_number": "1/QĐ",
                  "decision_date": decided, "result": "recognised", "certificate_number": "GCN"},
        )  # fmt: skip
    ends = [D(2024, 10, 31), D(2024, 11, 30), D(2025, 11, 30), D(2025, 12, 31), D(2026, 1, 31)]
    now = dt.datetime(2026, 1, 31, 12, tzinfo=dt.UTC)
    figures = selectors.dashboard_figures(actor=cast.province_staff, unit=cast.province_a, ends=ends, now=now)
    expected = [
        float(sum(selectors.recognised_counts(cast.province_staff, cast.province_a, end).values())) for end in ends
    ]
    assert figures.trends[0][2] == expected == [0.0, 1.0, 2.0, 2.0, 1.0]
    assert figures.columns[0].total == 1.0
