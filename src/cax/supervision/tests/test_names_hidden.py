"""The strictest access in CAX (issue 18.1): a province leader, the neighbouring commune, the
auditor, the ministry, the province's administrator and personnel staff, and a department not
responsible for the category cannot read a managed person's name, personal ID number or address
through any page, list, export, search or API endpoint.

Walked from the URL conf and the OpenAPI document (as core's cross-scope test), not from a list
written by hand: every page without parameters (plainly, searching the name, with the commune's
code, as Excel with a reason), every page about a unit (the commune, the province), every page and
endpoint about a supervision record (with the person's own rows), every GET of /api/v1. A 200
answer must not hold the name anywhere in its bytes, its Excel cells or its JSON strings.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cax.accounts.roles import Role
from cax.accounts.services import token_create
from cax.core.models import ImportBatch
from cax.core.testing.cast import make_user
from cax.core.testing.units import make_department
from cax.core.tests.test_cross_scope import _cells, _page_kinds, _params, _strings, api_paths, site_pages
from cax.supervision import services
from cax.supervision.models import Duty, Event, Handover, Identity, SupervisionFile, TemporaryAbsence
from cax.supervision.tests.factories import NAME, PERSONAL_ID, received

pytestmark = pytest.mark.django_db
ADDRESS = "Thôn Bí Mật 9, Xã Đăk Hà"
BATCH = "00000000-0000-0000-0000-000000000018"
SECRETS = (NAME, PERSONAL_ID, ADDRESS, NAME.upper(), "Nguyen Van Thu")


@pytest.fixture
def person(cast):
    """A person on a suspended sentence in commune A, with every kind of row the app keeps."""
    officer = cast.commune_officer
    make_department(cast.province_a, code="51-PC10", name="Phòng Cảnh sát thi hành án hình sự")
    file = received(officer, cast.commune_a, address=ADDRESS)
    services.event_record(actor=officer, file=file, kind="report", on=dt.date(2026, 2, 14), note="Đúng hạn")
    services.event_record(actor=officer, file=file, kind="absence", on=dt.date(2026, 3, 1),
                          data={"first_day": dt.date(2026, 3, 2), "last_day": dt.date(2026, 3, 3),
                                "destination": "Huế", "reason": "Việc riêng"})  # fmt: skip
    services.event_record(actor=officer, file=file, kind="return", on=dt.date(2026, 3, 3))
    services.event_record(actor=officer, file=file, kind="violation", on=dt.date(2026, 4, 1))
    services.file_open(actor=cast.commune_chief, file=file, reason="Kiểm tra")
    services.names_exported(actor=cast.commune_chief, unit=cast.commune_a, rows=1, reason="Báo cáo")
    # A second person moving to commune B's neighbour in another province, not yet accepted.
    other = received(officer, cast.commune_a, decision_number="2/QĐ", full_name=NAME, personal_id=PERSONAL_ID)
    services.handover_send(
        actor=officer, file=other, to_unit=cast.commune_c, moved_at=timezone.now() - dt.timedelta(hours=1)
    )
    batch = ImportBatch(uuid=BATCH, kind="supervision.file", filename="f.xlsx", size=1, created_by=officer)
    batch.file.save(f"{BATCH}.xlsx", ContentFile(b"x"))
    return file


def _rows(file) -> dict[str, list]:
    return {
        "supervision.supervisionfile": list(SupervisionFile.objects.order_by("pk")),
        "supervision.identity": list(Identity.objects.order_by("pk")),
        "supervision.event": list(Event.objects.order_by("pk")),
        "supervision.duty": list(Duty.objects.order_by("pk")),
        "supervision.temporaryabsence": list(TemporaryAbsence.objects.order_by("pk")),
        "supervision.handover": list(Handover.objects.order_by("pk")),
    }


def _leaks(response) -> list[str]:
    if response.status_code != 200:
        return []
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        found = _cells(response.content)
        return [s for s in SECRETS if any(s in cell for cell in found)]
    if "json" in kind:
        found = set(_strings(response.json()))
        return [s for s in SECRETS if any(s in text for text in found)]
    body = response.content.decode(errors="replace")
    return [s for s in SECRETS if s in body]


WALKERS = {
    "province_leader": (Role.PROVINCE_LEADER, "province_a"),
    "province_administrator": (Role.ADMINISTRATOR, "province_a"),
    "neighbouring_commune_chief": (Role.COMMUNE_CHIEF, "commune_b"),
    "province_auditor": (Role.AUDITOR, "province_a"),
    "ministry_leader": (Role.MINISTRY_LEADER, "root"),
    "other_department": (Role.DEPARTMENT_STAFF, "department_pc06"),
}


def _unit(cast, key):
    from cax.units.models import Unit

    if key == "root":
        return Unit.objects.get(parent__isnull=True)
    if key == "department_pc06":
        return make_department(cast.province_a, code="51-PC06", name="Phòng Cảnh sát QLHC")
    return getattr(cast, key)


def _fill(kind: str, rows: dict, cast):
    if kind == "unit":
        return cast.commune_a.pk
    if kind == "event_kind":
        return "report"
    if kind == "batch":
        return BATCH
    found = rows.get(kind)
    return found[0].pk if found else None


def _walk_pages(client, cast, rows, check) -> set[str]:
    reached = set()
    for name, pattern in site_pages().items():
        kinds = _page_kinds(name, pattern)
        if kinds is None or name in ("accounts:logout", "set_language"):
            continue
        if not kinds:
            url = reverse(name)
            for query in ({}, {"q": "nguyen van thu"}, {"q": PERSONAL_ID[:-1]}, {"unit": cast.commune_a.code},
                          {"format": "xlsx", "reason": "Kiểm tra trái phép"}):  # fmt: skip
                check(f"{name} {query}", client.get(url, query))
            reached.add(name)
            continue
        args = [_fill(k, rows, cast) for k in kinds]
        if any(a is None for a in args) or len(args) != len(_params(pattern)):
            continue
        url = reverse(name, args=args)
        for query in ({}, {"reason": "Kiểm tra trái phép"}, {"format": "xlsx", "reason": "Kiểm tra trái phép"}):
            check(f"{name} {url} {query}", client.get(url, query, follow=True))
        check(f"POST {name}", client.post(url, {}, follow=True))
        reached.add(name)
    return reached


def _api_url(path: str, cast, rows) -> str | None:
    values = {
        "record_id": rows["supervision.supervisionfile"][0].pk if "/supervision/" in path else None,
        "code": cast.commune_a.code,
        "unit_code": cast.commune_a.code,
    }
    url = path
    for param in re.findall(r"{(\w+)}", path):
        if values.get(param) is None:
            return None
        url = url.replace(f"{{{param}}}", str(values[param]))
    return url


def _walk_api(client, headers, cast, rows, check) -> set[str]:
    reached = set()
    for path, operations in api_paths().items():
        url = _api_url(path, cast, rows) if "get" in operations else None
        if url is None:
            continue
        for query in ({}, {"q": "nguyen van thu"}, {"unit": cast.commune_a.code}, {"reason": "Kiểm tra trái phép"}):
            check(f"GET {url} {query}", client.get(url, query, headers=headers))
        reached.add(path)
    return reached


@pytest.mark.parametrize("who", list(WALKERS))
def test_no_other_level_reads_a_name_anywhere(cast, person, who):
    role, unit_key = WALKERS[who]
    user = make_user(f"walk.{who}", role, _unit(cast, unit_key))
    client = Client()
    client.force_login(user)
    _token, raw = token_create(actor=None, user=user, name="walk")
    rows = _rows(person)
    problems: list[str] = []

    def check(what, response):
        leaked = _leaks(response)
        if leaked:
            problems.append(f"{what}: {response.status_code} shows {leaked}")

    reached = _walk_pages(client, cast, rows, check)
    reached |= _walk_api(client, {"Authorization": f"Bearer {raw}"}, cast, rows, check)

    assert not problems, "\n".join(problems)
    assert {"supervision:file_list", "supervision:file_detail", "supervision:overdue", "supervision:figures",
            "supervision:handover_list", "/api/v1/supervision/files", "/api/v1/supervision/files/{record_id}",
            "changelog", "home"} <= reached  # fmt: skip


def test_the_walk_would_see_a_name_the_commune_may_read(cast, person):
    """The check is not empty by construction: the managing commune's own pages show the name."""
    client = Client()
    client.force_login(cast.commune_chief)
    page = client.get(reverse("supervision:file_list"), {"q": "nguyen van thu"})
    assert _leaks(page)
    opened = client.get(reverse("supervision:file_detail", args=[person.pk]), {"reason": "Kiểm tra"})
    assert _leaks(opened)


def test_the_responsible_department_reads_the_names_of_its_category(cast, person):
    department = SupervisionFile.objects.get(pk=person.pk).department
    assert department is not None
    staff = make_user("pc10", Role.DEPARTMENT_STAFF, department)
    client = Client()
    client.force_login(staff)
    assert _leaks(client.get(reverse("supervision:file_list")))
    # ... but writes nothing.
    url = reverse("supervision:event_record", args=[person.pk, "report"])
    assert client.get(url).status_code == 403
