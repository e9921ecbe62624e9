"""schemathesis over the whole OpenAPI document, as an administrator and as a commune officer (#16.4).

Every operation gets ``CAX_SCHEMATHESIS_EXAMPLES`` generated requests (default small so the file
stays near a minute; raise it for a deeper run) in schemathesis' positive mode (valid by the
schema) and negative mode (invalid on purpose). Each request goes through the WSGI application
in-process, on the test database inside the test's transaction, and its answer must be no 5xx,
a status the operation documents, with the content type it documents and a body its schema
accepts. The failures are gathered over every operation and reported together.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cax.accounts.services import token_create

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("CAX_SCHEMATHESIS_EXAMPLES", "4"))
CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MODES = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]


def _failures_of(operation, mode, headers: dict) -> list[str]:
    """The distinct problems found in ``EXAMPLES`` requests to ``operation`` (empty: none)."""
    found: dict[str, str] = {}

    @given(case=operation.as_strategy(generation_mode=mode, headers=headers))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        response = case.call()
        try:
            case.validate_response(response, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as exc:  # one failure or a group; reported, not shrunk
            key = f"{operation.label} [{mode.value}] {type(exc).__name__}"
            found.setdefault(key, f"{key}: {str(exc)[:1500]}\n  {case.as_curl_command()}")

    try:
        run()
    except Unsatisfiable:  # nothing to make invalid (an operation without parameters): negative mode skipped
        assert mode is schemathesis.GenerationMode.NEGATIVE
    return list(found.values())


@pytest.fixture
def connection_kept():
    """The WSGI application closes the database connection after each request (``CONN_MAX_AGE``),
    which would end the test's transaction on PostgreSQL; Django's test client keeps it the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", ["admin", "commune_officer"])
def test_no_operation_answers_5xx_or_off_its_schema(cast, role, connection_kept):
    user = cast.by_role(role)
    _, raw = token_create(actor=None, user=user, name="schemathesis")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    headers = {"Authorization": f"Bearer {raw}"}
    problems: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in MODES:
            problems += _failures_of(operation, mode, headers)
    assert not problems, f"{len(problems)} problems:\n" + "\n\n".join(problems)
