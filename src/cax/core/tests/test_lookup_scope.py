"""Lookups never reveal what lies outside the scope (issue 16 part 7).

For every place a user names a record by its code (a form, an import, an API body or path), a code
that exists outside the user's subtree and a code that does not exist at all get the same answer:
the same status, the same message and fields byte for byte once the code itself is swapped for a
placeholder, and the same queries (the same work, so the same timing class). Lookups whose subject
may lie anywhere by design (a place of incident, a transfer's receiving unit, an officer's family
home) are not scope lookups and are not listed here (docs/permissions.md).
"""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cax.accounts.roles import Role
from cax.accounts.services import token_create
from cax.core.exceptions import DomainError
from cax.core.imports import ImportRejected
from cax.core.testing.cast import make_user
from cax.core.testing.units import make_village
from cax.deployment.tests.factories import officer as make_officer

pytestmark = pytest.mark.django_db

UNKNOWN = "99999"


def _answer(call, code: str) -> tuple[str, int]:
    """What ``call(code)`` answers, as text with the code swapped for a placeholder, and its queries."""
    with CaptureQueriesContext(connection) as queries:
        answer = call(code)
    return json.dumps(answer, ensure_ascii=False, sort_keys=True, default=str).replace(code, "<mã>"), len(queries)


def assert_answered_alike(call, outside: str, unknown: str, *, hidden: tuple[str, ...] = ()) -> None:
    call(unknown)  # once before measuring: a first call fills per-process caches (a token's first use)
    seen_outside, seen_unknown = _answer(call, outside), _answer(call, unknown)
    assert seen_outside == seen_unknown
    for text in hidden:
        assert text not in seen_outside[0]


def _refusal(action) -> dict:
    try:
        action()
    except DomainError as exc:
        return {"message": exc.message, "fields": exc.fields}
    except ImportRejected as exc:
        return {"errors": [(e.row, str(e.column), str(e.message)) for e in exc.errors]}
    raise AssertionError("not refused")


def _api(client, user):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_create(actor=user, user=user, name='t')[1]}"}

    def send(method: str, path: str, body: dict | None = None):
        if body is None:
            response = getattr(client, method)(path, **headers)
        else:
            response = getattr(client, method)(path, json.dumps(body), content_type="application/json", **headers)
        return {"status": response.status_code, "body": response.json()}

    return send


# -- grassroots: a team's villages ---------------------------------------------------------------


@pytest.fixture
def far_village(cast):
    """A village of Phường Hoàn Kiếm (Hà Nội): outside Quảng Ngãi's commune chief's subtree."""
    return make_village(cast.commune_c, "00070-T01", "Tổ dân phố Hàng Bạc")


def test_a_village_of_another_province_in_a_team_is_an_unknown_code(cast, client, far_village):
    from cax.grassroots.registers import TEAMS

    hidden = ("Hàng Bạc", "Hoàn Kiếm")
    data = {"unit": cast.commune_a, "name": "Tổ bảo vệ ANTT thôn 1"}

    def service(code):
        return _refusal(lambda: TEAMS.save(actor=cast.commune_chief, instance=None, data=data | {"villages": code}))

    assert_answered_alike(service, far_village.code, "00070-T99", hidden=hidden)

    client.force_login(cast.commune_chief)

    def form(code):
        response = client.post(TEAMS.url("create"), {"unit": "23500", "name": "Tổ 1", "villages": code})
        return {"status": response.status_code, "errors": response.context["form"].errors}

    assert_answered_alike(form, far_village.code, "00070-T99", hidden=hidden)

    api = _api(client, cast.commune_chief)
    assert_answered_alike(
        lambda code: api("post", "/api/v1/grassroots/teams", {"unit": "23500", "name": "Tổ 1", "villages": code}),
        far_village.code,
        "00070-T99",
        hidden=hidden,
    )


# -- files that name units and officers -------------------------------------------------------------


def test_a_postings_file_answers_an_outside_officer_or_unit_as_an_unknown_one(cast):
    from cax.deployment.imports import postings_import
    from cax.personnel.tests.test_imports import a_posting, postings_xlsx

    far_officer = make_officer(cast.province_b, service_number="91000050")
    make_officer(cast.province_a, service_number="91000001")

    def by_officer(number):
        content = postings_xlsx([a_posting(number, "23500", "01/07/2025")])
        return _refusal(
            lambda: postings_import(actor=cast.province_staff, filename="q.xlsx", content=content, dry_run=True)
        )

    assert_answered_alike(by_officer, far_officer.service_number, "91000099", hidden=(far_officer.full_name,))

    def by_unit(code):
        content = postings_xlsx([a_posting("91000001", code, "01/07/2025")])
        return _refusal(
            lambda: postings_import(actor=cast.province_staff, filename="q.xlsx", content=content, dry_run=True)
        )

    assert_answered_alike(by_unit, cast.commune_c.code, UNKNOWN, hidden=(cast.commune_c.name,))


def test_the_officer_import_answers_a_unit_outside_the_scope_as_an_unknown_code(cast):
    from cax.personnel.imports import officers_import
    from cax.personnel.tests.test_imports import an, xlsx

    def call(code):
        content = xlsx([an("91000077", unit_code=code)])
        return _refusal(
            lambda: officers_import(actor=cast.province_staff, filename="c.xlsx", content=content, dry_run=True)
        )

    assert_answered_alike(call, cast.province_b.code, "98", hidden=(cast.province_b.name,))


def test_the_exchange_answers_a_unit_outside_the_scope_as_an_unknown_code(cast):
    from cax.reports import exchange
    from cax.reports.tests.factories import MONTHLY

    def call(code):
        content = f"dataset,dataelement,period,orgunit,value\n{MONTHLY},tngt_vu,202609,{code},3\n".encode()
        return _refusal(lambda: exchange.import_values(actor=cast.province_staff, filename="v.csv", content=content))

    assert_answered_alike(call, cast.commune_c.code, UNKNOWN, hidden=(cast.commune_c.name,))


def test_the_units_import_answers_a_parent_outside_the_scope_as_an_unknown_code(cast):
    from cax.units.imports import units_import

    def call(code):
        content = f"Mã,Tên,Loại,Mã đơn vị cấp trên\n51-X1,Xã Thử,xa,{code}\n".encode()
        return _refusal(
            lambda: units_import(actor=cast.province_staff, filename="u.csv", content=content, dry_run=True)
        )

    assert_answered_alike(call, cast.province_b.code, "98", hidden=(cast.province_b.name,))


# -- forms and API paths ---------------------------------------------------------------------------


def test_the_account_form_answers_a_unit_outside_the_managers_scope_as_an_unknown_code(cast, client):
    client.force_login(make_user("admin_51", Role.ADMINISTRATOR, cast.province_a))

    def call(code):
        data = {"username": "nguoi_moi", "full_name": "Người Mới", "role": Role.COMMUNE_OFFICER, "unit": code}
        response = client.post(reverse("accounts:user_create"), data | {"password": "Mat-khau-rat-dai-2025!"})
        return {"status": response.status_code, "errors": response.context["form"].errors}

    assert_answered_alike(call, cast.province_b.code, "98", hidden=(cast.province_b.name,))


def test_api_paths_and_bodies_answer_an_outside_code_as_an_unknown_one(cast, client):
    far_officer = make_officer(cast.province_b, service_number="91000050")
    officer_api = _api(client, cast.province_staff)
    assert_answered_alike(lambda n: officer_api("get", f"/api/v1/officers/{n}"), "91000050", "91000099")
    assert_answered_alike(
        lambda n: officer_api(
            "post",
            "/api/v1/honours/casualties",
            {"unit": "23500", "officer": n, "kind": "injured", "date": "2025-01-02"},
        ),
        far_officer.service_number,
        "91000099",
        hidden=(far_officer.full_name,),
    )
    commune_api = _api(client, cast.commune_chief)
    assert_answered_alike(lambda c: commune_api("get", f"/api/v1/units/{c}"), cast.commune_c.code, UNKNOWN)
    assert_answered_alike(
        lambda c: commune_api("post", "/api/v1/facilities/headquarters", {"unit": c, "status": "built"}),
        cast.commune_b.code,
        UNKNOWN,
        hidden=(cast.commune_b.name,),
    )


def test_a_list_filtered_by_a_unit_outside_the_scope_looks_like_one_filtered_by_an_unknown_code(cast, client):
    """The campaigns' "taking part" filter reads the code without an error either way: the two must
    not differ in what they return nor in the queries they run."""
    api = _api(client, cast.province_staff)
    assert_answered_alike(
        lambda c: api("get", f"/api/v1/honours/campaigns?participant={c}"), cast.commune_c.code, UNKNOWN
    )


def test_a_register_list_filtered_by_a_unit_outside_the_scope_is_refused_as_an_unknown_one(cast, client):
    api = _api(client, cast.commune_chief)
    assert_answered_alike(lambda c: api("get", f"/api/v1/grassroots/teams?unit={c}"), cast.commune_c.code, UNKNOWN)
