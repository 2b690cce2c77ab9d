"""The benchmark's Django side, run as `python -m tests.benchmarks.driver <command> <state.json>`
with DJANGO_SETTINGS_MODULE=tests.benchmarks.settings and DATABASE_URL of the bench database.
Each command prints one JSON line: the pytest process itself never opens the bench database."""

import io
import json
import pickle
import statistics
import sys
import time
from datetime import timedelta

import django

django.setup()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_q.conf import Conf  # noqa: E402

from contexts.goods import bootstrap as goods  # noqa: E402
from contexts.identity import bootstrap as identity  # noqa: E402
from contexts.integration import services as integration  # noqa: E402
from contexts.ordering.contracts import Contact, Pickup  # noqa: E402
from contexts.solitaire import bootstrap as solitaire  # noqa: E402
from contexts.solitaire.contracts import ItemInput  # noqa: E402
from contexts.store import bootstrap as store  # noqa: E402
from contexts.store import queries as store_queries  # noqa: E402
from tests.benchmarks.replay import Script, record  # noqa: E402

CONTACT = {"name": "买家", "phone": "13700000000"}
ADDRESS = {"province": "浙江省", "city": "杭州市", "district": "西湖区", "detail": "文三路 100 号"}


def seed(state: dict) -> dict:
    """Store, goods and a published solitaire with a hot item and a scarce one, through the use
    cases, events delivered inline; customers logged in through the sandbox WeChat code."""
    Conf.SYNC = True
    owner = identity.login_with_wechat(code="sandbox-bench-owner", nickname="店长").user
    phone = "13800000001"
    identity.request_sms_code(user_id=owner.id, phone=phone, purpose="create_store")
    code = integration.last_sandbox_sms(phone=phone).code
    shop = store.create_store(owner_id=owner.id, name="压测小店", phone=phone, sms_code=code, address=ADDRESS)
    hot, scarce = (
        goods.create_goods(actor_id=owner.id, store_id=shop.id, name=name, price_fen=990, stock=10**6)
        for name in ("爆款鸡蛋", "限量榴莲")
    )
    point = store_queries.pickup_points(shop.id)[0]
    now = timezone.now()
    drive = solitaire.create_solitaire(
        actor_id=owner.id,
        store_id=shop.id,
        title="压测接龙",
        start_at=now - timedelta(hours=1),
        end_at=now + timedelta(days=1),
        pickup_point_ids=[point.id],
        items=[
            ItemInput(goods_id=hot.id, stock=state["hot_stock"], per_customer_limit=None),
            ItemInput(goods_id=scarce.id, stock=state["scarce_stock"], per_customer_limit=None),
        ],
    )
    solitaire.publish_solitaire(actor_id=owner.id, solitaire_id=drive.id)
    customers = []
    for index in range(state["customers"] + 4):  # 2 + 2 kept unused for the two recordings
        login = identity.login_with_wechat(code=f"sandbox-bench-{index}", nickname=f"买家{index}")
        customers.append({"id": login.user.id, "token": login.token})
    Conf.SYNC = False
    return {
        "solitaire_id": drive.id,
        "hot_item_id": drive.items[0].id,
        "scarce_item_id": drive.items[1].id,
        "point_id": point.id,
        "capture": customers[:4],
        "customers": customers[4:],
    }


def join(state: dict, customer_id: str, item: str = "hot_item_id"):
    return solitaire.join_solitaire(
        customer_id=customer_id,
        solitaire_id=state["solitaire_id"],
        lines=[(state[item], 1)],
        pickup=Pickup(method="pickup", pickup_point_id=state["point_id"]),
        contact=Contact(**CONTACT),
    )


def inprocess(state: dict) -> dict:
    """K joins through the use case and K replays of its SQL, in alternating rounds."""
    a, b = state["capture"][0]["id"], state["capture"][1]["id"]
    first, _ = record(join, state, a)
    second, _ = record(join, state, b)
    script = Script.build(first, second, customers=(a, b))
    ids = [c["id"] for c in state["customers"]]
    k, rounds = state["k"], 3
    spent = {"service": 0.0, "raw": 0.0}
    done = 0
    for round_no in range(rounds):
        batch = [ids[(done + i) % len(ids)] for i in range(k // rounds)]
        done += len(batch)
        for side in ("service", "raw") if round_no % 2 == 0 else ("raw", "service"):
            started = time.perf_counter()
            if side == "service":
                for customer_id in batch:
                    join(state, customer_id)
            else:
                with connection.cursor() as cursor:
                    for customer_id in batch:
                        script.run(cursor, customer_id=customer_id)
            spent[side] += time.perf_counter() - started
    return {"sql": [s.sql for s in first], "joins": done, **spent}


def capture_http(state: dict) -> dict:
    """The SQL of one POST /api/v1/orders (authentication included), kept for the plain view."""
    runs = []
    for customer in state["capture"][2:]:
        client = Client(HTTP_AUTHORIZATION=f"Bearer {customer['token']}")
        statements, response = record(
            client.post, "/api/v1/orders", order_body(state), content_type="application/json"
        )
        assert response.status_code == 201, response.content
        runs.append(statements)
    customers = tuple(c["id"] for c in state["capture"][2:])
    tokens = tuple(c["token"] for c in state["capture"][2:])
    script = Script.build(*runs, customers=customers, tokens=tokens)
    with open(state["script_path"], "wb") as out:
        pickle.dump(script, out)
    return {"sql": [s.sql for s in runs[0]], "transaction": [s.transaction for s in runs[0]]}


def cpu_per_request(state: dict) -> dict:
    """This process's CPU time per request through Django's WSGI handler (gunicorn's entry, no
    sockets): POST /api/v1/orders and the plain view, alternating request by request so both
    see the same machine. Unlike wall time, CPU time is not lengthened by the database's work
    or by the machine's other processes: the steadiest figure of what the API adds."""
    handler, raw = WSGIHandler(), json.dumps(order_body(state)).encode()
    spent: dict[str, list[float]] = {"/api/v1/orders": [], "/bench/plain-join": []}
    for index, customer in enumerate(state["cpu_customers"]):
        paths = list(spent) if index % 2 == 0 else list(reversed(spent))
        for path in paths:
            started = time.process_time()
            status = _post(handler, path, raw, customer["token"])
            spent[path].append(time.process_time() - started)
            assert status.startswith("201"), status
    warm = state["cpu_warmup"]
    api, plain = (statistics.median(times[warm:]) for times in spent.values())
    return {"api": api, "plain": plain, "requests": len(state["cpu_customers"]) - warm}


def _post(handler: WSGIHandler, path: str, raw: bytes, token: str) -> str:
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(raw)),
        "HTTP_AUTHORIZATION": f"Bearer {token}",
        "wsgi.input": io.BytesIO(raw),
        "wsgi.url_scheme": "http",
    }
    answer: list[str] = []
    response = handler(environ, lambda status, headers: answer.append(status))
    b"".join(response)
    response.close()
    return answer[0]


def order_body(state: dict, item: str = "hot_item_id") -> dict:
    return {
        "solitaire_id": state["solitaire_id"],
        "lines": [{"solitaire_item_id": state[item], "quantity": 1}],
        "pickup": {"method": "pickup", "pickup_point_id": state["point_id"]},
        "contact": CONTACT,
    }


def check(state: dict) -> dict:
    """Per item: stock, sold, the quantity on order lines and the number of orders."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.id, i.stock, i.sold, COALESCE(SUM(l.quantity), 0), COUNT(DISTINCT l.order_id)"
            " FROM solitaire_solitaireitem i LEFT JOIN ordering_orderline l ON l.solitaire_item_id = i.id"
            " WHERE i.solitaire_id = %s GROUP BY i.id, i.stock, i.sold",
            [state["solitaire_id"]],
        )
        rows = cursor.fetchall()
    keys = ("stock", "sold", "ordered", "orders")
    return {row[0]: dict(zip(keys, row[1:], strict=True)) for row in rows}


if __name__ == "__main__":
    command, path = sys.argv[1], sys.argv[2]
    with open(path) as source:
        given = json.load(source)
    commands = {
        "seed": seed,
        "inprocess": inprocess,
        "capture_http": capture_http,
        "cpu": cpu_per_request,
        "check": check,
    }
    print(json.dumps(commands[command](given), default=str))
