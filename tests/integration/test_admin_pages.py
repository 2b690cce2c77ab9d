"""Every model the operators can reach in the admin renders its list, search and detail pages."""

import io

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _registered():
    return sorted((model._meta.app_label, model._meta.model_name) for model in admin.site._registry)


@pytest.mark.parametrize(("app_label", "model_name"), _registered())
def test_the_admin_list_and_search_pages_render(admin_client, app_label, model_name):
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "测试"}).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_demo_data_opens_in_every_admin_detail_page(admin_client):
    # given the demo: a store, staff, goods, a solitaire with paid orders, events and notifications
    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    # when an operator opens the first row of every list
    opened = 0
    for model, _model_admin in admin.site._registry.items():
        row = model._default_manager.order_by("pk").first()
        if row is None:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[row.pk])
        response = admin_client.get(url)
        # then
        assert response.status_code == 200, url
        opened += 1
    assert opened >= 20
