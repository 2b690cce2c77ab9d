"""The benchmark's Django side, run as `python -m tests.benchmarks.driver <command> <state.json>`
with DJANGO_SETTINGS_MODULE=tests.benchmarks.settings and DATABASE_URL of the bench database.
It speaks to the project only through HTTP (Django's test client, in-process) and reads the
database; each command prints one JSON line."""

import json
import sys
import time
from datetime import timedelta

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_q.conf import Conf  # noqa: E402

from tests.benchmarks.pgbench_script import Customer, Recorder, build  # noqa: E402

JSON = "application/json"
CONTACT = {"name": "买家", "phone": "13700000000"}
ADDRESS = {"province": "浙江省", "city": "杭州市", "district": "西湖区", "detail": "文三路 100 号"}
NICKNAME = "买家"  # every customer's: a recorded nickname never differs between two customers


def answer(response, status: int):
    assert response.status_code == status, (response.status_code, response.content[:2000])
    return response.json() if response.content else None


def login(code: str, nickname: str = NICKNAME) -> dict:
    body = {"code": f"sandbox-{code}", "nickname": nickname}
    return answer(Client().post("/api/v1/auth/wechat-login", body, content_type=JSON), 200)


def as_user(token: str) -> Client:
    return Client(headers={"authorization": f"Bearer {token}"})


def seed(state: dict) -> dict:
    """Store, goods and a published solitaire with a hot item and a scarce one, through the
    API; events delivered inline (the cluster's work, done here) so that every follow-up of
    creating a store is in place before the first join."""
    Conf.SYNC = True
    owner = as_user(login("bench-owner", "店长")["token"])
    phone = "13800000001"
    answer(
        owner.post("/api/v1/auth/sms-codes", {"phone": phone, "purpose": "create_store"}, content_type=JSON),
        202,
    )
    code = answer(owner.get("/api/v1/sandbox/sms", {"phone": phone}), 200)["code"]
    body = {"name": "压测小店", "phone": phone, "sms_code": code, "address": ADDRESS}
    shop = answer(owner.post("/api/v1/stores", body, content_type=JSON), 201)
    point = answer(owner.get(f"/api/v1/stores/{shop['id']}/pickup-points"), 200)[0]
    goods = [
        answer(
            owner.post(
                f"/api/v1/stores/{shop['id']}/goods",
                {"name": name, "price_fen": 990, "stock": 10**7},
                content_type=JSON,
            ),
            201,
        )
        for name in ("爆款鸡蛋", "限量榴莲")
    ]
    now = timezone.now()
    body = {
        "title": "压测接龙",
        "start_at": (now - timedelta(hours=1)).isoformat(),
        "end_at": (now + timedelta(days=1)).isoformat(),
        "pickup_point_ids": [point["id"]],
        "items": [
            {"goods_id": goods[0]["id"], "stock": state["hot_stock"]},
            {"goods_id": goods[1]["id"], "stock": state["scarce_stock"]},
        ],
    }
    drive = answer(owner.post(f"/api/v1/stores/{shop['id']}/solitaires", body, content_type=JSON), 201)
    answer(owner.post(f"/api/v1/solitaires/{drive['id']}/publish"), 200)
    Conf.SYNC = False
    return {
        "solitaire_id": drive["id"],
        "hot_item_id": drive["items"][0]["id"],
        "scarce_item_id": drive["items"][1]["id"],
        "point_id": point["id"],
    }


def order_body(state: dict, item: str = "hot_item_id") -> dict:
    return {
        "solitaire_id": state["solitaire_id"],
        "lines": [{"solitaire_item_id": state[item], "quantity": 1}],
        "pickup": {"method": "pickup", "pickup_point_id": state["point_id"]},
        "contact": CONTACT,
    }


def customer(code: str) -> Customer:
    """A customer logged in just now, with its token's row (what a join may name of it)."""
    user = login(code)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, key_hash FROM identity_apitoken WHERE user_id = %s", [user["user"]["id"]])
        (token_id, key_hash), *others = cursor.fetchall()
    assert not others, "one token per customer"
    return Customer(
        user_id=user["user"]["id"], token_id=str(token_id), key_hash=key_hash, token=user["token"]
    )


def capture(state: dict) -> dict:
    """The statements of POST /api/v1/orders (authentication included), recorded for two customers
    who joined a moment ago, as a pgbench script; the statements of a request refused after
    authentication (400) tell what authentication issues. Each customer's earlier join warms the
    process up and touches its token, so that the recorded requests are what wrk sends: a regular
    customer's, whose token needs no UPDATE (authentication touches one at most once a minute).
    The customers pgbench joins as, wrk too, go into a table of its own (bench_customer), so that
    pgbench's transactions name real tokens."""
    first, second, refused = (customer(f"bench-capture-{n}") for n in range(3))
    for who in (first, second, refused):
        answer(as_user(who.token).post("/api/v1/orders", order_body(state), content_type=JSON), 201)
    runs = []
    for who in (first, second):
        recorder = Recorder(started=timezone.now())
        with connection.execute_wrapper(recorder):
            answer(as_user(who.token).post("/api/v1/orders", order_body(state), content_type=JSON), 201)
        runs.append(recorder)
    auth = Recorder(started=timezone.now())
    with connection.execute_wrapper(auth):
        answer(as_user(refused.token).post("/api/v1/orders", {"lines": []}, content_type=JSON), 400)
    script = build(runs, (first, second))
    pool = [customer(f"bench-pool-{n}") for n in range(state["pool"])]
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_customer (n integer PRIMARY KEY, user_id text, token_id text, key_hash text)"
        )
        cursor.executemany(
            "INSERT INTO bench_customer VALUES (%s, %s, %s, %s)",
            [(n, c.user_id, c.token_id, c.key_hash) for n, c in enumerate(pool, 1)],
        )
    return {
        "script": script,
        "statements": [s.sql for s in runs[1].statements],
        "transactions": [s.transaction for s in runs[1].statements],
        "authentication": len(auth.statements),
        "joins": 5,  # of the hot item made here: the 3 earlier joins and the 2 recorded
        "tokens": [c.token for c in pool],
    }


if __name__ == "__main__":
    command, path = sys.argv[1], sys.argv[2]
    with open(path) as source:
        given = json.load(source)
    started = time.monotonic()
    found = {"seed": seed, "capture": capture}[command](given)
    print(json.dumps({**found, "seconds": time.monotonic() - started}, default=str))
