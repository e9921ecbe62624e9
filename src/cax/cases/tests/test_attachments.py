import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cax.cases.models import Attachment
from cax.cases.tests.test_register import register

PDF = b"%PDF-1.4\n" + b"0" * 100


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, case, name, content, kind="receipt_record"):
    return client.post(
        reverse("cases:attachment_upload", args=[case.pk]), {"kind": kind, "file": SimpleUploadedFile(name, content)}
    )


def test_a_receipt_record_is_stored_under_a_random_name_and_downloaded_within_scope(cast, login):
    case = register(cast.commune_officer, cast.commune_a)
    client = login(cast.commune_officer)
    upload(client, case, "biên bản.pdf", PDF)
    attachment = Attachment.objects.get()
    assert attachment.original_name == "biên bản.pdf"
    assert "biên" not in attachment.file.name
    assert len(attachment.sha256) == 64
    response = client.get(reverse("cases:attachment_download", args=[attachment.pk]))
    assert b"".join(response.streaming_content) == PDF
    assert (
        login(cast.commune_c_officer).get(reverse("cases:attachment_download", args=[attachment.pk])).status_code == 404
    )


@pytest.mark.parametrize(("name", "content"), [("virus.exe", b"MZ..."), ("fake.pdf", b"MZ not a pdf")])
def test_a_disallowed_or_disguised_file_is_refused_with_a_message(cast, login, name, content):
    case = register(cast.commune_officer, cast.commune_a)
    response = upload(login(cast.commune_officer), case, name, content)
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]


def test_an_oversized_file_is_refused(cast, login, settings):
    settings.CAX_ATTACHMENT_MAX_BYTES = 50
    case = register(cast.commune_officer, cast.commune_a)
    response = upload(login(cast.commune_officer), case, "big.pdf", PDF)
    assert not Attachment.objects.exists()
    assert "quá lớn" in str(next(iter(get_messages(response.wsgi_request))))
