"""Every page a demo user reaches writes numbers one way (issue 17.1).

The demo province is loaded as ``./cax up`` loads it; each demo role follows the links from its
home page (``cax.core.testing.pagewalk``), in Vietnamese and in English, and every page must:
print no number that skipped the formatting layer, write no number in the other language's form,
draw no SVG shape with a decimal comma, answer no 5xx, and show no text of the other language nor
an internal code (issue 17.2): Vietnamese left on an English page outside the data, an English
library message or a field key on a Vietnamese one.
"""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command
from django.test import Client

from cax.accounts.demo import DEMO_ACCOUNTS
from cax.accounts.models import User
from cax.core.context import request_context
from cax.core.testing.pagewalk import report, walk

pytestmark = [pytest.mark.django_db]

ROLES = [username for username, *_rest in DEMO_ACCOUNTS]
# English is read by one role of each level: the number forms come from one layer, and the walk of
# every role in both languages doubles the time for little more.
ENGLISH_ROLES = ["admin", "lanhdao.tinh", "truong.xa"]


@pytest.fixture
def demo_province(db):
    """The demo province of ``./cax up``, with fewer crime reports (60, not 500) and a week of reports
    (not 45 days) to stay quick."""
    with request_context():
        call_command("demo_accounts", stdout=_Null())
        call_command("demo", "--if-empty", stdout=_Null())
        call_command("demo_cases", "--unit", "51", "--count", "60", stdout=_Null())
        call_command("load_report_forms", stdout=_Null())
        call_command("demo_reports", "--unit", "51", "--days", "7", stdout=_Null())
        call_command("demo_programme", "--unit", "51", stdout=_Null())


class _Null:
    def write(self, *args, **kwargs):
        return 0

    def flush(self):
        return None


def _walk(username: str, language: str):
    client = Client()
    client.force_login(User.objects.get(username=username))
    client.cookies["django_language"] = language
    return walk(client, ["/"], language=language, per_pattern=1)


def test_every_page_of_every_demo_role_writes_numbers_and_words_one_way(demo_province):
    """One test for both languages: loading the demo province is the slow part."""
    problems = []
    pages = 0
    for username, language in [(u, "vi") for u in ROLES] + [(u, "en") for u in ENGLISH_ROLES]:
        found = _walk(username, language)
        pages += len(found.pages)
        if os.environ.get("CAX_WALK_TIMES"):
            with open(os.environ["CAX_WALK_TIMES"], "a") as times:
                times.writelines(f"{t:.3f} {username} {language} {p}\n" for p, t in found.seconds.items())
        assert not found.server_errors, f"{username} ({language}): 5xx on {found.server_errors}"
        numbers = {path: [str(n) for n in items] for path, items in found.raw_numbers.items()}
        if numbers:
            problems.append(
                f"== {username} ({language}): numbers printed without a formatting filter\n{report(numbers)}"
            )
        if found.text_problems:
            problems.append(
                f"== {username}: numbers not written as {language} writes them\n{report(found.text_problems)}"
            )
        if found.leftovers:
            other = "English words or internal codes" if language == "vi" else "Vietnamese text"
            problems.append(f"== {username} ({language}): {other} on the page\n{report(found.leftovers)}")
    assert pages > 400, f"the walk reached only {pages} pages: is the demo loaded, are the links followed?"
    assert not problems, "\n".join(problems)
