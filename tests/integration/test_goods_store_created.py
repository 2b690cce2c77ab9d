"""StoreCreated -> the season's default categories and the hot words, exactly once."""

import uuid
from datetime import UTC, datetime

import pytest

from contexts.goods import tasks
from contexts.goods.models import Category, HotWord
from contexts.shared import eventbus
from contexts.shared.domain.events import DomainEvent
from contexts.shared.models import EventDelivery, OutboxEvent

pytestmark = pytest.mark.django_db

HANDLER = "contexts.goods.tasks.on_store_created"


def store_created(created_at: str, store_id: str | None = None) -> DomainEvent:
    store_id = store_id or str(uuid.uuid4())
    return DomainEvent(
        event_type="StoreCreated",
        aggregate_type="Store",
        aggregate_id=store_id,
        payload={
            "store_id": store_id,
            "owner_id": str(uuid.uuid4()),
            "name": "幸福小店",
            "phone": "13800000000",
            "door_image_url": "",
            "created_at": created_at,
        },
    )


def categories_of(store_id: str) -> list[tuple[int, str]]:
    return list(Category.objects.filter(store_id=store_id).order_by("sort").values_list("sort", "name"))


def words_of(store_id: str) -> list[tuple[int, str]]:
    return list(HotWord.objects.filter(store_id=store_id).order_by("sort").values_list("sort", "word"))


def test_goods_subscribes_to_store_created():
    # given the receivers connected by the apps' ready()
    uids = [receiver[0][0] for receiver in eventbus.event_committed.receivers]
    # then
    assert any(uid == f"StoreCreated->{HANDLER}" for uid in uids)


def test_a_store_created_in_july_gets_the_summer_categories_and_the_hot_words():
    # given
    event = store_created("2025-07-15T10:00:00+08:00")
    # when
    tasks.on_store_created(event)
    # then
    store_id = event.payload["store_id"]
    assert categories_of(store_id) == [
        (1, "西瓜鲜果"),
        (2, "冷饮冰品"),
        (3, "凉拌蔬菜"),
        (4, "粮油调味"),
        (5, "日用百货"),
    ]
    assert words_of(store_id) == [(1, "鸡蛋"), (2, "水果"), (3, "牛奶"), (4, "大米"), (5, "纸巾")]


def test_a_store_created_in_january_gets_the_winter_categories():
    # given
    event = store_created("2026-01-10T08:30:00+08:00")
    # when
    tasks.on_store_created(event)
    # then
    assert categories_of(event.payload["store_id"]) == [
        (1, "火锅食材"),
        (2, "年货礼盒"),
        (3, "柑橘水果"),
        (4, "时令蔬菜"),
        (5, "日用百货"),
    ]


def test_the_season_is_the_shanghai_date_not_the_utc_date():
    # given 28 Feb 17:00 UTC = 1 March 01:00 in Shanghai: spring
    event = store_created("2025-02-28T17:00:00+00:00")
    # when
    tasks.on_store_created(event)
    # then
    assert [name for _sort, name in categories_of(event.payload["store_id"])] == [
        "时令蔬菜",
        "春笋野菜",
        "草莓水果",
        "粮油调味",
        "日用百货",
    ]


def test_handling_the_same_event_twice_creates_the_defaults_once():
    # given
    event = store_created("2025-07-15T10:00:00+08:00")
    # when
    tasks.on_store_created(event)
    tasks.on_store_created(event)
    # then
    store_id = event.payload["store_id"]
    assert Category.objects.filter(store_id=store_id).count() == 5
    assert HotWord.objects.filter(store_id=store_id).count() == 5


def test_delivering_the_same_event_twice_through_the_bus_has_one_effect():
    # given an outbox event and its delivery to goods' handler
    event = store_created("2025-10-01T12:00:00+08:00")
    OutboxEvent.objects.create(
        event_id=event.event_id,
        event_type=event.event_type,
        aggregate_type=event.aggregate_type,
        aggregate_id=event.aggregate_id,
        payload=event.payload,
        occurred_at=datetime.now(UTC),
    )
    EventDelivery.objects.create(event_id=event.event_id, handler=HANDLER)
    # when
    first = eventbus.deliver(event_id=event.event_id, handler=HANDLER)
    second = eventbus.deliver(event_id=event.event_id, handler=HANDLER)
    # then
    assert (first, second) == ("done", "done")
    assert [name for _sort, name in categories_of(event.payload["store_id"])] == [
        "应季水果",
        "螃蟹水产",
        "新米杂粮",
        "时令蔬菜",
        "日用百货",
    ]
    assert len(words_of(event.payload["store_id"])) == 5


def test_a_category_the_owner_already_made_is_not_duplicated():
    # given the owner was quicker than the event and made one of the defaults
    event = store_created("2025-07-15T10:00:00+08:00")
    store_id = event.payload["store_id"]
    Category.objects.create(id=str(uuid.uuid4()), store_id=store_id, name="冷饮冰品", sort=1)
    # when
    tasks.on_store_created(event)
    # then
    assert sorted(name for _sort, name in categories_of(store_id)) == sorted(
        ["西瓜鲜果", "冷饮冰品", "凉拌蔬菜", "粮油调味", "日用百货"]
    )
    assert Category.objects.filter(store_id=store_id).count() == 5
