"""notification's use cases with in-memory fakes: no database."""

from dataclasses import replace

import pytest

from contexts.notification import services
from contexts.notification.contracts import RetryOutcome
from contexts.notification.domain.model import MAX_ATTEMPTS, Notification, SendFailed, yuan
from contexts.notification.domain.ports import MessageSender, NotificationRepository
from contexts.shared.domain.errors import InvalidInput
from tests.support.fakes import T0, FakeStoreDirectory, FakeUnitOfWork, FakeUserDirectory, FixedClock

NOW = T0
CINDY = {"u-cindy": {"nickname": "Cindy", "openid": "openid-cindy"}}
PAID = {
    "order_id": "o-1",
    "order_no": "20250309000001",
    "store_id": "s-1",
    "solitaire_id": "sol-1",
    "resale_id": None,
    "customer_id": "u-cindy",
    "sequence_no": 7,
    "total_fen": 2560,
    "lines": [
        {"goods_id": "g-1", "solitaire_item_id": "i-1", "name": "土鸡蛋", "price_fen": 1280, "quantity": 2}
    ],
    "contact_phone": "13800000000",
    "occurred_at": NOW.isoformat(),
}


class FakeNotifications(NotificationRepository):
    def __init__(self) -> None:
        self.rows: dict[str, Notification] = {}

    def exists(self, source_event_id, template, recipient_user_id):
        key = (source_event_id, template, recipient_user_id)
        return any((n.source_event_id, n.template, n.recipient_user_id) == key for n in self.rows.values())

    def add_unless_exists(self, notification):
        if self.exists(notification.source_event_id, notification.template, notification.recipient_user_id):
            return False
        self.rows[notification.id] = replace(notification)
        return True

    def get_for_update(self, notification_id):
        found = self.rows.get(notification_id)
        return replace(found) if found else None

    def save(self, notification):
        self.rows[notification.id] = replace(notification)

    def retryable_ids(self, *, max_attempts, limit):
        due = [n for n in self.rows.values() if n.status == "failed" and n.attempts < max_attempts]
        return [n.id for n in sorted(due, key=lambda n: n.created_at)][:limit]


class FakeSender(MessageSender):
    def __init__(self) -> None:
        self.sent: list[dict] = []
        self.failing = False

    def send(self, *, openid, template, page, payload):
        if self.failing:
            raise SendFailed("errcode 43101: user refused")
        self.sent.append({"to": openid, "template": template, "page": page, "payload": dict(payload)})


@pytest.fixture
def world():
    stores = FakeStoreDirectory()
    stores.add("s-1", name="幸福小店")
    return {
        "uow": FakeUnitOfWork(notifications=FakeNotifications()),
        "sender": FakeSender(),
        "users": FakeUserDirectory(CINDY),
        "stores": stores,
        "clock": FixedClock(NOW),
    }


def rows(world) -> dict:
    return world["uow"].notifications.rows


def notify(world, use_case=services.notify_order_paid, event_id="e-1", payload=PAID):
    return use_case(**world, event_id=event_id, payload=payload)


def retry_failed(world):
    return services.retry_failed_notifications(
        uow=world["uow"], sender=world["sender"], users=world["users"], clock=world["clock"]
    )


def test_an_order_paid_event_sends_the_customer_its_sequence_number(world):
    # when
    notification_id = notify(world)
    # then
    row = rows(world)[notification_id]
    assert (row.template, row.recipient_user_id, row.status, row.attempts, row.error) == (
        "order_paid",
        "u-cindy",
        "sent",
        1,
        "",
    )
    assert (row.source_event_id, row.reference, row.channel, row.sent_at) == (
        "e-1",
        "20250309000001",
        "wechat_subscribe",
        NOW,
    )
    assert row.payload == {
        "order_id": "o-1",
        "order_no": "20250309000001",
        "store_name": "幸福小店",
        "total_fen": 2560,
        "sequence_no": 7,
    }
    assert world["sender"].sent == [
        {
            "to": "openid-cindy",
            "template": "order_paid",
            "page": "pages/order/detail?id=o-1",
            "payload": row.payload,
        }
    ]


def test_the_same_event_twice_makes_one_notification_and_one_message(world):
    # when
    first = notify(world)
    second = notify(world)
    # then
    assert first is not None and second is None
    assert list(rows(world)) == [first]
    assert len(world["sender"].sent) == 1


def test_each_order_event_has_its_template_and_facts(world):
    # when
    completed = notify(world, services.notify_order_completed, "e-2", {**PAID, "completed_by": "staff"})
    refunded = notify(
        world,
        services.notify_order_refunded,
        "e-3",
        {**PAID, "refund_id": "r-1", "reason": "缺货", "refunded_by": "u-owner"},
    )
    reminder = notify(
        world,
        services.notify_order_reminder,
        "e-4",
        {
            "order_id": "o-1",
            "order_no": "20250309000001",
            "store_id": "s-1",
            "customer_id": "u-cindy",
            "requested_by": "u-owner",
            "occurred_at": NOW.isoformat(),
        },
    )
    # then
    made = rows(world)
    assert (made[completed].template, made[completed].payload["completed_by"]) == ("order_completed", "staff")
    assert (made[refunded].template, made[refunded].payload["reason"]) == ("order_refunded", "缺货")
    assert made[reminder].template == "order_reminder"
    assert made[reminder].payload == {
        "order_id": "o-1",
        "order_no": "20250309000001",
        "store_name": "幸福小店",
    }
    assert [m["template"] for m in world["sender"].sent] == [
        "order_completed",
        "order_refunded",
        "order_reminder",
    ]


def test_a_failed_send_is_recorded_and_never_raised(world):
    # given
    world["sender"].failing = True
    # when
    notification_id = notify(world)
    # then
    row = rows(world)[notification_id]
    assert (row.status, row.attempts, row.error, row.sent_at) == (
        "failed",
        1,
        "errcode 43101: user refused",
        None,
    )
    assert world["uow"].commits == 1


def test_a_recipient_without_an_openid_is_a_failed_notification_and_nothing_is_sent(world):
    # given a customer who never logged in with WeChat
    world["users"] = FakeUserDirectory({"u-cindy": {"nickname": "Cindy"}})
    # when
    notification_id = notify(world)
    # then
    row = rows(world)[notification_id]
    assert (row.status, row.attempts, row.error) == ("failed", 1, "The recipient has no WeChat openid.")
    assert world["sender"].sent == []


def test_the_retry_job_sends_a_failed_notification_once_the_channel_works(world):
    # given
    world["sender"].failing = True
    notification_id = notify(world)
    world["sender"].failing = False
    # when
    outcome = retry_failed(world)
    # then
    assert outcome == RetryOutcome(tried=1, sent=1)
    row = rows(world)[notification_id]
    assert (row.status, row.attempts, row.error, row.sent_at) == ("sent", 2, "", NOW)
    assert retry_failed(world) == RetryOutcome(tried=0, sent=0)


def test_the_retry_job_gives_up_after_three_attempts(world):
    # given a channel that keeps failing
    world["sender"].failing = True
    notification_id = notify(world)
    # when
    outcomes = [retry_failed(world) for _ in range(4)]
    # then
    assert outcomes == [RetryOutcome(1, 0), RetryOutcome(1, 0), RetryOutcome(0, 0), RetryOutcome(0, 0)]
    row = rows(world)[notification_id]
    assert (row.status, row.attempts) == ("failed", MAX_ATTEMPTS)


def test_an_operator_retry_gives_a_fresh_round_and_skips_sent_ones(world):
    # given one notification that failed three times and one that was sent
    world["sender"].failing = True
    failed_id = notify(world)
    retry_failed(world), retry_failed(world)
    world["sender"].failing = False
    sent_id = notify(world, event_id="e-9")
    # when
    outcome = services.retry_notifications(
        uow=world["uow"],
        sender=world["sender"],
        users=world["users"],
        clock=world["clock"],
        notification_ids=[failed_id, sent_id, "missing"],
    )
    # then
    assert outcome == RetryOutcome(tried=1, sent=1)
    row = rows(world)[failed_id]
    assert (row.status, row.attempts, row.error) == ("sent", 1, "")
    assert len(world["sender"].sent) == 2


def test_a_notification_needs_a_known_template_and_a_recipient():
    with pytest.raises(InvalidInput):
        Notification.new(
            recipient_user_id="u", template="spam", payload={}, source_event_id="e", reference="", now=NOW
        )
    with pytest.raises(InvalidInput):
        Notification.new(
            recipient_user_id="",
            template="order_paid",
            payload={},
            source_event_id="e",
            reference="",
            now=NOW,
        )


def test_amounts_are_shown_in_yuan_with_two_decimals():
    assert [yuan(2560), yuan(5), yuan(0), yuan(-1234)] == ["25.60元", "0.05元", "0.00元", "-12.34元"]
