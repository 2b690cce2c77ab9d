"""Demo data for `make run`: an operator (in the operators' group) and an administrator, a
merchant with a store, staff and goods, a published solitaire with a few paid orders; the store
is a brand whose franchise (10 %, daily) an affiliate store joined and resells the solitaire; two
orders completed (one through the resale) and settled, one refunded, so the back office shows
money at once. Something for the operator to fix, too: the payment notice of the last order
failed to be delivered (its handler was down: bff/management/demo_failures.py), and so did the settlement
notice to the merchant (the WeChat sandbox refused it). It goes through the same use cases as the
API, with events delivered inline so the store is complete before the command returns. Running it
twice adds nothing."""

import logging
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.utils import timezone
from django_q.conf import Conf

from bff.backoffice.operators import GROUP
from bff.management.demo_failures import handler_down, sandbox_refusing_messages
from contexts.affiliate import bootstrap as affiliate
from contexts.goods import bootstrap as goods
from contexts.identity import bootstrap as identity
from contexts.integration import services as integration
from contexts.merchant_account import bootstrap as merchant_account
from contexts.ordering import bootstrap as ordering
from contexts.ordering.contracts import Contact, Pickup
from contexts.solitaire import bootstrap as solitaire
from contexts.solitaire import queries as solitaire_queries
from contexts.solitaire.contracts import ItemInput
from contexts.staff import bootstrap as staff
from contexts.store import bootstrap as store
from contexts.store import queries as store_queries

OPERATOR = ("operator", "operator-demo")  # a platform operator: the operators' group, not a superuser
ADMIN = ("root", "root-demo")  # a superuser, for engineers
FAILING_HANDLER = "contexts.notification.tasks.on_order_paid"
ADDRESS = {"province": "浙江省", "city": "杭州市", "district": "西湖区", "detail": "文三路 100 号 鲜果社区店"}
PEOPLE = {
    "owner": ("demo-owner", "王店长", "13800000001"),
    "manager": ("demo-manager", "李经理", "13800000002"),
    "clerk": ("demo-clerk", "赵店员", "13800000003"),
    "affiliate": ("demo-affiliate", "周团长", "13800000004"),
    "customer1": ("demo-customer1", "陈阿姨", "13900000001"),
    "customer2": ("demo-customer2", "刘先生", "13900000002"),
}
GOODS = [("土鸡蛋 30 枚", 3990, 200), ("阳光玫瑰葡萄 2 斤", 4590, 100), ("东北大米 10 斤", 5990, 80)]


def _sms_code(user_id: str, phone: str, purpose: str) -> str:
    identity.request_sms_code(user_id=user_id, phone=phone, purpose=purpose)
    return integration.last_sandbox_sms(phone=phone).code


class Command(BaseCommand):
    help = "Create the demo operator, merchant, store, staff, goods and a solitaire with paid orders."

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(username=OPERATOR[0]).exists():
            self.stdout.write("demo data already there.")
            self._print_logins()
            return
        logging.getLogger("django-q").setLevel(logging.WARNING)
        previous_sync, Conf.SYNC = Conf.SYNC, True  # deliver the demo's events inline
        try:
            operator = User.objects.create_user(
                OPERATOR[0], "operator@example.com", OPERATOR[1], is_staff=True, nickname="平台运营小张"
            )
            operator.groups.add(Group.objects.get(name=GROUP))
            User.objects.create_superuser(ADMIN[0], "admin@example.com", ADMIN[1], nickname="平台管理员")
            self._build()
        finally:
            Conf.SYNC = previous_sync
        self._print_logins()

    def _build(self) -> None:
        users = {}
        for role, (code, nickname, phone) in PEOPLE.items():
            user = identity.login_with_wechat(code=f"sandbox-{code}", nickname=nickname).user
            identity.bind_phone(user_id=user.id, phone=phone, code=_sms_code(user.id, phone, "bind_phone"))
            users[role] = user.id
        owner_phone = PEOPLE["owner"][2]
        shop = store.create_store(
            owner_id=users["owner"],
            name="鲜果社区团购 · 文三路店",
            phone=owner_phone,
            sms_code=_sms_code(users["owner"], owner_phone, "create_store"),
            address=ADDRESS,
            description="每天新鲜到店，社区自提。",
        )
        staff.add_member(
            actor_id=users["owner"], store_id=shop.id, phone=PEOPLE["manager"][2], role="manager"
        )
        staff.add_member(actor_id=users["owner"], store_id=shop.id, phone=PEOPLE["clerk"][2], role="clerk")
        listed = [
            goods.create_goods(
                actor_id=users["owner"], store_id=shop.id, name=name, price_fen=price, stock=stock
            )
            for name, price, stock in GOODS
        ]
        point = store_queries.pickup_points(shop.id)[0]
        now = timezone.now()
        drive_id = solitaire.create_solitaire(
            actor_id=users["owner"],
            store_id=shop.id,
            title="周末鲜果接龙",
            description="周六下午到店自提。",
            start_at=now - timedelta(hours=1),
            end_at=now + timedelta(days=3),
            pickup_point_ids=[point.id],
            items=[
                ItemInput(goods_id=listed[0].id, price_fen=3590, stock=50, per_customer_limit=2),
                ItemInput(goods_id=listed[1].id, price_fen=None, stock=30, per_customer_limit=None),
            ],
        )
        solitaire.publish_solitaire(actor_id=users["owner"], solitaire_id=drive_id)
        drive = solitaire_queries.solitaire_detail(solitaire_id=drive_id, viewer_id=users["owner"])
        resale_id = self._franchise(users, shop.id, drive.id)
        paid = []
        buyers = [
            ("customer1", resale_id, 0),
            ("customer2", None, 0),
            ("customer2", None, 1),
            ("customer1", None, 1),
        ]
        for number, (role, resale, item) in enumerate(buyers, start=1):
            _code, nickname, phone = PEOPLE[role]
            order = solitaire.join_solitaire(
                customer_id=users[role],
                solitaire_id=drive.id,
                resale_id=resale,
                lines=[(drive.items[item].id, 1)],
                pickup=Pickup(method="pickup", pickup_point_id=point.id),
                contact=Contact(name=nickname, phone=phone),
            )
            payment = ordering.pay_order(order_id=order.id, customer_id=users[role])
            if number == len(buyers):  # the last payment's notice fails to be delivered
                with handler_down(FAILING_HANDLER):
                    ordering.simulate_payment_success(payment_id=payment.payment_id, customer_id=users[role])
            else:
                ordering.simulate_payment_success(payment_id=payment.payment_id, customer_id=users[role])
            paid.append((role, order.id))
        # Two are collected (one through the resale), then settled; one is refunded; one stays paid.
        for role, order_id in paid[:2]:
            ordering.confirm_receipt(order_id=order_id, customer_id=users[role])
        role, order_id = paid[2]
        ordering.refund_order(order_id=order_id, user_id=users[role], reason="临时有事，取不了货")
        with sandbox_refusing_messages():  # the merchant's settlement notice fails
            run = merchant_account.settle_orders(as_of=timezone.now())
        self.stdout.write(self.style.SUCCESS(f"demo store {shop.id} with solitaire {drive.id} created."))
        self.stdout.write(run.line())

    def _franchise(self, users: dict, brand_id: str, solitaire_id: str) -> str:
        """The brand's franchise on (10 %, daily), the affiliate's store a member reselling the
        solitaire; the resale's id."""
        affiliate.update_policy(store_id=brand_id, enabled=True, commission_bps=1000, billing_cycle="daily")
        owner_phone = PEOPLE["affiliate"][2]
        member = store.create_store(
            owner_id=users["affiliate"],
            name="周团长帮卖店",
            phone=owner_phone,
            sms_code=_sms_code(users["affiliate"], owner_phone, "create_store"),
            address={**ADDRESS, "detail": "文一路 8 号 团长小站"},
        )
        affiliate.add_member(brand_store_id=brand_id, member_store_id=member.id)
        resale, _created = affiliate.create_resale(
            solitaire_id=solitaire_id, brand_store_id=brand_id, store_id=member.id
        )
        return resale.id

    def _print_logins(self) -> None:
        lines = [
            "",
            "Demo logins",
            f"  back office /admin/, operator:      {OPERATOR[0]} / {OPERATOR[1]}",
            f"  back office /admin/, administrator: {ADMIN[0]} / {ADMIN[1]}",
            "  mini-program (sandbox): POST /api/v1/auth/wechat-login with one of these codes:",
        ]
        lines += [
            f'    {role:<10} {{"code": "sandbox-{code}"}}   ({nickname}, {phone})'
            for role, (code, nickname, phone) in PEOPLE.items()
        ]
        self.stdout.write("\n".join(lines))
