"""The operators' admin for stores, pickup points and staff: lists, search, filter, and the
freeze/unfreeze actions that go through the services."""

import pytest
from django.test import TestCase
from django.urls import reverse

from contexts.shared.adapters.clock import DjangoClock
from contexts.shared.models import OutboxEvent
from contexts.store import services
from contexts.store.adapters.orm import DjangoStoreUow
from contexts.store.models import Store
from tests.support.store import FakeSms

pytestmark = pytest.mark.django_db

ADDRESS = {"province": "江苏省", "city": "南京市", "district": "鼓楼区", "detail": "中山路 1 号"}


def open_store(name: str, phone: str, owner: str = "owner-1"):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.create_store(
            uow=DjangoStoreUow(),
            sms=FakeSms(good_code=None),
            clock=DjangoClock(),
            owner_id=owner,
            name=name,
            phone=phone,
            sms_code="1",
            address=ADDRESS,
        )


def test_the_store_list_searches_by_name_and_phone_and_filters_by_status(admin_client):
    # given
    open_store("Apple Corner", "13800000001")
    open_store("Banana Hut", "13900000002")
    url = reverse("admin:store_store_changelist")
    # when
    by_name = admin_client.get(url, {"q": "Apple"})
    by_phone = admin_client.get(url, {"q": "13900000002"})
    frozen = admin_client.get(url, {"status__exact": "frozen"})
    # then
    assert by_name.status_code == by_phone.status_code == frozen.status_code == 200
    assert [s.name for s in by_name.context["cl"].result_list] == ["Apple Corner"]
    assert [s.name for s in by_phone.context["cl"].result_list] == ["Banana Hut"]
    assert list(frozen.context["cl"].result_list) == []


def test_the_freeze_action_freezes_through_the_service_and_refuses_a_frozen_store(admin_client):
    # given
    apple = open_store("Apple Corner", "13800000001")
    banana = open_store("Banana Hut", "13900000002")
    url = reverse("admin:store_store_changelist")
    admin_client.post(url, {"action": "freeze", "_selected_action": [apple.id]})
    # when
    response = admin_client.post(
        url, {"action": "freeze", "_selected_action": [apple.id, banana.id]}, follow=True
    )
    # then
    assert dict(Store.objects.values_list("name", "status")) == {
        "Apple Corner": "frozen",
        "Banana Hut": "frozen",
    }
    texts = [str(m) for m in response.context["messages"]]
    assert "已冻结 1 家店铺。" in texts
    assert "Apple Corner: 店铺已经是冻结状态。" in texts
    assert OutboxEvent.objects.filter(event_type="StoreFrozen").count() == 2


def test_the_unfreeze_action_reactivates(admin_client):
    # given
    apple = open_store("Apple Corner", "13800000001")
    url = reverse("admin:store_store_changelist")
    admin_client.post(url, {"action": "freeze", "_selected_action": [apple.id]})
    # when
    admin_client.post(url, {"action": "unfreeze", "_selected_action": [apple.id]})
    # then
    assert Store.objects.get().status == "active"


def test_the_store_page_pickup_points_and_staff_members_show(admin_client):
    # given
    apple = open_store("Apple Corner", "13800000001", owner="owner-7")  # its creator owns it at once
    # when
    store_page = admin_client.get(reverse("admin:store_store_change", args=[apple.id]))
    points = admin_client.get(reverse("admin:store_pickuppoint_changelist"), {"q": "Apple"})
    members = admin_client.get(reverse("admin:staff_storemember_changelist"), {"role__exact": "owner"})
    # then
    assert store_page.status_code == 200
    assert [p.name for p in points.context["cl"].result_list] == ["Apple Corner"]
    assert [(m.store_id, m.user_id) for m in members.context["cl"].result_list] == [(apple.id, "owner-7")]
