"""Issue 19 part 3, as checked: a handbook for one province is seen by its officers, found by a word
inside its file without diacritics, lists who has not read it; marking it Mật refuses the file."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cax.core.exceptions import DomainError, NotVisible
from cax.core.models import ImmutableRecordError
from cax.library import selectors, services
from cax.library.demo import docx_bytes
from cax.library.models import Acknowledgement, Document, TextStatus
from cax.library.registers import DOCUMENTS
from cax.library.tests.factories import document, pdf_bytes
from cax.library.todo import todo

pytestmark = pytest.mark.django_db

HANDBOOK = ["Sổ tay", "Tuần tra ban đêm cùng Tổ bảo vệ an ninh, trật tự ở cơ sở."]


@pytest.fixture
def handbook(cast):
    doc = document(cast.province_staff, cast.province_a)
    return services.document_attach_file(
        actor=cast.province_staff, document=doc, name="so-tay.docx", content=docx_bytes(HANDBOOK)
    )


def test_the_provinces_officers_see_it_and_others_do_not(cast, handbook):
    assert selectors.documents_for(cast.commune_officer).filter(pk=handbook.pk).exists()
    assert selectors.documents_for(cast.ministry_leader).filter(pk=handbook.pk).exists()
    with pytest.raises(NotVisible):
        selectors.document_get(actor=cast.commune_c_officer, pk=handbook.pk)


def test_search_finds_a_word_inside_the_file_without_diacritics(cast, handbook):
    found = DOCUMENTS.search(cast.commune_officer, {"q": "tuan tra ban dem"})
    assert list(found) == [handbook]
    assert not DOCUMENTS.search(cast.commune_officer, {"q": "tuan tra ban ngay"}).exists()
    assert handbook.text_status == TextStatus.EXTRACTED


def test_a_pdfs_text_is_found_too(cast):
    doc = document(cast.province_staff, cast.province_a, title="Hướng dẫn")
    services.document_attach_file(
        actor=cast.province_staff, document=doc, name="hd.pdf", content=pdf_bytes("Đăng ký tạm trú trực tuyến")
    )
    assert list(DOCUMENTS.search(cast.commune_officer, {"q": "dang ky tam tru"})) == [doc]


def test_a_file_without_text_is_kept_and_says_so(cast):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    import io

    buffer = io.BytesIO()
    writer.write(buffer)
    doc = document(cast.province_staff, cast.province_a)
    doc = services.document_attach_file(
        actor=cast.province_staff, document=doc, name="scan.pdf", content=buffer.getvalue()
    )
    assert doc.file
    assert doc.text_status == TextStatus.NO_TEXT


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("so-tay.pdf", docx_bytes(["x"]), "DOCX"),
        ("so-tay.docx", b"MZ\x90\x00 not a document", "không phải PDF hay DOCX"),
        ("so-tay.exe", b"%PDF-1.4 hello", "đuôi"),
    ],
)
def test_the_content_decides_not_the_name(cast, name, content, says):
    doc = document(cast.province_staff, cast.province_a)
    with pytest.raises(DomainError) as refused:
        services.document_attach_file(actor=cast.province_staff, document=doc, name=name, content=content)
    assert says in refused.value.message


def test_a_file_over_the_limit_or_empty_is_refused_and_nothing_is_kept(cast, settings):
    settings.CAX_ATTACHMENT_MAX_BYTES = 1000
    doc = document(cast.province_staff, cast.province_a)
    with pytest.raises(DomainError) as refused:
        services.document_attach_file(
            actor=cast.province_staff, document=doc, name="so-tay.pdf", content=b"%PDF-1.4\n" + bytes(range(256)) * 8
        )
    assert refused.value.fields == {"file": ["Tệp quá lớn"]}
    with pytest.raises(DomainError) as empty:
        services.document_attach_file(actor=cast.province_staff, document=doc, name="so-tay.pdf", content=b"")
    assert empty.value.message == "Tệp rỗng."
    doc.refresh_from_db()
    assert not doc.file
    assert doc.file_text == ""


def test_the_unread_list_shows_who_has_not_read_it_and_the_home_page_asks(cast, handbook):
    now = timezone.now()
    line = todo(actor=cast.commune_officer, now=now)[0]
    assert line.count == 1
    assert line.url == reverse("library:pending")

    total, done, groups = selectors.unread_by_unit(actor=cast.commune_chief, document=handbook)
    assert (total, done) == (2, 0)
    assert {u.username for g in groups for u in g.users} == {"chief_a", "officer_a"}

    services.document_acknowledge(actor=cast.commune_officer, document=handbook)
    services.document_acknowledge(actor=cast.commune_officer, document=handbook)  # a second click
    assert Acknowledgement.objects.filter(document=handbook).count() == 1
    total, done, groups = selectors.unread_by_unit(actor=cast.commune_chief, document=handbook)
    assert (total, done) == (2, 1)
    assert [u.username for g in groups for u in g.users] == ["chief_a"]
    assert todo(actor=cast.commune_officer, now=now)[0].count == 0

    # The province sees its whole subtree: every user of the province's units, itself included.
    total, _done, _groups = selectors.unread_by_unit(actor=cast.province_leader, document=handbook)
    assert total == 5  # leader, staff, department, chief, officer


def test_an_acknowledgement_is_never_rewritten(cast, handbook):
    ack = services.document_acknowledge(actor=cast.commune_officer, document=handbook)
    with pytest.raises(ImmutableRecordError):
        ack.save()
    with pytest.raises(ImmutableRecordError):
        Acknowledgement.objects.filter(pk=ack.pk).update(acknowledged_at=timezone.now())
    with pytest.raises(ImmutableRecordError):
        ack.delete()


def test_only_those_it_applies_to_acknowledge(cast, handbook):
    with pytest.raises(NotVisible):
        selectors.document_get(actor=cast.commune_c_officer, pk=handbook.pk)
    elsewhere = document(cast.admin, cast.root, audience="subtree", audience_unit=cast.province_b)
    with pytest.raises(DomainError):
        services.document_acknowledge(actor=cast.province_staff, document=elsewhere)


def test_marking_it_mat_refuses_the_file_naming_the_law_of_the_day(cast, handbook):
    stub = DOCUMENTS.save(
        actor=cast.province_staff,
        instance=handbook,
        data={"secrecy": "mat", "summary": "", "holder": "Văn thư Công an tỉnh", "classified_on": dt.date(2026, 4, 1)},
    )
    stub.refresh_from_db()
    assert not stub.file
    assert stub.file_text == ""
    assert stub.file_name == ""
    assert stub.protection_until == dt.date(2036, 4, 1)
    assert stub.protection_verified is False  # Law 117/2025's periods are not read in its text [U]
    with pytest.raises(DomainError) as refused:
        services.document_attach_file(
            actor=cast.province_staff, document=stub, name="so-tay.docx", content=docx_bytes(HANDBOOK)
        )
    assert "117/2025/QH15" in refused.value.message
    assert "Mật" in refused.value.message


def test_the_refusal_names_the_law_in_force_that_day():
    assert "29/2018/QH14" in services.secret_refusal("toi_mat", dt.date(2026, 2, 28))
    assert "117/2025/QH15" in services.secret_refusal("toi_mat", dt.date(2026, 3, 1))


def test_a_secret_document_keeps_no_body(cast):
    with pytest.raises(DomainError) as refused:
        document(
            cast.province_staff,
            cast.province_a,
            secrecy="tuyet_mat",
            summary="Nội dung mật",
            holder="Văn thư",
            classified_on=dt.date(2025, 5, 10),
        )
    assert "summary" in refused.value.fields
    stub = document(
        cast.province_staff,
        cast.province_a,
        secrecy="tuyet_mat",
        holder="Văn thư",
        classified_on=dt.date(2025, 5, 10),
    )
    assert stub.protection_until == dt.date(2055, 5, 10)
    assert stub.protection_verified
    assert stub.requires_acknowledgement is False


def test_the_database_refuses_a_secret_body_too(cast, handbook):
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.filter(pk=handbook.pk).update(secrecy="mat")


def test_a_replaced_document_says_so_from_that_day_both_ways(cast):
    old = document(cast.province_staff, cast.province_a, number="05/HD")
    new = document(cast.province_staff, cast.province_a, number="22/HD", effective_from=dt.date(2026, 6, 1))
    old = DOCUMENTS.save(actor=cast.province_staff, instance=old, data={"replaced_by": new})
    assert old.status_on(dt.date(2026, 5, 31)) == "in_force"
    assert old.status_on(dt.date(2026, 6, 1)) == "replaced"
    assert list(DOCUMENTS.search(cast.commune_officer, {"status": "replaced", "as_of": "2026-06-01"})) == [old]
    assert list(DOCUMENTS.search(cast.commune_officer, {"status": "replaced", "as_of": "2026-05-31"})) == []
    with pytest.raises(DomainError):
        DOCUMENTS.save(actor=cast.province_staff, instance=new, data={"replaced_by": old})


def test_a_unit_type_audience(cast):
    commune_type = cast.commune_a.unit_type
    doc = document(cast.admin, cast.root, audience="unit_type", audience_unit=None, audience_unit_type=commune_type)
    assert selectors.documents_for(cast.commune_officer).filter(pk=doc.pk).exists()
    other = cast.commune_b.unit_type
    assert other != commune_type
    from cax.library.models import Document as D

    assert not D.objects.applying_to(cast.commune_b).filter(pk=doc.pk).exists()


def test_communes_do_not_publish(cast):
    with pytest.raises(DomainError):
        document(cast.commune_chief, cast.commune_a)


def test_download_is_scoped_and_not_sniffed(cast, handbook, client):
    client.force_login(cast.commune_officer)
    response = client.get(reverse("library:document_download", args=[handbook.pk]))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    client.force_login(cast.commune_c_officer)
    assert client.get(reverse("library:document_download", args=[handbook.pk])).status_code == 404


def test_the_pages(cast, handbook, client):
    client.force_login(cast.commune_chief)
    assert client.get(reverse("library:document_detail", args=[handbook.pk])).status_code == 200
    page = client.get(reverse("library:document_unread", args=[handbook.pk]))
    assert page.status_code == 200
    assert "Officer_A" in page.content.decode()
    assert client.get(reverse("library:pending")).status_code == 200
    listing = client.get(reverse("library:document_list"), {"q": "tuan tra"})
    assert handbook.title in listing.content.decode()


@pytest.mark.parametrize("rows", [1, 12])
def test_the_list_takes_a_constant_number_of_queries(cast, client, django_assert_max_num_queries, rows):
    for n in range(rows):
        document(cast.province_staff, cast.province_a, number=f"{n}/HD")
    client.force_login(cast.commune_officer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("library:document_list")).status_code == 200


def test_only_the_publisher_uploads(cast):
    doc = document(cast.province_staff, cast.province_a)
    with pytest.raises(DomainError):
        services.document_attach_file(
            actor=cast.commune_chief, document=doc, name="so-tay.docx", content=docx_bytes(HANDBOOK)
        )


def test_the_api_lists_searches_and_acknowledges(cast, handbook, client):
    client.force_login(cast.commune_officer)
    listed = client.get("/api/v1/library/documents", {"q": "tuan tra"})
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["items"]] == [handbook.pk]
    done = client.post(f"/api/v1/library/documents/{handbook.pk}/acknowledgement")
    assert done.status_code == 201, done.content
    assert done.json()["unit_code"] == cast.commune_a.code
    client.force_login(cast.commune_chief)
    readers = client.get(f"/api/v1/library/documents/{handbook.pk}/readers").json()
    assert (readers["total"], readers["acknowledged"]) == (2, 1)
    client.force_login(cast.commune_c_officer)
    assert client.get(f"/api/v1/library/documents/{handbook.pk}").status_code == 404
