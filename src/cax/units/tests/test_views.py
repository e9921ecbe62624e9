import pytest
from django.urls import reverse


def test_unit_search_ignores_case_and_diacritics(cast, login):
    client = login(cast.province_leader)
    response = client.get(reverse("units:list"), {"q": "dak ha"})
    assert response.status_code == 200
    assert "Xã Đăk Hà" in response.content.decode()


def test_unit_page_shows_breadcrumbs_and_children_counts(cast, login):
    client = login(cast.admin)
    response = client.get(reverse("units:detail", args=[cast.province_a.pk]), {"q": "Đăk Hà"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Bộ Công an" in body  # breadcrumb
    assert "Xã Đăk Hà" in body  # a child


def test_commune_officer_gets_404_for_another_commune(cast, login):
    client = login(cast.commune_officer)
    assert client.get(reverse("units:detail", args=[cast.commune_b.pk])).status_code == 404
    assert client.get(reverse("units:detail", args=[cast.commune_a.pk])).status_code == 200


@pytest.mark.parametrize(("params", "rows"), [({"q": "23500"}, 1), ({"page_size": 500}, 500)])
def test_unit_list_query_count_is_the_same_for_1_and_500_rows(cast, login, django_assert_num_queries, params, rows):
    client = login(cast.admin)
    # session, user, unit types (filter form), count, page, the tree's counts (one query, or the
    # revision's when the figures cache is on)
    with django_assert_num_queries(7):  # 6 + the notices' bell
        response = client.get(reverse("units:list"), params)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == rows
