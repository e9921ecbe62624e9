"""The demo data obeys CAX's own rules (issue 14): what `./cax up` loads, and the generator behind
`./cax manage demo --scale national`, checked by every app's audit (core.audit): zero violations."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from cax.core.audit import violations
from cax.deployment.demo import generate
from cax.units.models import Unit


@pytest.mark.django_db
def test_what_cax_up_and_the_national_generator_produce_breaks_no_rule():
    out = io.StringIO()
    # The same commands, in the same order, as `./cax up` (the unit tree and report forms are loaded).
    call_command("demo", "--if-empty", stdout=out)
    call_command("demo_cases", "--unit", "51", "--count", "300", "--if-empty", stdout=out)
    call_command("demo_reports", "--unit", "51", "--if-empty", stdout=out)
    call_command("demo_programme", "--unit", "51", stdout=out)
    # `--scale national` is this generator at the root; here over two more provinces (the demo
    # province is taken), with fewer officers per commune.
    for number, code in enumerate(("01", "79")):
        province = Unit.objects.current().get(code=code)
        generate(root=province, size_range=(2, 4), first_number=30_000_000 + number * 1_000_000, seed=7 + number)

    found = [str(v) for v in violations()]

    assert found == []


@pytest.mark.django_db
def test_the_audit_finds_what_a_rule_refuses(cast):
    """The check is not empty by construction: a record written around the services is caught."""
    import datetime as dt

    from cax.deployment.tests.factories import officer
    from cax.personnel.models import Officer

    o = officer(cast.province_a, date_of_birth=dt.date(1990, 1, 1))
    Officer.objects.filter(pk=o.pk).update(is_party_member=True, party_joined_on=dt.date(2099, 1, 1))

    found = [v for v in violations() if v.record == str(o)]

    assert [v.rule for v in found] == ["hồ sơ cán bộ"]
    assert "Ngày vào Đảng 01/01/2099 ở tương lai" in found[0].message
