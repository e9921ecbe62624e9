"""The notices page, the bell and the settings page (issue 19.4)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cax.notices.models import Notice, Preference
from cax.notices.tests.helpers import notify

pytestmark = pytest.mark.django_db


def test_the_bell_counts_unread_and_is_a_plain_link(cast, login):
    notify(cast.commune_officer, 3)
    html = login(cast.commune_officer).get(reverse("home")).content.decode()
    assert f'href="{reverse("notices:list")}"' in html
    assert '<span class="count">3</span>' in html
    assert "chưa đọc" in html  # said to a screen reader, not only drawn


def test_the_list_shows_unread_first_and_filters(cast, login):
    notify(cast.commune_officer, 2)
    notify(cast.commune_officer, 1, kind="petitions.answered", text="Kiến nghị #{n} đã được trả lời")
    first = Notice.objects.filter(user=cast.commune_officer, kind="reports.returned").order_by("pk").first()
    first.read_at = first.created_at
    first.save()
    client = login(cast.commune_officer)
    page = client.get(reverse("notices:list")).context["page"]
    assert [n.read_at is None for n in page] == [True, True, False]
    assert client.get(reverse("notices:list"), {"read": "read"}).context["page"].paginator.count == 1
    assert client.get(reverse("notices:list"), {"kind": "petitions.answered"}).context["page"].paginator.count == 1
    assert client.get(reverse("notices:list"), {"q": "kien nghi"}).context["page"].paginator.count == 1


def test_someone_elses_notices_are_neither_listed_nor_marked(cast, login):
    notify(cast.commune_chief, 1)
    theirs = Notice.objects.get()
    client = login(cast.commune_officer)
    assert client.get(reverse("notices:list")).context["page"].paginator.count == 0
    assert client.post(reverse("notices:read", args=[theirs.pk])).status_code == 404
    client.post(reverse("notices:read_all"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_one_opens_its_page_and_mark_all(cast, login):
    notify(cast.commune_officer, 3)
    client = login(cast.commune_officer)
    one = Notice.objects.filter(user=cast.commune_officer).first()
    response = client.post(reverse("notices:read", args=[one.pk]), {"go": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/reports/"
    assert Notice.objects.filter(user=cast.commune_officer, read_at__isnull=True).count() == 2
    client.post(reverse("notices:read_all"))
    assert not Notice.objects.filter(user=cast.commune_officer, read_at__isnull=True).exists()


def test_read_goes_back_only_to_this_site(cast, login):
    notify(cast.commune_officer, 1)
    one = Notice.objects.get()
    response = login(cast.commune_officer).post(
        reverse("notices:read", args=[one.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("notices:list")


@pytest.mark.parametrize("rows", [1, 30])
def test_the_list_reads_in_constant_queries(cast, login, rows, django_assert_max_num_queries):
    notify(cast.commune_officer, rows)
    client = login(cast.commune_officer)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("notices:list")).status_code == 200


def test_the_settings_page_saves_each_kinds_choice(cast, login):
    client = login(cast.commune_chief)
    page = client.get(reverse("notices:preferences"))
    assert "Báo cáo bị trả lại" in page.content.decode()
    response = client.post(reverse("notices:preferences"), {"reports.returned-digest": "on"})
    assert response.status_code == 302
    choice = Preference.objects.get(user=cast.commune_chief, kind="reports.returned")
    assert (choice.in_app, choice.digest) == (False, True)
    assert Preference.objects.get(user=cast.commune_chief, kind="petitions.answered").in_app is False
    notify(cast.commune_chief, 1)
    assert not Notice.objects.filter(user=cast.commune_chief).exists()


def test_the_excel_export_lists_the_users_notices(cast, login):
    notify(cast.commune_officer, 2)
    response = login(cast.commune_officer).get(reverse("notices:list"), {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
