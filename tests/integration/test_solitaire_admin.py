"""The operators' admin of solitaires (items inline, filters) and participations."""

from datetime import timedelta

import pytest
from django.utils import timezone

from contexts.shared.models import OutboxEvent
from contexts.solitaire.models import Participation, Solitaire, SolitaireItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def solitaire():
    now = timezone.now()
    row = Solitaire.objects.create(
        id="sol-1",
        store_id="store-1",
        title="周五水果接龙",
        status="published",
        start_at=now - timedelta(hours=1),
        end_at=now + timedelta(hours=1),
        pickup_point_ids=["p1"],
        created_at=now,
    )
    SolitaireItem.objects.create(
        id="item-1",
        solitaire=row,
        goods_id="g1",
        name="苹果",
        base_price_fen=1000,
        price_fen=900,
        stock=10,
        sold=2,
    )
    Participation.objects.create(
        id="part-1",
        solitaire=row,
        order_id="order-1",
        customer_id="customer-1",
        sequence_no=1,
        items=[{"name": "苹果", "quantity": 2}],
        joined_at=now,
    )
    return row


def test_the_solitaire_changelist_filters_by_status_and_store(admin_client, solitaire):
    # when
    listed = admin_client.get("/admin/solitaire/solitaire/", {"status": "published", "store_id": "store-1"})
    filtered_out = admin_client.get("/admin/solitaire/solitaire/", {"status": "draft"})
    searched = admin_client.get("/admin/solitaire/solitaire/", {"q": "水果"})
    # then
    assert listed.status_code == 200 and "周五水果接龙" in listed.content.decode()
    assert "周五水果接龙" not in filtered_out.content.decode()
    assert "周五水果接龙" in searched.content.decode()


def test_the_solitaire_page_shows_its_items_inline_with_sold_read_only(admin_client, solitaire):
    page = admin_client.get(f"/admin/solitaire/solitaire/{solitaire.pk}/change/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "苹果" in content
    assert 'name="items-0-sold"' not in content  # sold moves only through joins and order events


def test_participations_and_stock_releases_are_listed(admin_client, solitaire):
    participations = admin_client.get("/admin/solitaire/participation/", {"q": "order-1"})
    assert participations.status_code == 200 and "order-1" in participations.content.decode()
    assert admin_client.get("/admin/solitaire/participation/part-1/change/").status_code == 200
    assert admin_client.get("/admin/solitaire/stockrelease/").status_code == 200
    assert admin_client.get("/admin/solitaire/solitaire/add/").status_code == 403


def test_the_close_action_goes_through_the_service(admin_client, solitaire):
    # when
    response = admin_client.post(
        "/admin/solitaire/solitaire/", {"action": "close_selected", "_selected_action": [solitaire.pk]}
    )
    # then
    assert response.status_code == 302
    solitaire.refresh_from_db()
    assert solitaire.status == "closed"
    assert OutboxEvent.objects.filter(event_type="SolitaireClosed", aggregate_id=solitaire.pk).count() == 1
