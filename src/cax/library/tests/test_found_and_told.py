"""The library in the one search and in notices (issue 19.3 with 19.4 and 19.5): a handbook uploaded
for one province is found from the menu bar's search by a word inside its file without diacritics,
by its officers only; each officer it applies to gets a notice to acknowledge it, in the transaction
that publishes it, and a classified stub tells nobody."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from cax.core import search
from cax.library import services
from cax.library.demo import docx_bytes
from cax.library.tests.factories import document
from cax.movement.tests.test_movement import make_model
from cax.notices.models import Notice

pytestmark = pytest.mark.django_db


def _hits(actor, q):
    return [(h.kind, h.title) for h in search.search(actor, q)["hits"]]


def test_the_one_search_finds_a_word_inside_the_handbook_for_its_province_only(cast):
    doc = document(cast.province_staff, cast.province_a, title="Sổ tay tuần tra")
    services.document_attach_file(
        actor=cast.province_staff, document=doc, name="so-tay.docx", content=docx_bytes(["Phòng chống đuối nước"])
    )
    assert ("library", "Sổ tay tuần tra") in _hits(cast.commune_officer, "phong chong duoi nuoc")
    assert ("library", "Sổ tay tuần tra") not in _hits(cast.commune_c_officer, "phong chong duoi nuoc")


def test_a_classified_stub_is_found_by_its_number_never_by_a_body(cast):
    document(cast.province_staff, cast.province_a, title="Kế hoạch", number="17/KH-CAT", secrecy="mat",
             holder="Văn thư", classified_on=dt.date(2026, 1, 5))  # fmt: skip
    assert ("library", "Kế hoạch") in _hits(cast.province_staff, "17 kh cat")


def test_the_movements_models_are_found_by_name(cast):
    make_model(cast.commune_a, name="Camera an ninh thôn Đăk Răng")
    assert ("movement", "Camera an ninh thôn Đăk Răng") in _hits(cast.commune_chief, "dak rang")
    assert not [h for h in _hits(cast.commune_c_officer, "dak rang") if h[0] == "movement"]


def test_publishing_tells_each_officer_it_applies_to_and_nobody_outside(cast):
    doc = document(cast.province_staff, cast.province_a)
    told = set(Notice.objects.filter(kind="library.acknowledge", target=f"library.document:{doc.pk}").values_list(
        "user__username", flat=True))  # fmt: skip
    assert cast.commune_officer.username in told
    assert cast.commune_chief.username in told
    assert cast.commune_c_officer.username not in told
    assert cast.province_staff.username not in told  # the publisher is not told of their own document


def test_a_classified_stub_tells_nobody(cast):
    document(cast.province_staff, cast.province_a, number="18/KH-CAT", secrecy="mat", holder="Văn thư",
             classified_on=dt.date(2026, 1, 5))  # fmt: skip
    assert not Notice.objects.filter(kind="library.acknowledge").exists()


class _Undone(Exception):
    pass


def _publish_then_fail(cast):
    with transaction.atomic():
        document(cast.province_staff, cast.province_a)
        assert Notice.objects.filter(kind="library.acknowledge").exists()
        raise _Undone


def test_the_notice_lives_and_dies_with_the_publishing_transaction(cast):
    with pytest.raises(_Undone):
        _publish_then_fail(cast)
    assert not Notice.objects.filter(kind="library.acknowledge").exists()
