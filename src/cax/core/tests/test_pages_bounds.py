"""No page answers 500 on any query (issue 16.4): every list and unit page, as the administrator
(who sees every page), with hostile values in every query parameter the pages read.

schemathesis covers the API from its OpenAPI document; HTML pages have no such document, so this
sweep sends the values that broke pages before (a huge page number, dates outside 1900–2199,
NUL, a code of 10,000 characters, negative numbers) under every parameter name a page reads.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from cax.core.tests.test_cross_scope import _page_kinds, site_pages

SRC = Path(__file__).resolve().parents[2]

# Four values that between them broke every kind of parser seen (int(), date parsing, paging,
# a date calculation, the database's integer range); the unit tests of cax.core.bounds cover the edges.
HOSTILE = {
    "huge": str(10**12),
    "ancient": "0001-01-01",
    "nul": "a\x00b",
    "long": "9" * 10_000,
}
pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="what is parsed is the same on both databases; the suite's time budget"
)
# Pages that are actions or downloads of something else, not lists to search.
SKIP = {"accounts:logout", "set_language", "healthz", "accounts:login"}


def _query_names() -> list[str]:
    """Every GET parameter name the code reads: request.GET.get("x"), form fields of filter forms
    are covered by the names in the templates' inputs."""
    names: set[str] = {"page", "as_of", "q", "unit", "format", "sort", "status", "year", "month", "period"}
    for path in SRC.rglob("*.py"):
        if "/tests/" in str(path) or "/migrations/" in str(path):
            continue
        names.update(re.findall(r"request\.GET\.get(?:list)?\(\s*[\"'](\w+)[\"']", path.read_text(encoding="utf-8")))
    for path in SRC.rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        if 'method="get"' in text or "method='get'" in text or "<form" in text and "method" not in text:
            names.update(re.findall(r"<(?:input|select)[^>]*\bname=\"(\w+)\"", text))
    names.discard("csrfmiddlewaretoken")
    return sorted(names)


def _pages(unit_pk: int) -> list[tuple[str, str]]:
    pages = []
    for name, pattern in site_pages().items():
        if name in SKIP or name.endswith(("import_template", "_export")):
            continue
        kinds = _page_kinds(name, pattern)
        if kinds == ():
            pages.append((name, reverse(name)))
        elif kinds == ("unit",):
            pages.append((name, reverse(name, args=[unit_pk])))
    return pages


@pytest.mark.parametrize("value", sorted(HOSTILE))
def test_no_page_answers_500_on_hostile_query_values(cast, login, value):
    client = login(cast.admin)
    client.raise_request_exception = False
    names = _query_names()
    assert {"page", "as_of", "q", "unit"} <= set(names)
    query = {name: HOSTILE[value] for name in names if name != "format"}
    failures = []
    pages = _pages(cast.province_a.pk)
    assert len(pages) > 30
    for name, url in pages:
        response = client.get(url, query)
        if response.status_code >= 500:
            failures.append(f"{name} {url} → {response.status_code}")
    assert failures == []


def test_a_unit_id_that_is_no_id_answers_400_with_a_message(cast, login):
    response = login(cast.admin).get(reverse("plans:create"), {"unit": "abc"})
    assert response.status_code == 422
    assert "Mã số không hợp lệ: abc." in response.content.decode()
