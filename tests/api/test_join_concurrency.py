"""Real threads joining at once: stock is never oversold and a per-customer limit holds, with
each join in its own connection and transaction (as web workers do)."""

import pytest

from contexts.identity import bootstrap as identity
from contexts.ordering.contracts import Contact, Pickup
from contexts.ordering.models import Order
from contexts.solitaire import bootstrap as solitaire_bootstrap
from contexts.solitaire.models import SolitaireItem
from tests.api.test_solitaires_support import build_world, published_solitaire
from tests.support.threads import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)


def joiner(customer_id: str, solitaire: dict, quantity: int = 1):
    def call():
        return solitaire_bootstrap.join_solitaire(
            customer_id=customer_id,
            solitaire_id=solitaire["id"],
            lines=[(solitaire["items"][0]["id"], quantity)],
            pickup=Pickup(method="pickup", pickup_point_id=solitaire["pickup_points"][0]["id"]),
            contact=Contact(name="买家", phone="13700000000"),
        )

    return call


@pytest.fixture
def world(user_client, phone_client, api_client):
    return build_world(user_client, phone_client, api_client)


def test_thirty_buyers_for_ten_units_make_exactly_ten_orders(world):
    # given an item with stock 10 and 30 distinct buyers
    solitaire = published_solitaire(world, items=[{"goods_id": world.goods[0]["id"], "stock": 10}])
    buyers = [identity.login_with_wechat(code=f"sandbox-buyer-{i}").user.id for i in range(30)]
    # when they all join at once
    outcomes = run_at_once([joiner(buyer, solitaire) for buyer in buyers], on_success=lambda order: order.id)
    # then
    assert sorted(o for o in outcomes if o == "out_of_stock") == ["out_of_stock"] * 20
    orders = [o for o in outcomes if o != "out_of_stock"]
    assert len(orders) == 10 and Order.objects.filter(pk__in=orders).count() == 10
    item = SolitaireItem.objects.get()
    assert (item.stock, item.sold, item.stock - item.sold) == (10, 10, 0)
    assert Order.objects.filter(solitaire_id=solitaire["id"]).count() == 10


def test_one_customer_with_limit_one_joining_from_five_threads_gets_one_order(world):
    # given
    solitaire = published_solitaire(
        world, items=[{"goods_id": world.goods[0]["id"], "stock": 10, "per_customer_limit": 1}]
    )
    customer_id = world.users["customer"]["id"]
    # when
    outcomes = run_at_once(
        [joiner(customer_id, solitaire) for _ in range(5)], on_success=lambda order: order.id
    )
    # then
    assert sorted(outcomes, key=lambda o: o == "limit_exceeded")[1:] == ["limit_exceeded"] * 4
    assert Order.objects.filter(customer_id=customer_id).count() == 1
    assert SolitaireItem.objects.get().sold == 1
