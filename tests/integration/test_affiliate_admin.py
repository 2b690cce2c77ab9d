"""The operators' admin of franchise policies: list, filters, and corrections that go through
the same use case (and bounds) as the owner's; members and resales, to look at only."""

import uuid

import pytest
from django.utils import timezone

from contexts.affiliate import bootstrap
from contexts.affiliate.models import FranchisePolicy, Membership, Resale
from tests.support.franchise import store_row

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


MEMBERS = "/admin/affiliate/membership/"
RESALES = "/admin/affiliate/resale/"


@pytest.fixture
def members_and_resales(policies):
    """The enabled brand with two members, one of them reselling two solitaires."""
    _disabled, brand = policies
    shop, other = str(uuid.uuid4()), str(uuid.uuid4())
    for store_id in (shop, other):
        store_row(store_id, f"Shop {store_id[:4]}")
        bootstrap.add_member(brand_store_id=brand, member_store_id=store_id)
    resales = [
        bootstrap.create_resale(solitaire_id=str(uuid.uuid4()), brand_store_id=brand, store_id=shop)[0].id
        for _ in range(2)
    ]
    return brand, shop, other, resales


def test_operators_list_and_search_the_members(admin_client, members_and_resales):
    # given
    brand, shop, other, _resales = members_and_resales
    # when
    everything = admin_client.get(MEMBERS)
    by_member = admin_client.get(MEMBERS, {"q": other})
    by_brand = admin_client.get(MEMBERS, {"q": brand})
    # then
    assert everything.status_code == 200
    assert {m.member_store_id for m in everything.context["cl"].result_list} == {shop, other}
    assert [m.member_store_id for m in by_member.context["cl"].result_list] == [other]
    assert {m.member_store_id for m in by_brand.context["cl"].result_list} == {shop, other}


def test_operators_list_search_and_filter_the_resales(admin_client, members_and_resales):
    # given
    _brand, shop, other, resales = members_and_resales
    # when
    by_store = admin_client.get(RESALES, {"q": shop})
    by_other = admin_client.get(RESALES, {"q": other})
    this_year = admin_client.get(RESALES, {"created_at__year": str(timezone.localtime().year)})
    # then
    assert by_store.status_code == 200
    assert {r.id for r in by_store.context["cl"].result_list} == set(resales)
    assert list(by_other.context["cl"].result_list) == []
    assert {r.id for r in this_year.context["cl"].result_list} == set(resales)


def test_members_and_resales_are_read_only_in_the_admin(admin_client, members_and_resales):
    # given
    _brand, _shop, _other, resales = members_and_resales
    membership = Membership.objects.order_by("id").first()
    before = (list(Membership.objects.values()), list(Resale.objects.values()))
    # when
    adding = [admin_client.get(f"{url}add/").status_code for url in (MEMBERS, RESALES)]
    deleting = [
        admin_client.post(f"{MEMBERS}{membership.pk}/delete/", {"post": "yes"}).status_code,
        admin_client.post(f"{RESALES}{resales[0]}/delete/", {"post": "yes"}).status_code,
    ]
    changing = admin_client.post(f"{RESALES}{resales[0]}/change/", {"store_id": "someone-else"})
    viewing = admin_client.get(f"{RESALES}{resales[0]}/change/")
    # then
    assert adding == [403, 403]
    assert deleting == [403, 403]
    assert changing.status_code == 403
    assert viewing.status_code == 200
    assert (list(Membership.objects.values()), list(Resale.objects.values())) == before
