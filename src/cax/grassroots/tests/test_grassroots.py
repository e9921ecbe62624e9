"""The grassroots force through its registers: criteria, teams, import, API, scoping, tiles."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from cax.core.exceptions import DomainError, NotVisible
from cax.core.imports import ImportRejected
from cax.core.models import ChangeLog
from cax.core.records.importing import import_records
from cax.core.testing.units import make_village
from cax.grassroots import selectors, services
from cax.grassroots.models import AllowancePayment, Criteria, Team, TeamMember
from cax.grassroots.registers import ALLOWANCES, CRITERIA, MEMBERS, TEAMS
from cax.units.imports import units_import
from cax.units.models import Unit

pytestmark = pytest.mark.django_db

JOINED = dt.date(2025, 3, 1)


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _flags(unit: Unit, **flags) -> Unit:
    values = {"is_border": False, "is_ethnic_minority": False, "is_remote": False} | flags
    Unit.objects.filter(pk=unit.pk).update(**values)
    return Unit.objects.select_related("unit_type").get(pk=unit.pk)


@pytest.fixture
def villages(cast):
    return (
        make_village(cast.commune_a, "23500-T01", "Thôn Kon Klor"),
        make_village(cast.commune_a, "23500-T02", "Thôn Plei Đôn"),
    )


@pytest.fixture
def team(cast, villages):
    return make_team(cast.commune_a, list(villages))


def make_team(commune, villages, **extra) -> Team:
    data = {
        "unit": commune,
        "name": "Tổ bảo vệ ANTT thôn Kon Klor",
        "villages": villages,
        "planned_members": 3,
        "status": "established",
        "decision_number": "125/QĐ-UBND",
        "decision_date": dt.date(2024, 8, 15),
    } | extra
    return TEAMS.save(actor=None, instance=None, data=data)


def member_data(team, **extra) -> dict:
    return {
        "team": team,
        "full_name": "Nguyễn Văn A",
        "sex": "male",
        "date_of_birth": dt.date(1985, 5, 12),
        "id_number": "051085001234",
        "role": "member",
        "joined_on": JOINED,
        "residence_since": dt.date(2010, 1, 1),
        "health_certificate_on": dt.date(2025, 2, 20),
        "education": "lower_secondary",
    } | extra


def add_member(team, actor=None, **extra) -> TeamMember:
    return MEMBERS.save(actor=actor, instance=None, data=member_data(team, **extra))


def refused(team, **extra) -> dict:
    with pytest.raises(DomainError) as exc:
        add_member(team, **extra)
    return exc.value.fields


# -- villages ------------------------------------------------------------------------------------


def test_a_village_file_imports_under_its_commune_with_the_units_importer(cast):
    content = _xlsx(
        [
            ["Mã", "Tên", "Loại", "Mã đơn vị cấp trên", "Vùng dân tộc thiểu số", "Tiếng dân tộc tại địa bàn"],
            ["23500-T01", "Thôn Kon Klor", "thon", "23500", "Có", "Xơ Đăng; Ba Na"],
            ["23500-TDP1", "Tổ dân phố 1", "to_dan_pho", "23500", "Không", ""],
        ]
    )
    result = units_import(actor=cast.province_staff, filename="thon.xlsx", content=content, dry_run=False)
    assert result.created == 2
    village = Unit.objects.select_related("unit_type", "parent").get(code="23500-T01")
    assert (village.parent, village.unit_type.code, village.is_ethnic_minority) == (cast.commune_a, "thon", True)
    assert village.local_languages == ["Xơ Đăng", "Ba Na"]
    assert village.path.startswith(cast.commune_a.path)
    assert Unit.objects.get(code="23500-TDP1").unit_type.code == "to_dan_pho"


# -- criteria ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "decision", "problem"),
    [
        (dt.date(2007, 3, 1), "", None),  # 18 exactly on the day of joining
        (dt.date(2007, 3, 2), "", "mới 17 tuổi vào ngày 01/03/2025"),
        (dt.date(1954, 3, 2), "", None),  # 70 (turns 71 the next day)
        (dt.date(1954, 3, 1), "", "đã 71 tuổi vào ngày 01/03/2025"),
        (dt.date(1954, 3, 1), "15/QĐ-UBND", None),  # over 70 with the chairman's decision
    ],
)
def test_age_limits_at_the_boundaries(team, born, decision, problem):
    if problem is None:
        assert add_member(team, date_of_birth=born, over_age_decision=decision).pk
    else:
        fields = refused(team, date_of_birth=born, over_age_decision=decision)
        assert problem in fields["date_of_birth"][0]
        assert "18–70" in fields["date_of_birth"][0] or "quyết định của Chủ tịch UBND xã" in fields["date_of_birth"][0]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    born=st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2015, 12, 31)),
    decision=st.sampled_from(["", "15/QĐ-UBND"]),
)
def test_age_rule_matches_the_law_for_any_date(team, born, decision):
    age = services.age_on(born, JOINED)
    member = TeamMember(team=team, **{k: v for k, v in member_data(team).items() if k != "team"})
    member.date_of_birth, member.over_age_decision = born, decision
    problems = services.member_problems(member)
    expected = age < 18 or (age > 70 and not decision)
    assert ("date_of_birth" in problems) is expected, (born, age, decision)


def test_residence_must_cover_the_provinces_months_before_joining(team):
    fields = refused(team, residence_since=dt.date(2024, 3, 2))
    assert "chưa đủ 12 tháng" in fields["residence_since"][0]
    assert "01/03/2025" in fields["residence_since"][0]
    assert add_member(team, residence_since=dt.date(2024, 3, 1)).pk


def test_a_health_certificate_is_required(team):
    fields = refused(team, health_certificate_on=None)
    assert "giấy khám sức khoẻ" in fields["health_certificate_on"][0]


def test_primary_education_only_in_border_ethnic_or_remote_communes(cast, villages):
    _flags(cast.commune_a)
    team = make_team(Unit.objects.select_related("unit_type").get(pk=cast.commune_a.pk), list(villages))
    fields = refused(team, education="primary")
    assert "THCS" in fields["education"][0]
    _flags(cast.commune_a, is_ethnic_minority=True)
    team.refresh_from_db()
    team.unit = Unit.objects.select_related("unit_type").get(pk=cast.commune_a.pk)
    assert add_member(team, education="primary").pk


def test_a_province_tightens_the_criteria_and_its_row_applies(cast, team):
    CRITERIA.save(
        actor=cast.province_staff,
        instance=None,
        data={
            "unit": cast.province_a,
            "min_age": 20,
            "max_age": 65,
            "min_residence_months": 24,
            "default_team_size": 5,
        },
    )
    fields = refused(team, date_of_birth=dt.date(2006, 1, 1))
    assert "mới 19 tuổi" in fields["date_of_birth"][0]
    assert "20–65" in fields["date_of_birth"][0]
    assert "Quảng Ngãi" in fields["date_of_birth"][0]
    assert services.criteria_for(cast.commune_c).min_age == 18  # Hà Nội keeps the law's numbers


def test_a_province_cannot_loosen_the_law(cast):
    with pytest.raises(DomainError) as exc:
        CRITERIA.save(actor=cast.province_staff, instance=None, data={"unit": cast.province_a, "min_age": 16})
    assert "không được thấp hơn 18" in exc.value.fields["min_age"][0]
    with pytest.raises(DomainError):
        CRITERIA.save(actor=cast.commune_officer, instance=None, data={"unit": cast.province_a, "min_age": 20})
    assert not Criteria.objects.filter(unit=cast.province_a).exists()


# -- teams ---------------------------------------------------------------------------------------


def test_only_one_active_leader_per_team(team):
    add_member(team, role="leader")
    fields = refused(team, role="leader", id_number="051085009999", full_name="Trần Văn B")
    assert "đã có tổ trưởng Nguyễn Văn A" in fields["role"][0]
    leader = TeamMember.objects.get(role="leader")
    MEMBERS.save(actor=None, instance=leader, data={"left_on": dt.date(2025, 4, 1)})
    assert add_member(team, role="leader", id_number="051085009999", full_name="Trần Văn B").pk


def test_an_id_number_is_active_in_one_team_only_and_is_masked_in_the_log(team):
    member = add_member(team)
    fields = refused(team, full_name="Người khác")
    assert "051085001234 đã là thành viên đang hoạt động" in fields["id_number"][0]
    entry = ChangeLog.objects.get(object_type="grassroots.teammember", object_id=str(member.pk), action="create")
    assert entry.after["id_number"].startswith("masked:")
    assert "051085001234" not in str(entry.after)


def test_villages_must_lie_under_the_teams_commune(cast, villages):
    other = make_village(cast.commune_b, "23293-T01", "Tổ dân phố 1")
    with pytest.raises(DomainError) as exc:
        make_team(cast.commune_a, [villages[0], other])
    assert "không thuộc Xã Đăk Hà" in exc.value.fields["villages"][0]
    with pytest.raises(DomainError) as exc:
        make_team(cast.commune_a, ["23500-T09"])
    assert "23500-T09" in exc.value.fields["villages"][0]
    team = make_team(cast.commune_a, ["23500-T01", "23500-T02"])
    assert sorted(team.villages.values_list("code", flat=True)) == ["23500-T01", "23500-T02"]


def test_complete_means_established_one_leader_and_enough_active_members(team):
    assert services.is_complete(team) is False
    add_member(team, role="leader")
    add_member(team, id_number="051085000002", full_name="Lê Văn B")
    assert services.is_complete(team) is False  # 2 of 3
    third = add_member(team, id_number="051085000003", full_name="Phạm Thị C", sex="female")
    assert services.is_complete(team) is True
    MEMBERS.save(actor=None, instance=third, data={"left_on": dt.date(2025, 5, 1)})
    assert services.is_complete(team) is False
    counted = services.with_completeness(Team.objects.all()).get()
    assert (counted.active_members, counted.active_leaders) == (2, 1)


def test_the_complete_filter_and_the_detail_agree(cast, login, team):
    add_member(team, role="leader")
    client = login(cast.commune_officer)
    listing = client.get(reverse("grassroots:team_list"), {"unit": cast.commune_a.code, "complete": "0"})
    assert team.name in listing.content.decode()
    assert team.name not in client.get(reverse("grassroots:team_list"), {"complete": "1"}).content.decode()
    detail = client.get(reverse("grassroots:team_detail", args=[team.pk]))
    assert "Tổ chưa kiện toàn: 1/3" in detail.content.decode()


def test_editing_through_the_form_logs_the_value_before_the_change(cast, login, team):
    client = login(cast.commune_officer)
    response = client.post(
        reverse("grassroots:team_edit", args=[team.pk]),
        {
            "unit": cast.commune_a.code,
            "code": team.code,
            "name": "Tổ bảo vệ ANTT số 1",
            "villages": "23500-T01",
            "planned_members": "4",
            "status": "established",
            "decision_number": "125/QĐ-UBND",
            "decision_date": "2024-08-15",
            "note": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    entry = ChangeLog.objects.get(object_type="grassroots.team", object_id=str(team.pk), action="update", message="")
    assert entry.before["name"] == "Tổ bảo vệ ANTT thôn Kon Klor"
    assert entry.after["name"] == "Tổ bảo vệ ANTT số 1"
    assert list(Team.objects.get().villages.values_list("code", flat=True)) == ["23500-T01"]


# -- import --------------------------------------------------------------------------------------

ROSTER_HEADER = [
    "Họ và tên",
    "Mã tổ",
    "Chức danh",
    "Giới tính",
    "Ngày sinh",
    "Số căn cước",
    "Ngày tham gia",
    "Cư trú tại địa bàn từ ngày",
    "Ngày giấy khám sức khoẻ",
    "Trình độ học vấn",
]


def _roster(team, under_age: bool = False, phone: str | None = None) -> bytes:
    rows = [
        [
            "Nguyễn Văn A",
            team.code,
            "TT",
            "Nam",
            "12/05/1985",
            "051085001234",
            "01/03/2025",
            "01/01/2010",
            "20/02/2025",
            "THPT",
        ],
        [
            "Trần Thị B",
            team.code,
            "Tổ viên",
            "Nữ",
            "03/07/1992",
            "051192004321",
            "01/03/2025",
            "01/01/2015",
            "20/02/2025",
            "THCS",
        ],
    ]
    if under_age:
        rows.append(
            [
                "Đinh Văn C",
                team.code,
                "Tổ viên",
                "Nam",
                "02/03/2007",
                "051207000777",
                "01/03/2025",
                "02/03/2007",
                "20/02/2025",
                "THCS",
            ]
        )
    header = list(ROSTER_HEADER)
    if phone is not None:
        header.append("Điện thoại")
        rows = [[*row, phone] for row in rows]
    return _xlsx([header, *rows])


def test_a_roster_with_an_under_age_member_is_refused_whole_naming_row_and_column(cast, team):
    with pytest.raises(ImportRejected) as rejected:
        import_records(
            MEMBERS, actor=cast.commune_officer, filename="to.xlsx", content=_roster(team, True), dry_run=False
        )
    errors = rejected.value.errors
    assert [(e.row, e.column) for e in errors] == [(4, "Ngày sinh")]
    assert "Đinh Văn C mới 17 tuổi vào ngày 01/03/2025" in errors[0].message
    assert "18–70 tuổi" in errors[0].message
    assert not TeamMember.objects.exists()


def test_the_web_import_shows_the_under_age_row_and_imports_nothing(cast, login, team):
    client = login(cast.commune_officer)
    upload = SimpleUploadedFile("to.xlsx", _roster(team, True))
    response = client.post(reverse("grassroots:member_import"), {"file": upload})
    assert response.status_code == 302
    preview = client.get(response.url)
    rejected = preview.context["rejected"]
    assert [(e.row, e.column) for e in rejected.errors] == [(4, "Ngày sinh")]
    assert "mới 17 tuổi" in preview.content.decode()
    confirm = client.post(response.url)
    assert "rejected" in confirm.context
    assert not TeamMember.objects.exists()


def test_a_roster_imports_and_a_second_file_updates_by_id_number(cast, team):
    first = import_records(
        MEMBERS, actor=cast.commune_officer, filename="to.xlsx", content=_roster(team), dry_run=False
    )
    assert first.created == 2
    assert TeamMember.objects.get(id_number="051085001234").role == "leader"
    again = import_records(
        MEMBERS,
        actor=cast.commune_officer,
        filename="to.xlsx",
        content=_roster(team, phone="0905123456"),
        dry_run=False,
    )
    assert (again.created, again.updated) == (0, 2)
    assert set(TeamMember.objects.values_list("phone", flat=True)) == {"0905123456"}


def test_teams_import_with_village_codes_and_allowances_by_id_number(cast, villages):
    content = _xlsx(
        [
            ["Tên tổ", "Mã xã", "Mã thôn, tổ dân phố", "Số thành viên theo quy định", "Trạng thái"],
            ["Tổ thôn Kon Klor", "23500", "23500-T01", 3, "Dự kiến thành lập"],
            ["Tổ thôn Plei Đôn", "23500", "23500-T02; 23293-T99", 3, "Dự kiến thành lập"],
        ]
    )
    with pytest.raises(ImportRejected) as rejected:
        import_records(TEAMS, actor=cast.commune_officer, filename="t.xlsx", content=content, dry_run=False)
    assert [(e.row, e.column) for e in rejected.value.errors] == [(3, "Mã thôn, tổ dân phố")]
    assert not Team.objects.exists()
    good = _xlsx([["Tên tổ", "Mã xã", "Mã thôn, tổ dân phố"], ["Tổ thôn Kon Klor", "23500", "23500-T01"]])
    import_records(TEAMS, actor=cast.commune_officer, filename="t.xlsx", content=good, dry_run=False)
    team = Team.objects.get()
    assert (team.code, team.planned_members) == ("23500-T01", 3)
    again = import_records(TEAMS, actor=cast.commune_officer, filename="t.xlsx", content=good, dry_run=False)
    assert (again.created, again.unchanged) == (0, 1)
    add_member(team)
    pay = _xlsx(
        [
            ["Số căn cước thành viên", "Tháng", "Loại chế độ", "Số tiền (đồng)", "Ngày chi"],
            ["051085001234", "03/2025", "Hỗ trợ hằng tháng", 1100000, "05/04/2025"],
        ]
    )
    assert import_records(ALLOWANCES, actor=cast.commune_officer, filename="c.xlsx", content=pay, dry_run=False).created
    payment = AllowancePayment.objects.get()
    assert (payment.month, payment.amount) == (dt.date(2025, 3, 1), 1100000)


# -- scoping and API -----------------------------------------------------------------------------


def test_another_communes_officer_sees_nothing_and_cannot_edit(cast, client, team):
    add_member(team)
    client.force_login(cast.commune_c_officer)
    for slug in ["teams", "members"]:
        assert client.get(f"/api/v1/grassroots/{slug}").json()["count"] == 0
    assert client.get(reverse("grassroots:team_detail", args=[team.pk])).status_code == 404
    tiles = selectors.tiles(actor=cast.commune_c_officer, unit=cast.commune_c, first=dt.date(2025, 1, 1), last=JOINED)
    assert tiles[0].value == "0/0"
    make_village(cast.commune_b, "23293-T01", "Tổ dân phố 1")
    team_b = make_team(cast.commune_b, ["23293-T01"], name="Tổ dân phố 1")
    with pytest.raises(NotVisible):
        TEAMS.save(actor=cast.commune_officer, instance=team_b, data={"name": "Đổi tên"})
    client.force_login(cast.commune_officer)
    assert client.get(reverse("grassroots:team_edit", args=[team_b.pk])).status_code == 404
    assert Team.objects.get(pk=team_b.pk).name == "Tổ dân phố 1"


def test_api_lists_creates_and_reports_a_criteria_breach(cast, client, team):
    client.force_login(cast.commune_officer)
    body = {
        "full_name": "Y Bhăm",
        "team": team.code,
        "sex": "Nam",
        "date_of_birth": "01/01/2010",
        "id_number": "051210000001",
        "joined_on": "01/03/2025",
        "residence_since": "01/01/2010",
        "health_certificate_on": "20/02/2025",
        "education": "THCS",
    }
    bad = client.post("/api/v1/grassroots/members", body, content_type="application/json")
    assert bad.status_code == 400
    assert "mới 15 tuổi" in bad.json()["extra"]["fields"]["date_of_birth"][0]
    ok = client.post(
        "/api/v1/grassroots/members", body | {"date_of_birth": "01/01/1990"}, content_type="application/json"
    )
    assert ok.status_code == 201, ok.json()
    assert ok.json()["team"] == team.code
    assert ok.json()["unit_code"] == cast.commune_a.code
    listing = client.get("/api/v1/grassroots/teams", {"complete": "0"}).json()
    assert listing["count"] == 1
    assert listing["items"][0]["is_complete"] is False


# -- pages and tiles -----------------------------------------------------------------------------


def _many(cast, villages, n: int = 12) -> Team:
    team = make_team(cast.commune_a, list(villages), planned_members=n)
    for i in range(n):
        member = add_member(
            team, id_number=f"0510850{i:05d}", full_name=f"Thành viên {i}", role="leader" if i == 0 else "member"
        )
        ALLOWANCES.save(
            actor=None,
            instance=None,
            data={
                "member": member,
                "month": dt.date(2025, 3, 1),
                "kind": "monthly",
                "amount": 1_100_000,
                "paid_on": dt.date(2025, 4, 5),
            },
        )
    return team


def test_list_pages_and_tiles_take_a_constant_number_of_queries(cast, login, villages, django_assert_max_num_queries):
    _many(cast, villages)
    client = login(cast.province_staff)
    for name in ["team", "member", "allowance", "criteria"]:
        with django_assert_max_num_queries(9):
            assert client.get(reverse(f"grassroots:{name}_list")).status_code == 200
        with django_assert_max_num_queries(9):
            assert client.get(reverse(f"grassroots:{name}_list"), {"format": "xlsx"}).status_code == 200
    with django_assert_max_num_queries(3):
        selectors.tiles(
            actor=cast.province_staff, unit=cast.province_a, first=dt.date(2025, 1, 1), last=dt.date(2025, 12, 31)
        )


def test_tiles_follow_the_data_and_link_to_filtered_lists(cast, login, villages):
    first, last = dt.date(2025, 1, 1), min(dt.date(2025, 12, 31), timezone.localdate())
    team = _many(cast, villages, n=3)
    tiles = selectors.tiles(actor=cast.province_staff, unit=cast.province_a, first=first, last=last)
    assert [t.value for t in tiles] == ["1/1", "0%", "3.300.000 đ"]
    assert "complete=0" in tiles[0].url
    assert "unit=51" in tiles[0].url
    MEMBERS.save(
        actor=None, instance=team.members.get(role="member", full_name="Thành viên 1"), data={"left_on": JOINED}
    )
    tiles = selectors.tiles(actor=cast.province_staff, unit=cast.province_a, first=first, last=last)
    assert tiles[0].value == "0/1"
    client = login(cast.province_staff)
    drill = client.get(tiles[1].url)
    assert drill.status_code == 200
    assert "Thành viên 0" in drill.content.decode()
    assert client.get(tiles[2].url).context["page"].paginator.count == 3


def test_every_page_of_both_apps_renders(cast, login, team):
    member = add_member(team)
    client = login(cast.province_staff)
    pages = [
        reverse("grassroots:team_create"),
        reverse("grassroots:team_edit", args=[team.pk]),
        reverse("grassroots:member_create") + f"?team={team.pk}",
        reverse("grassroots:member_edit", args=[member.pk]),
        reverse("grassroots:member_detail", args=[member.pk]),
        reverse("grassroots:allowance_create"),
        reverse("grassroots:criteria_create"),
        reverse("grassroots:member_import"),
        reverse("grassroots:member_import_template"),
        reverse("training:course_create"),
        reverse("training:participant_create"),
        reverse("training:course_list"),
        reverse("training:participant_list"),
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    edit = client.get(reverse("grassroots:team_edit", args=[team.pk]))
    assert 'value="23500-T01; 23500-T02"' in edit.content.decode()
    assert client.get(f"/overview/{cast.province_a.pk}/").status_code == 200


def test_an_id_number_held_in_another_commune_is_refused_without_naming_the_holder(cast, team):
    make_village(cast.commune_b, "23293-T01", "Tổ dân phố 1")
    other_team = make_team(cast.commune_b, ["23293-T01"], name="Tổ bảo vệ ANTT TDP 1")
    add_member(other_team, full_name="Người Ở Phường Khác")
    fields = refused(team)
    assert "đơn vị khác" in fields["id_number"][0]
    assert "Người Ở Phường Khác" not in fields["id_number"][0]


def test_rejoining_after_leaving_is_a_new_membership_the_old_one_stays_as_history(cast, team):
    first = add_member(team)
    MEMBERS.save(actor=None, instance=first, data={"left_on": dt.date(2025, 6, 30)})
    header = list(ROSTER_HEADER)
    row = [
        "Nguyễn Văn A",
        team.code,
        "Tổ viên",
        "Nam",
        "12/05/1985",
        "051085001234",
        "01/09/2025",
        "01/01/2010",
        "20/08/2025",
        "THPT",
    ]
    result = import_records(
        MEMBERS, actor=cast.commune_chief, filename="r.xlsx", content=_xlsx([header, row]), dry_run=False
    )
    assert (result.created, result.updated) == (1, 0)
    memberships = TeamMember.objects.filter(id_number="051085001234").order_by("joined_on")
    assert [(m.joined_on, m.left_on) for m in memberships] == [
        (JOINED, dt.date(2025, 6, 30)),
        (dt.date(2025, 9, 1), None),
    ]


def test_two_rows_for_one_member_in_one_file_are_refused(cast, team):
    row = [
        "Nguyễn Văn A",
        team.code,
        "Tổ viên",
        "Nam",
        "12/05/1985",
        "051085001234",
        "01/03/2025",
        "01/01/2010",
        "20/02/2025",
        "THPT",
    ]
    twice = _xlsx([list(ROSTER_HEADER), row, [*row[:2], "Tổ phó", *row[3:]]])
    with pytest.raises(ImportRejected) as rejected:
        import_records(MEMBERS, actor=cast.commune_chief, filename="r.xlsx", content=twice, dry_run=False)
    assert [(e.row, e.message) for e in rejected.value.errors] == [(3, "trùng với dòng 2")]
    assert not TeamMember.objects.exists()


def test_a_past_overview_counts_the_members_and_teams_of_that_day(cast, login, villages):
    """A member who left in June: the March overview still counts the team complete and the member
    active, and its list says the same; today's does not (issue 14: figures follow the as-of date)."""
    team = _many(cast, villages, n=3)
    leaver = team.members.get(role="member", full_name="Thành viên 1")
    MEMBERS.save(actor=None, instance=leaver, data={"left_on": dt.date(2026, 6, 30)})
    march = selectors.tiles(
        actor=cast.province_staff, unit=cast.province_a, first=dt.date(2026, 3, 1), last=dt.date(2026, 3, 31)
    )
    today = selectors.tiles(
        actor=cast.province_staff, unit=cast.province_a, first=dt.date(2026, 7, 1), last=timezone.localdate()
    )

    assert (march[0].value, today[0].value) == ("1/1", "0/1")
    assert "as_of=2026-03-31" in march[1].url
    members = login(cast.province_staff).get(march[1].url).context["page"].paginator.count
    assert members == 3  # the three active members on 31/03/2026, none trained
    complete = login(cast.province_staff).get(reverse("grassroots:team_list") + "?complete=1&as_of=2026-03-31")
    assert complete.context["page"].paginator.count == 1
