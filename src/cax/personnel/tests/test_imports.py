"""Officer and posting imports (#4): Vietnamese headers, all-or-nothing, upsert by service number."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from cax.core.context import request_context
from cax.core.imports import ImportRejected, template_xlsx
from cax.core.models import ChangeLog, ImportBatch
from cax.deployment.imports import POSTING_COLUMNS, postings_import
from cax.deployment.models import Posting, PostingRole
from cax.deployment.tests.factories import officer as make_officer
from cax.personnel.imports import OFFICER_COLUMNS, officers_import
from cax.personnel.models import Language, Officer, Speciality

D = dt.date


def template_headers(columns) -> list[str]:
    sheet = load_workbook(io.BytesIO(template_xlsx(columns)), read_only=True).worksheets[0]
    return [str(v) for v in next(sheet.iter_rows(max_row=1, values_only=True))]


OFFICER_HEADERS = template_headers(OFFICER_COLUMNS)
POSTING_HEADERS = template_headers(POSTING_COLUMNS)
OFFICER_KEYS = [c.key for c in OFFICER_COLUMNS]
POSTING_KEYS = [c.key for c in POSTING_COLUMNS]


def xlsx(rows: list[dict], keys=OFFICER_KEYS, headers=OFFICER_HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        unknown = set(row) - set(keys)
        assert not unknown, unknown
        sheet.append([row.get(key, "") for key in keys])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def postings_xlsx(rows: list[dict]) -> bytes:
    return xlsx(rows, POSTING_KEYS, POSTING_HEADERS)


def an(number: str, **values) -> dict:
    return {
        "service_number": number,
        "full_name": f"Cán Bộ {number}",
        "sex": "Nam",
        "unit_code": "51",
        "rank": "Thượng úy",
        **values,
    }


ROSTER = [
    an(
        "91000001",
        full_name="Nguyễn Văn An",
        date_of_birth="15/03/1990",
        ethnicity="Kinh",
        unit_code="23500",
        education="Đại học",
        service_start="01/09/2012",
        is_party_member="Có",
        party_joined_on="19/05/2016",
        dependants=2,
        has_hardship="Không",
        status="Đang công tác",
        specialities="Điều tra viên: Trung cấp; Pháp luật",
        languages="Xơ Đăng",
    ),
    an(
        "91000002",
        full_name="Trần Thị Bình",
        sex="Nữ",
        unit_code="23293",
        rank="trung uy",
        is_party_member="Không",
        languages="Ba Na, Tiếng Anh",
        family_notes="Chồng công tác xa",
    ),
    an("91000003", full_name="Lê Văn Cường", sex="nam", rank="Đại úy", home_unit_code=""),
]


def state() -> tuple[int, int, int, int, int]:
    return (
        Officer.objects.count(),
        Posting.objects.count(),
        Speciality.objects.count(),
        Language.objects.count(),
        ChangeLog.objects.count(),
    )


def rejected(importer, content: bytes, actor=None, filename="can-bo.xlsx") -> set[tuple[int, str]]:
    """Imports a file that must be refused; checks nothing was written and returns (row, column) pairs."""
    before = state()
    with pytest.raises(ImportRejected) as info:
        importer(actor=actor, filename=filename, content=content, dry_run=False)
    assert state() == before
    return {(e.row, str(e.column)) for e in info.value.errors}


def do_import(content, actor=None, dry_run=False, importer=officers_import):
    return importer(actor=actor, filename="can-bo.xlsx", content=content, dry_run=dry_run)


# -- valid files ---------------------------------------------------------------------------------


def test_a_roster_with_vietnamese_headers_imports_every_field(cast):
    with request_context("req-officers-1"):
        result = do_import(xlsx(ROSTER), actor=cast.province_staff)

    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert result.rows == [(2, "91000001", "create"), (3, "91000002", "create"), (4, "91000003", "create")]
    assert result.ignored_headers == []
    an_ = Officer.objects.select_related("unit").get(service_number="91000001")
    assert (an_.full_name, an_.sex, an_.date_of_birth, an_.ethnicity, an_.unit.code) == (
        "Nguyễn Văn An",
        "male",
        D(1990, 3, 15),
        "Kinh",
        "23500",
    )
    assert (an_.rank, an_.education, an_.service_start, an_.status) == (
        "senior_lieutenant",
        "bachelor",
        D(2012, 9, 1),
        "active",
    )
    assert (an_.is_party_member, an_.party_joined_on, an_.dependants, an_.has_hardship) == (
        True,
        D(2016, 5, 19),
        2,
        False,
    )
    assert an_.search_key == "nguyen van an 91000001"
    assert sorted(an_.specialities.values_list("kind", "grade")) == [("investigator", "intermediate"), ("legal", "")]
    assert list(an_.languages.values_list("name", "key")) == [("Xơ Đăng", "xo dang")]
    binh = Officer.objects.get(service_number="91000002")
    assert (binh.sex, binh.rank, binh.is_party_member, binh.family_notes) == (
        "female",
        "first_lieutenant",
        False,
        "Chồng công tác xa",
    )
    assert sorted(binh.languages.values_list("name", flat=True)) == ["Ba Na", "Tiếng Anh"]
    cuong = Officer.objects.get(service_number="91000003")
    assert (cuong.rank, cuong.unit, cuong.home_unit, cuong.status, cuong.dependants) == (
        "captain",
        cast.province_a,
        None,
        "active",
        0,
    )
    log = ChangeLog.objects.filter(request_id="req-officers-1")
    assert sorted(log.values_list("object_id", flat=True)) == sorted(
        str(pk) for pk in Officer.objects.filter(service_number__startswith="910000").values_list("pk", flat=True)
    )
    assert set(log.values_list("action", "object_type", "actor_name")) == {
        ("create", "personnel.officer", cast.province_staff.username)
    }


def test_a_dry_run_writes_nothing_but_reports_what_the_real_run_does(cast):
    before = state()

    preview = do_import(xlsx(ROSTER), actor=cast.province_staff, dry_run=True)

    assert state() == before
    assert preview.dry_run is True
    assert [a for _r, _n, a in preview.rows] == ["create"] * 3
    real = do_import(xlsx(ROSTER), actor=cast.province_staff)
    assert (real.dry_run, real.rows) == (False, preview.rows)


def test_specialities_and_languages_are_parsed_from_one_cell(cast):
    rows = [
        an("91000010", specialities="Điều tra viên: Trung cấp; Pháp luật", languages="Xơ Đăng; Ba Na"),
        an("91000011", specialities="dieu tra vien:so cap, Công nghệ thông tin", languages="ba na"),
        an("91000012", specialities="investigator: senior"),
    ]

    do_import(xlsx(rows))

    def specialities(number):
        return sorted(Speciality.objects.filter(officer__service_number=number).values_list("kind", "grade"))

    assert specialities("91000010") == [("investigator", "intermediate"), ("legal", "")]
    assert specialities("91000011") == [("investigator", "elementary"), ("it", "")]
    assert specialities("91000012") == [("investigator", "senior")]
    assert sorted(Language.objects.filter(officer__service_number="91000010").values_list("key", flat=True)) == [
        "ba na",
        "xo dang",
    ]


def test_re_importing_the_same_file_changes_nothing_and_logs_nothing(cast):
    do_import(xlsx(ROSTER), actor=cast.province_staff)
    before = state()

    result = do_import(xlsx(ROSTER), actor=cast.province_staff)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert [a for _r, _n, a in result.rows] == ["unchanged"] * 3
    assert state() == before


def test_an_upsert_by_service_number_updates_only_the_changed_rows(cast):
    do_import(xlsx(ROSTER), actor=cast.province_staff)
    changed = [dict(row) for row in ROSTER]
    changed[0]["specialities"] = "Điều tra viên: Cao cấp"
    changed[1]["full_name"] = "Trần Thị Bình Minh"
    changed[2]["home_unit_code"] = "23500"
    changed.append(an("91000004", full_name="Phạm Văn Dũng"))
    log_before = ChangeLog.objects.count()

    with request_context("req-officers-2"):
        result = do_import(xlsx(changed), actor=cast.province_staff)

    assert result.rows == [
        (2, "91000001", "update"),
        (3, "91000002", "update"),
        (4, "91000003", "update"),
        (5, "91000004", "create"),
    ]
    assert (result.created, result.updated, result.unchanged) == (1, 3, 0)
    assert ChangeLog.objects.count() == log_before + 4
    assert list(Speciality.objects.filter(officer__service_number="91000001").values_list("kind", "grade")) == [
        ("investigator", "senior")
    ]
    assert Officer.objects.get(service_number="91000002").full_name == "Trần Thị Bình Minh"
    assert Officer.objects.get(service_number="91000002").search_key == "tran thi binh minh 91000002"
    assert Officer.objects.get(service_number="91000003").home_unit == cast.commune_a
    entry = ChangeLog.objects.get(
        request_id="req-officers-2", object_id=str(Officer.objects.get(service_number="91000002").pk)
    )
    assert (entry.before["full_name"], entry.after["full_name"]) == ("Trần Thị Bình", "Trần Thị Bình Minh")

    again = do_import(xlsx(changed), actor=cast.province_staff)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


def test_columns_absent_from_the_file_leave_the_officer_alone(cast):
    do_import(xlsx(ROSTER))
    keys = ["service_number", "full_name", "sex", "unit_code", "rank"]
    headers = [h for h, k in zip(OFFICER_HEADERS, OFFICER_KEYS, strict=True) if k in keys]
    slim = [{k: row[k] for k in keys} for row in ROSTER]

    result = do_import(xlsx(slim, keys, headers))

    assert (result.updated, result.unchanged) == (0, 3)
    an_ = Officer.objects.get(service_number="91000001")
    assert (an_.date_of_birth, an_.is_party_member, an_.dependants) == (D(1990, 3, 15), True, 2)
    assert an_.specialities.count() == 2
    assert an_.languages.count() == 1


# -- planted errors --------------------------------------------------------------------------------


def test_every_planted_error_is_listed_by_row_and_column_and_nothing_is_written(cast):
    make_officer(cast.province_b, service_number="91000099")  # exists in Hà Nội
    rows = [
        an("91000001"),  # row 2: fine
        an("91000002", unit_code="99999"),  # row 3: unknown unit
        an("91000003"),  # row 4
        an("91000003", full_name="Trùng Số Hiệu"),  # row 5: same service number as row 4
        an("91000005", sex="X"),  # row 6
        an("91000006", rank="Đại tướng quân"),  # row 7
        an("91000007", is_party_member="Không", party_joined_on="19/05/2016"),  # row 8
        an("91000008", date_of_birth="31/02/1990"),  # row 9
        an("91000009", unit_code="00070"),  # row 10: Hà Nội, outside staff_a's scope
        an("91000010", specialities="Điều tra viên: Siêu cấp"),  # row 11
        an("91000011", dependants="hai"),  # row 12
        an("91000099"),  # row 13: an officer of Hà Nội
        an("91000013", full_name=""),  # row 14: required value missing
    ]

    errors = rejected(officers_import, xlsx(rows), actor=cast.province_staff)

    assert errors == {
        (3, "Mã đơn vị"),
        (5, "Số hiệu"),
        (6, "Giới tính"),
        (7, "Cấp bậc hàm"),
        (8, "Ngày vào Đảng"),
        (9, "Ngày sinh"),
        (10, "Mã đơn vị"),
        (11, "Chuyên môn"),
        (12, "Số người phụ thuộc"),
        (13, "Số hiệu"),
        (14, "Họ và tên"),
    }


def test_error_messages_name_the_row_the_column_and_the_problem(cast):
    rows = [an("91000001", unit_code="99999"), an("91000001")]
    with pytest.raises(ImportRejected) as info:
        do_import(xlsx(rows))
    assert [str(e) for e in info.value.errors] == [
        "Dòng 2, cột “Mã đơn vị”: không có đơn vị mã “99999”",
        "Dòng 3, cột “Số hiệu”: số hiệu trùng với dòng 2",
    ]
    assert info.value.message == "Tệp bị từ chối: 2 lỗi, không có dữ liệu nào được ghi."


def test_a_party_date_with_no_membership_given_is_refused_for_a_new_officer(cast):
    # The membership cell is blank: a new officer defaults to non-member, so the date is an error,
    # not a database failure.
    assert rejected(officers_import, xlsx([an("91000001", party_joined_on="19/05/2016")])) == {(2, "Ngày vào Đảng")}


def test_a_party_date_with_no_membership_given_keeps_an_existing_members_status(cast):
    do_import(xlsx([an("91000001", is_party_member="Có")]))

    result = do_import(xlsx([an("91000001", party_joined_on="19/05/2016")]))

    assert result.updated == 1
    officer = Officer.objects.get(service_number="91000001")
    assert (officer.is_party_member, officer.party_joined_on) == (True, D(2016, 5, 19))


def test_leaving_the_party_without_clearing_the_date_is_an_error_not_a_crash(cast):
    do_import(xlsx([an("91000001", is_party_member="Có", party_joined_on="19/05/2016")]))

    assert rejected(officers_import, xlsx([an("91000001", is_party_member="Không")])) == {(2, "Ngày vào Đảng")}


def test_a_speciality_named_twice_is_an_error_not_a_crash(cast):
    rows = [
        an("91000001", specialities="Pháp luật; Pháp luật"),
        an("91000002", specialities="Điều tra viên: Sơ cấp; Điều tra viên: Trung cấp"),
    ]
    assert rejected(officers_import, xlsx(rows)) == {(2, "Chuyên môn"), (3, "Chuyên môn")}


def raw_xlsx(headers: list[str], *rows: list) -> bytes:
    workbook = Workbook()
    for line in (headers, *rows):
        workbook.active.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_header_named_after_a_column_wins_over_one_matching_only_its_alias(cast):
    # "Đơn vị" is an alias of "Mã đơn vị"; a file with both (an export) reads codes from "Mã đơn vị".
    content = raw_xlsx(
        ["Số hiệu", "Họ và tên", "Giới tính", "Đơn vị", "Mã đơn vị", "Cấp bậc hàm"],
        ["91000001", "Cán Bộ Một", "Nam", "Xã Đăk Hà", "23500", "Thượng úy"],
    )

    result = do_import(content)

    assert result.ignored_headers == ["Đơn vị"]
    assert Officer.objects.get(service_number="91000001").unit == cast.commune_a


def test_an_alias_alone_still_names_its_column(cast):
    content = raw_xlsx(
        ["so hieu cand", "ho ten", "Giới tính", "Đơn vị", "cap bac"],
        ["91000002", "Cán Bộ Hai", "Nam", "23293", "Thượng úy"],
    )
    do_import(content)
    assert Officer.objects.get(service_number="91000002").unit == cast.commune_b


def test_the_same_header_twice_is_still_an_error(cast):
    content = raw_xlsx(
        ["Số hiệu", "Họ và tên", "Giới tính", "Mã đơn vị", "Cấp bậc hàm", "Mã đơn vị"],
        ["91000001", "Cán Bộ Một", "Nam", "23500", "Thượng úy", "23293"],
    )
    assert rejected(officers_import, content) == {(1, "Mã đơn vị")}


def test_a_fixed_file_imports_after_a_rejected_one(cast):
    bad = [an("91000001", sex="X"), an("91000002", unit_code="99999")]
    assert rejected(officers_import, xlsx(bad), actor=cast.province_staff) == {(2, "Giới tính"), (3, "Mã đơn vị")}

    fixed = [an("91000001", sex="Nữ"), an("91000002", unit_code="23500")]
    result = do_import(xlsx(fixed), actor=cast.province_staff)

    assert result.created == 2
    assert Officer.objects.get(service_number="91000001").sex == "female"


def test_users_without_officer_rights_cannot_import(cast):
    from cax.core.exceptions import PermissionDenied

    for user in (cast.commune_officer, cast.province_leader):
        with pytest.raises(PermissionDenied):
            do_import(xlsx(ROSTER), actor=user)
        with pytest.raises(PermissionDenied):
            do_import(postings_xlsx([]), actor=user, importer=postings_import)
    assert Officer.objects.filter(service_number__startswith="910000").count() == 0


# -- postings ------------------------------------------------------------------------------------


def a_posting(number: str, unit_code: str, start: str, **values) -> dict:
    return {
        "service_number": number,
        "unit_code": unit_code,
        "role": "Cán bộ, chiến sĩ",
        "start_date": start,
        **values,
    }


POSTINGS = [
    a_posting(
        "91000001",
        "23500",
        "01/07/2025",
        role="Trưởng Công an",
        decision_number="125/QĐ-CAT",
        decision_date="25/06/2025",
        reason="Bố trí",
    ),
    # Rows may come in any order: an officer's history applies oldest first.
    a_posting("91000002", "23500", "01/09/2025", role="Phó Trưởng Công an"),
    a_posting("91000002", "23293", "01/07/2025", end_date="31/08/2025"),
    a_posting("91000003", "23293", "2025-07-15"),
]


def test_a_postings_file_creates_the_postings_and_moves_the_officers(cast):
    do_import(xlsx(ROSTER), actor=cast.province_staff)

    with request_context("req-postings-1"):
        result = do_import(postings_xlsx(POSTINGS), actor=cast.province_staff, importer=postings_import)

    assert (result.created, result.rows) == (
        4,
        [(2, "91000001", "create"), (3, "91000002", "create"), (4, "91000002", "create"), (5, "91000003", "create")],
    )
    got = Posting.objects.order_by("officer__service_number", "start_date").values_list(
        "officer__service_number", "unit__code", "role", "start_date", "end_date"
    )
    assert list(got) == [
        ("91000001", "23500", PostingRole.CHIEF, D(2025, 7, 1), None),
        ("91000002", "23293", PostingRole.OFFICER, D(2025, 7, 1), D(2025, 8, 31)),
        ("91000002", "23500", PostingRole.DEPUTY, D(2025, 9, 1), None),
        ("91000003", "23293", PostingRole.OFFICER, D(2025, 7, 15), None),
    ]
    chief = Posting.objects.get(officer__service_number="91000001")
    assert (chief.decision_number, chief.decision_date, chief.reason) == ("125/QĐ-CAT", D(2025, 6, 25), "Bố trí")
    units = dict(
        Officer.objects.filter(service_number__startswith="910000").values_list("service_number", "unit__code")
    )
    assert units == {"91000001": "23500", "91000002": "23500", "91000003": "23293"}
    assert ChangeLog.objects.filter(request_id="req-postings-1", object_type="deployment.posting").count() == 4


def test_one_overlapping_posting_rejects_the_whole_postings_file(cast):
    do_import(xlsx(ROSTER))
    rows = [*POSTINGS, a_posting("91000003", "23500", "01/08/2025", end_date="31/08/2025")]  # row 6

    errors = rejected(postings_import, postings_xlsx(rows), actor=cast.province_staff)

    assert errors == {(6, "Mã đơn vị")}
    assert Officer.objects.get(service_number="91000003").unit == cast.province_a


def test_a_postings_file_lists_unknown_officers_units_and_bad_cells(cast):
    do_import(xlsx(ROSTER))
    rows = [
        a_posting("99999999", "23500", "01/07/2025"),  # row 2
        a_posting("91000001", "88888", "01/07/2025"),  # row 3
        a_posting("91000002", "23500", "01/07/2025", role="Giám đốc"),  # row 4
        a_posting("91000003", "23500", "32/07/2025"),  # row 5
        a_posting("91000003", "51", "01/07/2025"),  # row 6: a province is not a commune
    ]

    errors = rejected(postings_import, postings_xlsx(rows[:4]))
    assert errors == {(2, "Số hiệu"), (3, "Mã đơn vị"), (4, "Chức danh"), (5, "Từ ngày")}
    assert rejected(postings_import, postings_xlsx(rows[4:])) == {(2, "Mã đơn vị")}


def test_a_postings_file_cannot_post_outside_the_importers_scope(cast):
    do_import(xlsx(ROSTER))
    make_officer(cast.province_b, service_number="91000050")
    rows = [
        a_posting("91000001", "00070", "01/07/2025"),  # into Hà Nội
        a_posting("91000050", "23500", "01/07/2025"),  # a Hà Nội officer into Quảng Ngãi
    ]

    # Both answered as codes that do not exist (issue 16.7): an officer by their number.
    assert rejected(postings_import, postings_xlsx(rows), actor=cast.province_staff) == {
        (2, "Mã đơn vị"),
        (3, "Số hiệu"),
    }


def test_a_postings_dry_run_writes_nothing(cast):
    do_import(xlsx(ROSTER))
    before = state()
    result = do_import(postings_xlsx(POSTINGS), dry_run=True, importer=postings_import)
    assert (result.created, result.dry_run) == (4, True)
    assert state() == before


# -- the web flow --------------------------------------------------------------------------------


def test_web_import_uploads_previews_and_confirms(cast, login):
    client = login(cast.province_staff)
    assert client.get(reverse("personnel:import")).status_code == 200

    upload = client.post(
        reverse("personnel:import"),
        {"kind": "officers", "file": SimpleUploadedFile("can-bo.xlsx", xlsx(ROSTER))},
    )
    batch = ImportBatch.objects.get(created_by=cast.province_staff)
    assert upload.status_code == 302
    assert upload["Location"] == reverse("personnel:import_preview", args=[batch.uuid])
    assert batch.kind == "officers"

    preview = client.get(upload["Location"])
    assert preview.status_code == 200
    assert preview.context["result"].dry_run is True
    assert "3 tạo mới, 0 cập nhật, 0 không đổi" in preview.content.decode()
    assert not Officer.objects.filter(service_number__startswith="910000").exists()

    confirm = client.post(upload["Location"])
    assert confirm.status_code == 200
    assert confirm.context["result"].dry_run is False
    assert Officer.objects.filter(service_number__startswith="910000").count() == 3
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED

    again = client.post(upload["Location"])
    assert "result" not in again.context
    assert Officer.objects.filter(service_number__startswith="910000").count() == 3


def test_web_postings_import_goes_through_the_same_flow(cast, login):
    do_import(xlsx(ROSTER))
    client = login(cast.province_staff)

    upload = client.post(
        reverse("personnel:import"),
        {"kind": "postings", "file": SimpleUploadedFile("bo-tri.xlsx", postings_xlsx(POSTINGS))},
    )
    client.post(upload["Location"])

    assert Posting.objects.filter(officer__service_number__startswith="910000").count() == 4


def test_a_bad_file_on_the_web_lists_every_error_and_writes_nothing(cast, login):
    client = login(cast.province_staff)
    bad = [an("91000001", sex="X"), an("91000002", unit_code="00070")]
    upload = client.post(
        reverse("personnel:import"), {"kind": "officers", "file": SimpleUploadedFile("sai.xlsx", xlsx(bad))}
    )

    preview = client.get(upload["Location"])
    body = preview.content.decode()
    assert {(e.row, str(e.column)) for e in preview.context["rejected"].errors} == {(2, "Giới tính"), (3, "Mã đơn vị")}
    assert 'id="import-errors"' in body
    assert client.post(upload["Location"]).context["rejected"]
    assert not Officer.objects.filter(service_number__startswith="910000").exists()


def test_a_commune_officer_gets_403_on_the_officer_import_pages(cast, login):
    client = login(cast.commune_officer)
    assert client.get(reverse("personnel:import")).status_code == 403
    upload = SimpleUploadedFile("can-bo.xlsx", xlsx(ROSTER))
    assert client.post(reverse("personnel:import"), {"kind": "officers", "file": upload}).status_code == 403
    assert not ImportBatch.objects.exists()
    assert not Officer.objects.filter(service_number__startswith="910000").exists()


def test_someone_elses_batch_is_a_404(cast, login):
    client = login(cast.province_staff)
    upload = client.post(
        reverse("personnel:import"), {"kind": "officers", "file": SimpleUploadedFile("a.xlsx", xlsx(ROSTER))}
    )
    other = login(cast.admin)
    assert other.get(upload["Location"]).status_code == 404
    assert other.post(upload["Location"]).status_code == 404
    assert not Officer.objects.filter(service_number__startswith="910000").exists()


def test_the_template_downloads_with_the_vietnamese_headers(cast, login):
    response = login(cast.province_staff).get(reverse("personnel:import_template", args=["officers"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    assert [str(v) for v in next(sheet.iter_rows(max_row=1, values_only=True))] == OFFICER_HEADERS
    assert OFFICER_HEADERS[:3] == ["Số hiệu *", "Họ và tên *", "Giới tính *"]
    assert login(cast.province_staff).get("/officers/import/template-salaries.xlsx").status_code == 404


def test_the_filled_in_template_example_row_imports(cast):
    result = do_import(template_xlsx(OFFICER_COLUMNS), actor=cast.province_staff)
    assert result.created == 1
    officer = Officer.objects.get(service_number="10000001")
    assert (officer.full_name, officer.unit, officer.rank) == ("Nguyễn Văn An", cast.commune_a, "senior_lieutenant")


# -- management commands -------------------------------------------------------------------------


def test_import_officers_command_dry_run_writes_nothing(cast, tmp_path):
    path = tmp_path / "can-bo.xlsx"
    path.write_bytes(xlsx(ROSTER))
    out = io.StringIO()

    call_command("import_officers", str(path), "--dry-run", stdout=out)

    assert "XEM TRƯỚC (không ghi): 3 tạo mới, 0 cập nhật, 0 không đổi." in out.getvalue()
    assert not Officer.objects.filter(service_number__startswith="910000").exists()

    call_command("import_officers", str(path), "--as-user", cast.province_staff.username, stdout=io.StringIO())
    assert Officer.objects.filter(service_number__startswith="910000").count() == 3
    assert set(ChangeLog.objects.filter(object_type="personnel.officer").values_list("actor_name", flat=True)) == {
        cast.province_staff.username
    }


def test_import_officers_command_prints_every_error(cast, tmp_path):
    path = tmp_path / "sai.xlsx"
    path.write_bytes(xlsx([an("91000001", sex="X"), an("91000002", unit_code="99999")]))
    err = io.StringIO()

    with pytest.raises(CommandError, match="2 lỗi"):
        call_command("import_officers", str(path), stderr=err)

    assert "Dòng 2, cột “Giới tính”" in err.getvalue()
    assert "Dòng 3, cột “Mã đơn vị”" in err.getvalue()
    assert not Officer.objects.filter(service_number__startswith="910000").exists()


def test_import_postings_command_creates_the_postings(cast, tmp_path):
    do_import(xlsx(ROSTER))
    path = tmp_path / "bo-tri.xlsx"
    path.write_bytes(postings_xlsx(POSTINGS))
    out = io.StringIO()

    call_command("import_postings", str(path), stdout=out)

    assert "ĐÃ NHẬP: 4 tạo mới" in out.getvalue()
    assert Posting.objects.filter(officer__service_number__startswith="910000").count() == 4


def test_import_template_command_writes_the_template_once(cast, tmp_path):
    target = tmp_path / "x.xlsx"

    call_command("import_template", "officers", "--output", str(target), stdout=io.StringIO())

    sheet = load_workbook(target, read_only=True).worksheets[0]
    assert [str(v) for v in next(sheet.iter_rows(max_row=1, values_only=True))] == OFFICER_HEADERS
    with pytest.raises(CommandError, match="đã tồn tại"):
        call_command("import_template", "officers", "--output", str(target))


def test_the_roster_cannot_move_an_officer_who_has_an_open_posting(cast):
    from cax.deployment.tests.factories import posted

    officer = posted(cast.commune_a)
    headers = [str(c.label) for c in OFFICER_COLUMNS[:8]]
    row = [officer.service_number, officer.full_name, "Nam", "", "", "23293", "", "Thượng úy"]
    workbook = Workbook()
    workbook.active.append(headers)
    workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ImportRejected) as info:
        officers_import(actor=None, filename="r.xlsx", content=buffer.getvalue(), dry_run=False)
    assert [(e.row, str(e.column)) for e in info.value.errors] == [(2, "Mã đơn vị")]
    assert "23500" in info.value.errors[0].message


def _book(headers, rows) -> bytes:
    workbook = Workbook()
    workbook.active.append(headers)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_party_cells_and_committee_seats_import_and_count_on_the_dashboard(cast):
    from cax.deployment.imports import committee_seats_import, party_cells_import
    from cax.deployment.selectors import staffing_summary
    from cax.deployment.tests.factories import posted

    chief = posted(cast.commune_a, role=PostingRole.CHIEF)
    cells = _book(["Mã đơn vị", "Ngày thành lập", "Số hiệu bí thư"], [["23500", "15/07/2025", chief.service_number]])
    seats = _book(
        ["Số hiệu", "Mã đơn vị", "Cấp ủy", "Từ ngày"],
        [
            [chief.service_number, "23500", "BCH Đảng bộ xã", "20/07/2025"],
            [chief.service_number, "23500", "Ban Thường vụ Đảng ủy xã", "20/07/2025"],
        ],
    )
    assert party_cells_import(actor=None, filename="c.xlsx", content=cells, dry_run=False).created == 1
    assert committee_seats_import(actor=None, filename="s.xlsx", content=seats, dry_run=False).created == 2
    again = party_cells_import(actor=None, filename="c.xlsx", content=cells, dry_run=False)
    assert (again.created, again.unchanged) == (0, 1)
    summary = staffing_summary(actor=None, unit=cast.province_a, as_of=dt.date(2025, 8, 1))
    assert (summary.party_cells, summary.executive_seats, summary.standing_seats) == (1, 1, 1)


def test_a_party_cell_outside_a_commune_or_with_an_unknown_secretary_is_rejected(cast):
    from cax.deployment.imports import party_cells_import

    content = _book(
        ["Mã đơn vị", "Ngày thành lập", "Số hiệu bí thư"],
        [["51", "15/07/2025", ""], ["23500", "15/07/2025", "KHONGCO"]],
    )
    with pytest.raises(ImportRejected) as info:
        party_cells_import(actor=None, filename="c.xlsx", content=content, dry_run=False)
    assert {(e.row, str(e.column)) for e in info.value.errors} == {(3, "Số hiệu bí thư")}
    content = _book(["Mã đơn vị", "Ngày thành lập"], [["51", "15/07/2025"]])
    with pytest.raises(ImportRejected, match="1 lỗi"):
        party_cells_import(actor=None, filename="c.xlsx", content=content, dry_run=False)


def test_a_new_language_list_keeps_the_flag_of_a_language_kept(cast):
    make_officer(cast.commune_a, service_number="91000050", languages=[("Tiếng Anh", False)])

    officers_import(
        actor=None,
        filename="x.xlsx",
        content=xlsx([an("91000050", unit_code="23500", languages="Tiếng Anh; Xơ Đăng")]),
        dry_run=False,
    )

    flags = dict(Officer.objects.get(service_number="91000050").languages.values_list("name", "is_ethnic_minority"))
    assert flags == {"Tiếng Anh": False, "Xơ Đăng": True}


def test_a_speciality_whose_label_has_commas_stays_whole(cast):
    officers_import(
        actor=None,
        filename="x.xlsx",
        content=xlsx([an("91000051", specialities="Phòng cháy, chữa cháy và cứu nạn, cứu hộ; Pháp luật")]),
        dry_run=False,
    )

    kinds = set(Officer.objects.get(service_number="91000051").specialities.values_list("kind", flat=True))
    assert kinds == {"fire_rescue", "legal"}


# -- large files (issue 20.4: the bulk path keeps every rule) ---------------------------------------


def roster_csv(count: int, **bad: dict) -> bytes:
    """A CSV of ``count`` valid officers (rows 2 …), with the cells of ``bad`` ({row: {key: value}}) replaced."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(OFFICER_HEADERS)
    units = ("23500", "23293", "51")
    for i in range(count):
        row = an(
            f"92{i:06d}",
            full_name=f"Nguyễn Văn Thử {i}",
            unit_code=units[i % 3],
            date_of_birth="15/03/1990",
            service_start="01/09/2012",
            is_party_member="Có",
            party_joined_on="19/05/2016",
            specialities="Pháp luật" if i % 7 == 0 else "",
            languages="Xơ Đăng" if i % 11 == 0 else "",
        )
        row.update(bad.get(f"row{i + 2}", {}))
        writer.writerow([row.get(key, "") for key in OFFICER_KEYS])
    return buffer.getvalue().encode()


def test_bad_rows_scattered_through_a_large_file_are_each_reported_and_nothing_is_written(cast):
    content = roster_csv(
        10_000,
        row2={"sex": "X"},
        row5000={"unit_code": "99999"},
        row9999={"date_of_birth": "31/02/1990"},
        row10001={"service_number": "92000000"},  # the number of row 2
    )

    before = state()
    with pytest.raises(ImportRejected) as info:
        officers_import(actor=cast.province_staff, filename="can-bo.csv", content=content, dry_run=False)

    assert [(e.row, str(e.column)) for e in info.value.errors] == [
        (2, "Giới tính"),
        (5000, "Mã đơn vị"),
        (9999, "Ngày sinh"),
        (10001, "Số hiệu"),
    ]
    assert [str(e) for e in info.value.errors][1:] == [
        "Dòng 5000, cột “Mã đơn vị”: không có đơn vị mã “99999”",
        "Dòng 9999, cột “Ngày sinh”: ngày “31/02/1990” không có thật: nhập theo dạng dd/mm/yyyy, ví dụ 25/12/2024",
        "Dòng 10001, cột “Số hiệu”: số hiệu trùng với dòng 2",
    ]
    assert state() == before


def test_a_large_valid_file_lands_whole_with_its_change_log_search_rows_and_chain(cast):
    from cax.core import auditchain
    from cax.core.models import SearchEntry

    with request_context("req-officers-large"):
        result = officers_import(
            actor=cast.province_staff, filename="can-bo.csv", content=roster_csv(3_000), dry_run=False
        )

    assert (result.created, result.updated, result.unchanged) == (3_000, 0, 0)
    officers = Officer.objects.filter(service_number__startswith="92")
    assert officers.count() == 3_000
    last = officers.select_related("unit").get(service_number="92002999")
    assert (last.full_name, last.unit.code, last.search_key, last.party_joined_on) == (
        "Nguyễn Văn Thử 2999",
        "51",
        "nguyen van thu 2999 92002999",
        D(2016, 5, 19),
    )
    assert last.created_at is not None
    assert last.updated_at is not None
    assert Speciality.objects.filter(officer__in=officers).count() == len(range(0, 3_000, 7))
    assert Language.objects.filter(officer__in=officers, key="xo dang").count() == len(range(0, 3_000, 11))
    log = ChangeLog.objects.filter(request_id="req-officers-large")
    assert log.count() == 3_000
    entry = log.get(object_id=str(last.pk))
    assert (entry.action, entry.actor_name, entry.unit_path) == ("create", cast.province_staff.username, last.unit.path)
    assert entry.after["full_name"] == "Nguyễn Văn Thử 2999"
    assert entry.after["date_of_birth"].startswith("masked:")
    assert auditchain.verify(ChangeLog).broken is None
    hits = SearchEntry.objects.filter(kind="officers", object_id__in=officers.values("pk"))
    assert hits.count() == 3_000
    assert hits.get(object_id=last.pk).title_key == "nguyen van thu 2999"

    again = officers_import(actor=cast.province_staff, filename="can-bo.csv", content=roster_csv(3_000), dry_run=False)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3_000)
