"""Safe actions: money, orders, events and stores are never deleted, by anyone; the operators'
group reads everything and acts only where an operator acts, each act going through a use case
and leaving a line in the admin history with who did it."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.utils import timezone

from bff.backoffice.operators import ACTS, GROUP
from contexts.identity import bootstrap as identity
from contexts.identity.models import ApiToken, User
from contexts.merchant_account.models import LedgerEntry, Merchant, MerchantAccount, OrderRevenue, Settlement
from contexts.notification.models import Notification
from contexts.ordering.models import Order, Payment, PaymentNotification, Refund
from contexts.shared.models import EventDelivery, OutboxEvent
from contexts.store.models import Store
from tests.support.backoffice import delivery_row, notification_row, operator_user, store_row
from tests.support.money import money_rows

pytestmark = pytest.mark.django_db

NEVER_DELETED = [
    Order,
    Payment,
    Refund,
    PaymentNotification,
    LedgerEntry,
    Settlement,
    OrderRevenue,
    Merchant,
    MerchantAccount,
    OutboxEvent,
    EventDelivery,
    Notification,
    Store,
]
calls: list[str] = []


def record_call(event) -> None:
    """A handler for the retried delivery below."""
    calls.append(event.event_id)


@pytest.fixture
def operator(client):
    user = operator_user()
    client.force_login(user)
    client.user = user
    return client


def superuser_request():
    request = RequestFactory().get("/admin/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    return request


def test_money_orders_events_and_stores_cannot_be_deleted_even_by_a_superuser(admin_client):
    request = superuser_request()
    for model in NEVER_DELETED:
        assert admin.site.get_model_admin(model).has_delete_permission(request) is False, model
    store = store_row("鲜果店", created_at=timezone.now())
    assert admin_client.post(f"/admin/store/store/{store.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Store.objects.filter(pk=store.pk).exists()


def test_no_list_offers_the_bulk_delete_action():
    request = superuser_request()
    offered = [
        model._meta.label
        for model in apps.get_models()
        if admin.site.is_registered(model)
        and "delete_selected" in admin.site.get_model_admin(model).get_actions(request)
    ]
    assert offered == []


def test_the_operators_group_may_view_everything_and_do_only_the_operators_acts():
    granted = {
        f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name=GROUP).permissions.all()
    }
    shown = {m for m in apps.get_models() if admin.site.is_registered(m)}
    views = {f"{m._meta.app_label}.view_{m._meta.model_name}" for m in shown}
    assert granted == views | set(ACTS)
    assert set(ACTS) == {
        "store.freeze_store",
        "shared.retry_eventdelivery",
        "notification.retry_notification",
        "identity.revoke_apitoken",
        "merchant_account.dry_run_settlement",
    }


def test_an_operator_freezes_a_store_and_the_history_says_who(operator):
    # given
    store = store_row("鲜果店", created_at=timezone.now())
    # when
    response = operator.post(
        "/admin/store/store/", {"action": "freeze", "_selected_action": [store.pk]}, follow=True
    )
    # then the store's use case froze it (its event is in the outbox)
    assert [str(m) for m in response.context["messages"]] == ["已冻结 1 家店铺。"]
    assert Store.objects.get(pk=store.pk).status == "frozen"
    assert OutboxEvent.objects.filter(event_type="StoreFrozen", aggregate_id=store.pk).count() == 1
    [entry] = LogEntry.objects.filter(object_id=store.pk)
    assert (entry.user_id, entry.object_repr, entry.change_message) == (
        operator.user.pk,
        "鲜果店",
        "Froze the store.",
    )
    history = operator.get(f"/admin/store/store/{store.pk}/history/").content.decode()
    assert "冻结了店铺。" in history and operator.user.username in history


def test_an_operator_can_neither_edit_add_nor_run_the_administrators_actions(operator):
    store = store_row("鲜果店", created_at=timezone.now())
    edited = operator.post(f"/admin/store/store/{store.pk}/change/", {"name": "改名"})
    assert (edited.status_code, Store.objects.get(pk=store.pk).name) == (403, "鲜果店")
    assert operator.get("/admin/store/store/add/").status_code == 403
    for url, action in (
        ("/admin/goods/goods/", "take_off_shelf"),
        ("/admin/solitaire/solitaire/", "close_selected"),
        ("/admin/ordering/order/", "expire_past_due"),
    ):
        page = operator.get(url)
        assert action not in page.context["cl"].model_admin.get_actions(page.wsgi_request), action
    assert LogEntry.objects.count() == 0


def test_an_operator_retries_a_failed_delivery_and_it_is_done(operator):
    # given a delivery that used up its attempts
    calls.clear()
    delivery = delivery_row(
        status="failed", at=timezone.now(), handler="tests.integration.test_backoffice_rights.record_call"
    )
    # when (the test settings run the queue inline)
    response = operator.post(
        "/admin/shared/eventdelivery/", {"action": "retry", "_selected_action": [delivery.pk]}, follow=True
    )
    # then
    assert [str(m) for m in response.context["messages"]] == ["已重新排队 1 个投递。"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, calls) == ("done", 1, [str(delivery.event_id)])
    [entry] = LogEntry.objects.all()
    assert (entry.user_id, entry.object_id, entry.change_message) == (
        operator.user.pk,
        str(delivery.pk),
        "Queued the delivery again.",
    )


def test_an_operator_retries_a_failed_notification(operator):
    # given a failed notification to a customer the sandbox can reach
    customer = User.objects.create(username="cindy", openid="sandbox-openid-cindy")
    failed = notification_row(status="failed", at=timezone.now())
    Notification.objects.filter(pk=failed.pk).update(
        recipient_user_id=str(customer.pk),
        payload={"order_id": "o-1", "order_no": failed.reference, "store_name": "店", "total_fen": 100},
    )
    # when
    response = operator.post(
        "/admin/notification/notification/", {"action": "retry", "_selected_action": [failed.pk]}, follow=True
    )
    # then
    assert [str(m) for m in response.context["messages"]] == ["已重发 1 条通知，成功发送 1 条。"]
    assert Notification.objects.get(pk=failed.pk).status == "sent"
    assert LogEntry.objects.get().change_message == "Retried the notification."


def test_an_operator_revokes_a_token(operator):
    # given
    login = identity.login_with_wechat(code="sandbox-cindy", nickname="Cindy")
    raw, token = login.token, ApiToken.objects.get(user_id=login.user.id)
    # when
    operator.post("/admin/identity/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    # then
    assert identity.authenticate(raw_token=raw) is None
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert LogEntry.objects.get().change_message == "Revoked the token."


def test_an_operator_runs_a_dry_run_settlement_and_the_history_says_so(operator):
    # given
    before = money_rows()
    assert 'id="dry-run-settlement"' in operator.get("/admin/merchant_account/settlement/").content.decode()
    # when
    response = operator.post("/admin/merchant_account/settlement/dry-run/", follow=True)
    # then
    shown = [str(m) for m in response.context["messages"]]
    assert [line.split("（")[0] for line in shown] == ["结算预演 — 订单结算", "结算预演 — 佣金发放"]
    assert money_rows() == before
    entries = LogEntry.objects.order_by("pk")
    assert [(e.user_id, e.content_type.model, e.object_id, e.change_message) for e in entries] == [
        (operator.user.pk, "settlement", None, "Ran a dry-run settlement."),
        (operator.user.pk, "settlement", None, "Ran a dry-run settlement."),
    ]
    history = operator.get("/admin/admin/logentry/").content.decode()
    assert "运行了一次结算预演。" in history


def test_a_staff_user_without_the_right_gets_no_dry_run(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("intern", password="x", is_staff=True))
    assert client.post("/admin/merchant_account/settlement/dry-run/").status_code == 403
    assert LogEntry.objects.count() == 0


def test_an_operator_account_ends_with_its_group(operator):
    # an operator who leaves the group keeps no right: the admin shows them nothing
    operator.user.groups.clear()
    assert operator.get("/admin/ordering/order/").status_code == 403
