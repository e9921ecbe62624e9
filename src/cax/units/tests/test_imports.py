"""Unit tree import (#3): all-or-nothing, every error by row and column, dry run, web flow, commands."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from cax.core.context import request_context
from cax.core.imports import ImportRejected, template_xlsx
from cax.core.models import ChangeLog, ImportBatch
from cax.units.imports import COLUMNS, units_import
from cax.units.models import Unit
from cax.units.official import load_official_units
from cax.units.services import unit_update

HEADERS = ["Mã", "Tên", "Loại", "Mã đơn vị cấp trên", "Dân số", "Vĩ độ", "Kinh độ", "Hiệu lực từ", "Hiệu lực đến"]

# A pre-2025 tree under Quảng Ngãi (51): one district and its communes.
OLD_TREE = [
    ["H9001", "Huyện Thử Nghiệm", "district", "51", "45000", "14.35", "108.0", "01/01/2020", ""],
    ["H9001-01", "Xã Một", "xa", "H9001", "12000", "14.36", "108.01", "", ""],
    ["H9001-02", "Thị trấn Hai", "Thị trấn", "H9001", "", "", "", "", ""],
    ["H9001-03", "Xã Ba", "Xã", "H9001", "9000", "", "", "", ""],
]


def xlsx(rows, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, headers=HEADERS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def counts() -> tuple[int, int]:
    return Unit.objects.count(), ChangeLog.objects.count()


def rejected(content: bytes, actor=None, filename="units.xlsx") -> set[tuple[int, str]]:
    """Imports a file that must be refused; returns its (row, column) pairs and checks nothing was written."""
    before = counts()
    with pytest.raises(ImportRejected) as info:
        units_import(actor=actor, filename=filename, content=content, dry_run=False)
    assert counts() == before
    return {(e.row, str(e.column)) for e in info.value.errors}


# -- valid files ---------------------------------------------------------------------------------


def test_a_pre_2025_tree_imports_under_an_existing_province_with_one_change_log_row_per_unit(cast):
    with request_context("req-import-1"):
        result = units_import(actor=cast.admin, filename="cay.xlsx", content=xlsx(OLD_TREE), dry_run=False)

    assert [(o.row, o.code, o.action) for o in result.outcomes] == [
        (2, "H9001", "create"),
        (3, "H9001-01", "create"),
        (4, "H9001-02", "create"),
        (5, "H9001-03", "create"),
    ]
    district = Unit.objects.select_related("unit_type").get(code="H9001")
    assert district.parent == cast.province_a
    assert district.unit_type.code == "district"
    assert district.level == cast.province_a.level + 1
    assert district.path == f"{cast.province_a.path}{district.pk}/"
    assert district.population == 45000
    assert str(district.latitude) == "14.350000"
    assert district.valid_from.isoformat() == "2020-01-01"
    communes = Unit.objects.select_related("unit_type").filter(code__startswith="H9001-").order_by("code")
    assert [(u.code, u.unit_type.code) for u in communes] == [
        ("H9001-01", "xa"),
        ("H9001-02", "thi_tran"),
        ("H9001-03", "xa"),
    ]
    for commune in communes:
        assert commune.parent_id == district.pk
        assert commune.level == district.level + 1
        assert commune.path == f"{district.path}{commune.pk}/"

    log = ChangeLog.objects.filter(request_id="req-import-1")
    assert sorted(log.values_list("object_id", flat=True)) == sorted(
        str(pk) for pk in Unit.objects.filter(code__startswith="H9001").values_list("pk", flat=True)
    )
    assert set(log.values_list("action", "object_type", "actor_name")) == {("create", "units.unit", "admin")}


def test_re_importing_the_same_file_changes_nothing_and_logs_nothing(cast):
    units_import(actor=cast.admin, filename="cay.xlsx", content=xlsx(OLD_TREE), dry_run=False)
    before = counts()

    result = units_import(actor=cast.admin, filename="cay.xlsx", content=xlsx(OLD_TREE), dry_run=False)

    assert [o.action for o in result.outcomes] == ["unchanged"] * 4
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert counts() == before


def test_a_changed_row_is_an_update_naming_the_changed_columns(cast):
    units_import(actor=cast.admin, filename="cay.xlsx", content=xlsx(OLD_TREE), dry_run=False)
    changed = [row[:] for row in OLD_TREE]
    changed[1][1] = "Xã Một Mới"
    changed[1][4] = "12500"

    with request_context("req-import-2"):
        result = units_import(actor=cast.admin, filename="cay.xlsx", content=xlsx(changed), dry_run=False)

    assert [o.action for o in result.outcomes] == ["unchanged", "update", "unchanged", "unchanged"]
    assert set(result.outcomes[1].changes) == {"Tên", "Dân số"}
    entry = ChangeLog.objects.get(request_id="req-import-2")
    assert (entry.before["name"], entry.after["name"]) == ("Xã Một", "Xã Một Mới")
    assert Unit.objects.get(code="H9001-01").population == 12500


def test_columns_absent_from_the_file_leave_existing_attributes_alone(cast):
    unit_update(actor=None, unit=cast.commune_a, is_border=True, is_remote=True, population=100)
    content = f"code,name,type,parent\n23500,{cast.commune_a.name},xa,51\n".encode()

    result = units_import(actor=cast.admin, filename="ten.csv", content=content, dry_run=False)

    assert [o.action for o in result.outcomes] == ["unchanged"]
    unit = Unit.objects.get(pk=cast.commune_a.pk)
    assert (unit.is_border, unit.is_remote, unit.population) == (True, True, 100)


def test_yes_no_flags_are_read_in_vietnamese(cast):
    headers = ["Mã", "Tên", "Loại", "Mã đơn vị cấp trên", "Biên giới", "Vùng sâu, vùng xa"]
    rows = [["23500", cast.commune_a.name, "xa", "51", "Có", "Không"]]
    unit_update(actor=None, unit=cast.commune_a, is_remote=True)

    result = units_import(actor=cast.admin, filename="c.xlsx", content=xlsx(rows, headers), dry_run=False)

    assert set(result.outcomes[0].changes) == {"Biên giới", "Vùng sâu, vùng xa"}
    unit = Unit.objects.get(pk=cast.commune_a.pk)
    assert (unit.is_border, unit.is_remote) == (True, False)


def test_a_dry_run_writes_nothing_but_reports_what_the_real_run_does(cast):
    before = counts()

    preview = units_import(actor=cast.admin, filename="cay.xlsx", content=xlsx(OLD_TREE), dry_run=True)

    assert counts() == before
    assert not Unit.objects.filter(code__startswith="H9001").exists()
    real = units_import(actor=cast.admin, filename="cay.xlsx", content=xlsx(OLD_TREE), dry_run=False)
    assert preview.dry_run
    assert not real.dry_run
    assert [(o.row, o.code, o.action) for o in preview.outcomes] == [(o.row, o.code, o.action) for o in real.outcomes]
    assert real.created == 4
    assert counts() == (before[0] + 4, before[1] + 4)


def test_csv_with_english_headers_and_semicolons_imports(cast):
    content = "code;name;type;parent\nH9002;Huyện Chấm Phẩy;district;51\nH9002-01;Xã Chấm;xa;H9002\n".encode()

    result = units_import(actor=cast.admin, filename="cay.csv", content=content, dry_run=False)

    assert result.created == 2
    assert Unit.objects.get(code="H9002-01").parent.code == "H9002"


def test_the_template_headers_with_required_stars_are_accepted_as_is(cast):
    workbook = load_workbook(io.BytesIO(template_xlsx(COLUMNS)))
    sheet = workbook.active
    headers = [cell.value for cell in sheet[1]]
    assert "Mã *" in headers
    assert "Mã đơn vị cấp trên" in headers
    sheet.delete_rows(2)  # the example row
    by_header = {h: i for i, h in enumerate(headers)}
    for code, name, unit_type, parent in [
        ("H9003", "Huyện Mẫu", "district", "51"),
        ("H9003-01", "Xã Mẫu", "xa", "H9003"),
    ]:
        row = [None] * len(headers)
        row[by_header["Mã *"]], row[by_header["Tên *"]], row[by_header["Loại *"]] = code, name, unit_type
        row[by_header["Mã đơn vị cấp trên"]] = parent
        row[by_header["Dân số"]] = 1234
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = units_import(actor=cast.admin, filename="mau.xlsx", content=buffer.getvalue(), dry_run=False)

    assert result.ignored_headers == []
    assert result.created == 2
    assert Unit.objects.get(code="H9003-01").population == 1234


# -- rejections: every error by row and column, nothing written -------------------------------------


def test_an_unknown_parent_code_is_rejected(cast):
    rows = [["H9001", "Huyện Thử Nghiệm", "district", "99999", "", "", "", "", ""]]
    assert rejected(xlsx(rows), cast.admin) == {(2, "Mã đơn vị cấp trên")}


def test_a_code_twice_in_the_file_is_rejected_on_the_second_row(cast):
    rows = [*OLD_TREE, ["H9001-01", "Xã Trùng", "xa", "H9001", "", "", "", "", ""]]
    assert rejected(xlsx(rows), cast.admin) == {(6, "Mã")}


def test_a_parent_cycle_inside_the_file_is_rejected(cast):
    rows = [
        ["A1", "Huyện A", "district", "B1", "", "", "", "", ""],
        ["B1", "Huyện B", "district", "A1", "", "", "", "", ""],
    ]
    assert rejected(xlsx(rows), cast.admin) == {(2, "Mã đơn vị cấp trên"), (3, "Mã đơn vị cấp trên")}


def test_moving_an_existing_unit_under_its_own_descendant_is_rejected(cast):
    # 51 exists; making its parent a new unit that sits under 51 would loop through the database.
    rows = [
        ["51", cast.province_a.name, "province", "H9009", "", "", "", "", ""],
        ["H9009", "Huyện Vòng", "district", "23500", "", "", "", "", ""],
    ]
    assert rejected(xlsx(rows), cast.admin) == {(2, "Mã đơn vị cấp trên")}


def test_an_unknown_type_is_rejected(cast):
    rows = [["H9001", "Khu Một", "khu_dan_cu", "51", "", "", "", "", ""]]
    assert rejected(xlsx(rows), cast.admin) == {(2, "Loại")}


@pytest.mark.parametrize(
    ("population", "latitude", "column"),
    [("abc", "", "Dân số"), ("-5", "", "Dân số"), ("", "200", "Vĩ độ"), ("", "mười bốn", "Vĩ độ")],
)
def test_a_bad_number_is_rejected(cast, population, latitude, column):
    rows = [["H9001", "Huyện Thử Nghiệm", "district", "51", population, latitude, "", "", ""]]
    assert rejected(xlsx(rows), cast.admin) == {(2, column)}


def test_an_empty_required_value_is_rejected(cast):
    rows = [*OLD_TREE[:2], ["H9001-02", "", "xa", "H9001", "", "", "", "", ""]]
    assert rejected(xlsx(rows), cast.admin) == {(4, "Tên")}


def test_an_end_date_before_the_start_date_is_rejected(cast):
    rows = [["H9001", "Huyện Thử Nghiệm", "district", "51", "", "", "", "01/07/2025", "30/06/2025"]]
    assert rejected(xlsx(rows), cast.admin) == {(2, "Hiệu lực đến")}


def test_a_bad_date_is_rejected(cast):
    rows = [["H9001", "Huyện Thử Nghiệm", "district", "51", "", "", "", "31/02/2025", ""]]
    assert rejected(xlsx(rows), cast.admin) == {(2, "Hiệu lực từ")}


def test_a_missing_required_column_is_rejected_on_the_header_row(cast):
    headers = ["Mã", "Tên", "Mã đơn vị cấp trên"]
    rows = [["H9001", "Huyện Thử Nghiệm", "51"]]
    assert rejected(csv_bytes(rows, headers), cast.admin, filename="thieu.csv") == {(1, "Loại")}


def test_five_planted_errors_on_five_rows_are_all_listed(cast):
    rows = [
        ["H9001", "Huyện Thử Nghiệm", "district", "51", "", "", "", "", ""],  # row 2: fine
        ["H9001-01", "Xã Một", "xa", "KHONGCO", "", "", "", "", ""],  # row 3: unknown parent
        ["H9001-02", "Xã Hai", "ấp", "H9001", "", "", "", "", ""],  # row 4: unknown type
        ["H9001-03", "Xã Ba", "xa", "H9001", "abc", "", "", "", ""],  # row 5: not a number
        ["H9001-04", "", "xa", "H9001", "", "", "", "", ""],  # row 6: empty name
        ["H9001-05", "Xã Năm", "xa", "H9001", "", "200", "", "", ""],  # row 7: latitude out of range
        ["H9001-06", "Xã Sáu", "xa", "H9001", "100", "14.1", "108.2", "", ""],  # row 8: fine
    ]
    assert rejected(xlsx(rows), cast.admin) == {
        (3, "Mã đơn vị cấp trên"),
        (4, "Loại"),
        (5, "Dân số"),
        (6, "Tên"),
        (7, "Vĩ độ"),
    }


def test_errors_are_worded_with_row_and_column(cast):
    rows = [["H9001", "Huyện Thử Nghiệm", "district", "99999", "", "", "", "", ""]]
    with pytest.raises(ImportRejected) as info:
        units_import(actor=cast.admin, filename="x.xlsx", content=xlsx(rows), dry_run=False)
    assert str(info.value.errors[0]).startswith("Dòng 2, cột “Mã đơn vị cấp trên”:")
    assert "99999" in str(info.value.errors[0])


def test_error_columns_read_in_the_language_of_the_viewer(cast):
    labels = {c.key: c.label for c in COLUMNS}
    content = b"code,name,type,parent,population\nX1,Xa X,xa,99999,abc\n"
    with translation.override("en"):
        with pytest.raises(ImportRejected) as info:
            units_import(actor=cast.admin, filename="a.csv", content=content, dry_run=False)
        columns = {str(e.column) for e in info.value.errors}
        assert columns == {str(labels["parent_code"]), str(labels["population"])}


# -- scope -----------------------------------------------------------------------------------------


def test_province_staff_cannot_import_under_another_province(cast):
    rows = [
        ["H9001", "Huyện Thử Nghiệm", "district", "51", "", "", "", "", ""],
        ["H9101", "Quận Ngoài Phạm Vi", "district", "01", "", "", "", "", ""],
    ]
    assert rejected(xlsx(rows), cast.province_staff) == {(3, "Mã đơn vị cấp trên")}


def test_province_staff_cannot_change_a_unit_of_another_province(cast):
    rows = [["00070", "Phường Đổi Tên", "phuong", "01", "", "", "", "", ""]]
    assert (2, "Mã") in rejected(xlsx(rows), cast.province_staff)
    assert Unit.objects.current().get(code="00070").name == cast.commune_c.name


def test_province_staff_imports_inside_their_own_province(cast):
    result = units_import(actor=cast.province_staff, filename="cay.xlsx", content=xlsx(OLD_TREE), dry_run=False)
    assert result.created == 4


def test_a_commune_officer_gets_403_on_the_import_pages(cast, login):
    client = login(cast.commune_officer)
    assert client.get(reverse("units:import")).status_code == 403
    upload = SimpleUploadedFile("cay.xlsx", xlsx(OLD_TREE))
    assert client.post(reverse("units:import"), {"file": upload}).status_code == 403
    assert not ImportBatch.objects.exists()


# -- web flow ------------------------------------------------------------------------------------


def _upload(client, content: bytes, name: str = "cay.xlsx"):
    response = client.post(reverse("units:import"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("units:import_preview", args=[batch.uuid])
    return batch


def test_web_import_previews_then_applies_once(cast, login):
    client = login(cast.admin)
    page = client.get(reverse("units:import"))
    assert page.status_code == 200
    assert "Mã đơn vị cấp trên" in page.content.decode()
    before = counts()

    batch = _upload(client, xlsx(OLD_TREE))
    preview = client.get(reverse("units:import_preview", args=[batch.uuid]))

    body = preview.content.decode()
    assert preview.status_code == 200
    assert preview.context["result"].dry_run
    assert [o.action for o in preview.context["result"].outcomes] == ["create"] * 4
    assert "Huyện Thử Nghiệm" in body
    assert "Xác nhận nhập" in body
    assert counts() == before

    confirm = client.post(reverse("units:import_preview", args=[batch.uuid]))
    assert confirm.status_code == 200
    assert not confirm.context["result"].dry_run
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED
    assert batch.applied_at is not None
    assert counts() == (before[0] + 4, before[1] + 4)
    request_ids = set(ChangeLog.objects.filter(object_repr="Huyện Thử Nghiệm").values_list("request_id", flat=True))
    assert request_ids == {confirm["X-Request-ID"]}

    again = client.post(reverse("units:import_preview", args=[batch.uuid]))
    assert again.status_code == 200
    assert "result" not in again.context
    assert counts() == (before[0] + 4, before[1] + 4)


def test_someone_elses_batch_is_a_404(cast, login):
    batch = _upload(login(cast.admin), xlsx(OLD_TREE))
    other = login(cast.province_staff)  # may import units, but this batch is not theirs
    assert other.get(reverse("units:import_preview", args=[batch.uuid])).status_code == 404
    assert other.post(reverse("units:import_preview", args=[batch.uuid])).status_code == 404
    assert not Unit.objects.filter(code="H9001").exists()


def test_a_bad_file_on_the_web_lists_every_error_and_writes_nothing(cast, login):
    client = login(cast.admin)
    rows = [
        ["H9001", "Huyện Thử Nghiệm", "district", "51", "", "", "", "", ""],
        ["H9001-01", "Xã Một", "xa", "KHONGCO", "", "", "", "", ""],
        ["H9001-02", "Xã Hai", "xa", "H9001", "abc", "", "", "", ""],
    ]
    batch = _upload(client, xlsx(rows))
    before = counts()

    response = client.post(reverse("units:import_preview", args=[batch.uuid]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Xác nhận nhập" not in body
    table = body.split('id="import-errors"', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r"<tr><td>(\d+)</td><td>([^<]+)</td>", table)
    assert cells == [("3", "Mã đơn vị cấp trên"), ("4", "Dân số")]
    assert counts() == before
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PENDING


def test_a_file_that_is_not_a_spreadsheet_is_refused_by_the_upload_form(cast, login):
    client = login(cast.admin)
    response = client.post(reverse("units:import"), {"file": SimpleUploadedFile("cay.txt", b"code,name")})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not ImportBatch.objects.exists()


def test_a_corrupt_xlsx_shows_an_error_and_writes_nothing(cast, login):
    client = login(cast.admin)
    batch = _upload(client, b"not really a zip file")
    before = counts()
    response = client.get(reverse("units:import_preview", args=[batch.uuid]))
    assert response.status_code == 200
    assert response.context["error"].startswith("Tệp không phải Excel .xlsx: mở tệp bằng Excel và Lưu thành .xlsx")
    assert counts() == before


def test_the_import_template_downloads_with_every_column(cast, login):
    response = login(cast.admin).get(reverse("units:import_template"))
    assert response.status_code == 200
    headers = [c.value for c in load_workbook(io.BytesIO(response.content)).active[1]]
    assert headers == [str(c.label) + (" *" if c.required else "") for c in COLUMNS]


# -- management commands --------------------------------------------------------------------------


def test_import_units_command_dry_run_then_real_run(cast, tmp_path):
    path = tmp_path / "cay.xlsx"
    path.write_bytes(xlsx(OLD_TREE))
    before = counts()

    out = io.StringIO()
    call_command("import_units", str(path), "--dry-run", stdout=out)
    assert "XEM TRƯỚC" in out.getvalue()
    assert "4 tạo mới" in out.getvalue()
    assert counts() == before

    out = io.StringIO()
    call_command("import_units", str(path), "--as-user", "admin", stdout=out)
    assert "ĐÃ NHẬP" in out.getvalue()
    assert "4 tạo mới" in out.getvalue()
    assert counts() == (before[0] + 4, before[1] + 4)
    assert set(ChangeLog.objects.filter(object_repr="Xã Một").values_list("actor_name", flat=True)) == {"admin"}


def test_import_units_command_reports_errors_on_stderr_and_fails(cast, tmp_path):
    path = tmp_path / "sai.csv"
    rows = [
        ["H9001", "Huyện Thử Nghiệm", "district", "KHONGCO", "", "", "", "", ""],
        ["H9001-01", "Xã Một", "xa", "H9001", "", "200", "", "", ""],
    ]
    path.write_bytes(csv_bytes(rows))
    before = counts()
    err = io.StringIO()

    with pytest.raises(CommandError, match="2 lỗi"):
        call_command("import_units", str(path), stdout=io.StringIO(), stderr=err)

    lines = err.getvalue().splitlines()
    assert lines[0].startswith("Dòng 2, cột “Mã đơn vị cấp trên”")
    assert lines[1].startswith("Dòng 3, cột “Vĩ độ”")
    assert counts() == before


def test_load_units_a_second_time_changes_nothing(cast):
    before = counts()

    summary = load_official_units()

    assert (summary.created, summary.updated) == (0, 0)
    assert summary.unchanged == 1 + 34 + 3321
    out = io.StringIO()
    call_command("load_units", stdout=out)
    assert "0 tạo mới, 0 cập nhật, 3356 không đổi" in out.getvalue()
    assert counts() == before


def test_the_official_tree_has_34_provinces_and_3321_communes_typed_by_name(db):
    current = Unit.objects.current()
    assert current.filter(unit_type__code="province").count() == 34
    communes = list(current.commune_level().select_related("unit_type", "parent__unit_type"))
    assert len(communes) == 3321
    for commune in communes:
        assert commune.parent.unit_type.code == "province"
        assert any(commune.name.startswith(p) for p in commune.unit_type.name_prefixes), commune.name
    types = {u.code: u.unit_type.code for u in communes}
    assert types["23500"] == "xa"
    assert types["23293"] == "phuong"
    assert sum(1 for t in types.values() if t == "dac_khu") == 13
    assert all(u.name.startswith("Đặc khu ") for u in communes if u.unit_type.code == "dac_khu")
    assert current.get(code="51").name.endswith("Quảng Ngãi")


# -- successor links (a merged unit keeps its history) ------------------------------------------

MERGE_HEADERS = ["Mã", "Tên", "Loại", "Mã đơn vị cấp trên", "Hiệu lực đến", "Mã đơn vị kế thừa"]


def test_a_closed_unit_links_to_its_successors_in_the_file_and_in_the_database(cast):
    rows = [
        ["H9100", "Huyện Cũ", "district", "51", "30/06/2025", "23500"],
        ["H9100-01", "Xã Cũ Một", "xa", "H9100", "30/06/2025", "23500; H9100-02"],
        ["H9100-02", "Xã Cũ Hai", "xa", "H9100", "", ""],
    ]
    units_import(actor=None, filename="merge.xlsx", content=xlsx(rows, MERGE_HEADERS), dry_run=False)
    old = Unit.objects.get(code="H9100-01")
    assert old.valid_to is not None
    assert sorted(old.successors.values_list("code", flat=True)) == ["23500", "H9100-02"]
    assert cast.commune_a.predecessors.filter(code="H9100-01").exists()
    entry = ChangeLog.objects.filter(object_id=str(old.pk), message__contains="kế thừa").get()
    assert "23500" in entry.message


def test_re_importing_successors_changes_nothing(cast):
    rows = [["H9100", "Huyện Cũ", "district", "51", "30/06/2025", "23500"]]
    units_import(actor=None, filename="merge.xlsx", content=xlsx(rows, MERGE_HEADERS), dry_run=False)
    before = counts()
    result = units_import(actor=None, filename="merge.xlsx", content=xlsx(rows, MERGE_HEADERS), dry_run=False)
    assert result.unchanged == 1
    assert counts() == before


def test_unknown_or_self_successor_codes_are_rejected_by_row_and_column(cast):
    rows = [
        ["H9100", "Huyện Cũ", "district", "51", "30/06/2025", "KHONG-CO"],
        ["H9101", "Huyện Khác", "district", "51", "30/06/2025", "H9101"],
    ]
    assert rejected(xlsx(rows, MERGE_HEADERS)) == {(2, "Mã đơn vị kế thừa"), (3, "Mã đơn vị kế thừa")}


def test_the_unit_page_shows_predecessors_and_successors(cast, login):
    rows = [["H9100", "Huyện Cũ", "district", "51", "30/06/2025", "23500"]]
    units_import(actor=None, filename="merge.xlsx", content=xlsx(rows, MERGE_HEADERS), dry_run=False)
    body = login(cast.province_leader).get(reverse("units:detail", args=[cast.commune_a.pk])).content.decode()
    assert "Huyện Cũ" in body


def test_a_vietnamese_template_imports_while_the_interface_is_english_and_vice_versa(cast):
    from cax.core.imports import template_xlsx

    for template_language, ui_language in (("vi", "en"), ("en", "vi")):
        with translation.override(template_language):
            content = template_xlsx(COLUMNS)
        with translation.override(ui_language):
            result = units_import(actor=None, filename="template.xlsx", content=content, dry_run=True)
        assert result.ignored_headers == []
        assert result.created == 1


# -- closing units by re-import (issue 14): one code, one unit at any date --------------------------

CLOSE_HEADERS = ["Mã", "Tên", "Loại", "Mã đơn vị cấp trên", "Hiệu lực từ", "Hiệu lực đến", "Mã đơn vị kế thừa"]
PRE_2025 = [
    ["H9200", "Huyện Đăk Cũ", "district", "51", "01/01/2019", "", ""],
    ["H9200-01", "Xã Hà Cũ", "xa", "H9200", "01/01/2019", "", ""],
    ["H9200-02", "Xã Ngọc Cũ", "xa", "H9200", "01/01/2019", "", ""],
]
CLOSING = [
    ["H9200", "Huyện Đăk Cũ", "district", "51", "01/01/2019", "30/06/2025", "23500"],
    ["H9200-01", "Xã Hà Cũ", "xa", "H9200", "01/01/2019", "30/06/2025", "23500"],
    ["H9200-02", "Xã Ngọc Cũ", "xa", "H9200", "", "30/06/2025", "23500; 23293"],
]


def _import(rows, dry_run=False, actor=None):
    return units_import(actor=actor, filename="cay.xlsx", content=xlsx(rows, CLOSE_HEADERS), dry_run=dry_run)


def test_re_importing_rows_with_an_end_date_closes_the_units_instead_of_creating_new_ones(cast):
    _import(PRE_2025)
    ids = dict(Unit.objects.filter(code__startswith="H9200").values_list("code", "pk"))
    units_before = Unit.objects.count()

    result = _import(CLOSING, actor=cast.admin)

    assert [(o.code, o.action) for o in result.outcomes] == [
        ("H9200", "update"),
        ("H9200-01", "update"),
        ("H9200-02", "update"),
    ]
    assert set(result.outcomes[0].changes) == {"Hiệu lực đến", "Mã đơn vị kế thừa"}
    assert Unit.objects.count() == units_before
    closed = {u.code: u for u in Unit.objects.filter(code__startswith="H9200")}
    assert {code: u.pk for code, u in closed.items()} == ids
    assert {u.valid_to.isoformat() for u in closed.values()} == {"2025-06-30"}
    assert closed["H9200-01"].valid_from.isoformat() == "2019-01-01"  # an empty start leaves it alone
    assert closed["H9200-02"].valid_from.isoformat() == "2019-01-01"
    assert sorted(closed["H9200-02"].successors.values_list("code", flat=True)) == ["23293", "23500"]
    assert closed["H9200-01"].parent_id == closed["H9200"].pk

    again = _import(CLOSING, actor=cast.admin)
    assert [o.action for o in again.outcomes] == ["unchanged"] * 3
    assert Unit.objects.count() == units_before


def test_a_dry_run_of_a_closing_file_previews_the_closures_and_writes_nothing(cast):
    _import(PRE_2025)
    before = counts()

    preview = _import(CLOSING, dry_run=True, actor=cast.admin)

    assert (preview.created, preview.updated) == (0, 3)
    assert counts() == before
    assert not Unit.objects.filter(code__startswith="H9200", valid_to__isnull=False).exists()
    real = _import(CLOSING, actor=cast.admin)
    assert [(o.code, o.action, o.changes) for o in preview.outcomes] == [
        (o.code, o.action, o.changes) for o in real.outcomes
    ]


def test_re_importing_the_open_rows_after_closing_reopens_the_same_units(cast):
    _import(PRE_2025)
    _import(CLOSING)
    units_before = Unit.objects.count()

    result = _import(PRE_2025)

    assert [o.action for o in result.outcomes] == ["update"] * 3
    assert all("Hiệu lực đến" in o.changes for o in result.outcomes)
    assert Unit.objects.count() == units_before
    assert not Unit.objects.filter(code__startswith="H9200", valid_to__isnull=False).exists()


def test_a_file_without_the_end_date_column_never_reopens_a_closed_unit(cast):
    _import(PRE_2025)
    _import(CLOSING)

    result = units_import(
        actor=None,
        filename="ten.csv",
        content="code,name,type,parent\nH9200-01,Xã Hà Cũ Mới,xa,H9200\n".encode(),
        dry_run=False,
    )

    assert [(o.action, o.changes) for o in result.outcomes] == [("update", ["Tên"])]
    unit = Unit.objects.get(code="H9200-01")
    assert (unit.name, unit.valid_to.isoformat()) == ("Xã Hà Cũ Mới", "2025-06-30")


def test_a_historical_row_whose_validity_ends_before_the_open_unit_begins_is_a_separate_unit(cast):
    # Today's 23500 exists from 01/07/2025; a commune with that code until 30/06/2025 is another unit.
    rows = [["23500", "Xã Đăk Hà (cũ)", "xa", "51", "01/01/2019", "30/06/2025", "23293"]]

    result = _import(rows, actor=cast.admin)

    assert [o.action for o in result.outcomes] == ["create"]
    old, today = Unit.objects.filter(code="23500").order_by("valid_from")
    assert (old.name, old.valid_to.isoformat()) == ("Xã Đăk Hà (cũ)", "2025-06-30")
    assert (today.pk, today.name, today.valid_to) == (cast.commune_a.pk, cast.commune_a.name, None)
    assert list(old.successors.all()) == [cast.commune_b]
    assert [o.action for o in _import(rows, actor=cast.admin).outcomes] == ["unchanged"]


def test_a_row_that_fits_two_units_of_its_code_is_rejected_naming_both(cast):
    _import([["23500", "Xã Đăk Hà (cũ)", "xa", "51", "01/01/2019", "30/06/2025", ""]])
    rows = [["23500", "Xã Đăk Hà", "xa", "51", "01/01/2019", "", ""]]  # from 2019 and still open: which one?

    assert rejected(xlsx(rows, CLOSE_HEADERS), cast.admin) == {(2, "Mã")}
    with pytest.raises(ImportRejected) as info:
        _import(rows, actor=cast.admin)
    message = info.value.errors[0].message
    assert "Xã Đăk Hà (cũ) 01/01/2019 → 30/06/2025" in message
    assert "Xã Đăk Hà 01/07/2025 → nay" in message


def test_a_closed_parent_is_found_for_a_historical_row_even_when_an_open_unit_reuses_its_code(cast):
    _import([["23500", "Xã Đăk Hà (cũ)", "xa", "51", "01/01/2019", "30/06/2025", ""]])
    # (a commune under a commune is unusual; the point is which of the two "23500" is the parent)
    rows = [["H9300", "Thôn Cũ", "thon", "23500", "01/01/2019", "30/06/2025", ""]]

    _import(rows, actor=cast.admin)

    old = Unit.objects.get(code="23500", valid_to__isnull=False)
    assert Unit.objects.get(code="H9300").parent_id == old.pk


def test_closing_through_the_web_previews_then_applies(cast, login):
    _import(PRE_2025)
    client = login(cast.admin)
    before = counts()

    batch = _upload(client, xlsx(CLOSING, CLOSE_HEADERS))
    preview = client.get(reverse("units:import_preview", args=[batch.uuid]))

    assert [o.action for o in preview.context["result"].outcomes] == ["update"] * 3
    assert "Hiệu lực đến" in preview.content.decode()
    assert counts() == before
    confirm = client.post(reverse("units:import_preview", args=[batch.uuid]))
    assert not confirm.context["result"].dry_run
    assert Unit.objects.count() == before[0]
    assert Unit.objects.filter(code__startswith="H9200", valid_to__isnull=False).count() == 3


def test_closing_by_the_command_dry_run_then_real_run(cast, tmp_path):
    _import(PRE_2025)
    path = tmp_path / "dong.xlsx"
    path.write_bytes(xlsx(CLOSING, CLOSE_HEADERS))
    before = counts()

    out = io.StringIO()
    call_command("import_units", str(path), "--dry-run", stdout=out)
    assert "0 tạo mới, 3 cập nhật" in out.getvalue()
    assert counts() == before

    out = io.StringIO()
    call_command("import_units", str(path), stdout=out)
    assert "0 tạo mới, 3 cập nhật" in out.getvalue()
    assert Unit.objects.count() == before[0]
    assert Unit.objects.filter(code__startswith="H9200", valid_to__isnull=False).count() == 3
