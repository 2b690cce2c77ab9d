"""The operators' admin of franchise policies: list, filters, and corrections that go through
the same use case (and bounds) as the owner's."""

import uuid

import pytest

from contexts.affiliate import bootstrap
from contexts.affiliate.models import FranchisePolicy

pytestmark = pytest.mark.django_db

LIST = "/admin/affiliate/franchisepolicy/"


@pytest.fixture
def policies():
    disabled, enabled = str(uuid.uuid4()), str(uuid.uuid4())
    bootstrap.open_franchise(store_id=disabled)
    bootstrap.open_franchise(store_id=enabled)
    bootstrap.update_policy(store_id=enabled, enabled=True, commission_bps=700, billing_cycle="daily")
    return disabled, enabled


def change_url(store_id: str) -> str:
    return f"{LIST}{FranchisePolicy.objects.get(store_id=store_id).pk}/change/"


def stored(store_id: str) -> tuple:
    row = FranchisePolicy.objects.get(store_id=store_id)
    return row.enabled, row.commission_bps, row.billing_cycle


def test_the_list_filters_by_enabled_and_billing_cycle(admin_client, policies):
    disabled, enabled = policies
    everything = admin_client.get(LIST)
    on = admin_client.get(LIST, {"enabled__exact": "1"})
    daily = admin_client.get(LIST, {"billing_cycle__exact": "daily"})
    by_store = admin_client.get(LIST, {"q": disabled})
    assert everything.status_code == 200
    assert {p.store_id for p in everything.context["cl"].result_list} == {disabled, enabled}
    assert [p.store_id for p in on.context["cl"].result_list] == [enabled]
    assert [p.store_id for p in daily.context["cl"].result_list] == [enabled]
    assert [p.store_id for p in by_store.context["cl"].result_list] == [disabled]


def test_an_operator_corrects_a_policy(admin_client, policies):
    # given
    disabled, _enabled = policies
    # when
    response = admin_client.post(
        change_url(disabled), {"enabled": "on", "commission_bps": "2500", "billing_cycle": "weekly"}
    )
    # then
    assert response.status_code == 302
    assert stored(disabled) == (True, 2500, "weekly")


@pytest.mark.parametrize(
    "form",
    [{"commission_bps": "5001", "billing_cycle": "weekly"}, {"commission_bps": "10", "billing_cycle": "x"}],
)
def test_an_operators_bad_correction_is_refused_and_changes_nothing(admin_client, policies, form):
    # given
    _disabled, enabled = policies
    # when
    response = admin_client.post(change_url(enabled), form)
    # then
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert stored(enabled) == (True, 700, "daily")
