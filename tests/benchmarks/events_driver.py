"""The event benchmarks' Django side, run as `python -m tests.benchmarks.events_driver <command>
<state.json>` with DJANGO_SETTINGS_MODULE=tests.benchmarks.settings and DATABASE_URL of the bench
database; each command prints one JSON line.

  backlog   `orders` orders joined and paid through the API (Django's test client, in-process,
            sandbox payments) while no qcluster runs: their events wait in the queue
  progress  deliveries by status, participations of the solitaire, the hot goods' sales"""

import json
import sys
import time

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from tests.benchmarks.driver import JSON, answer, as_user, login, order_body  # noqa: E402


def pay(customer: Client, state: dict) -> dict:
    order = answer(customer.post("/api/v1/orders", order_body(state), content_type=JSON), 201)
    payment = answer(customer.post(f"/api/v1/orders/{order['id']}/pay"), 200)
    return answer(customer.post(f"/api/v1/sandbox/payments/{payment['payment_id']}/succeed"), 200)


def backlog(state: dict) -> dict:
    customers = [as_user(login(f"bench-backlog-{n}")["token"]) for n in range(state["customers"])]
    paid = [pay(customers[n % len(customers)], state) for n in range(state["orders"])]
    assert all(order["status"] == "paid" for order in paid)
    return {"paid": len(paid), **progress(state)}


def progress(state: dict) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT status, count(*) FROM shared_eventdelivery GROUP BY status")
        deliveries = dict(cursor.fetchall())
        cursor.execute(
            "SELECT count(*) FROM solitaire_participation WHERE solitaire_id = %s", [state["solitaire_id"]]
        )
        (participations,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM django_q_ormq")
        (queued,) = cursor.fetchone()
        # Counters a doubled effect would push past the number of paid orders.
        cursor.execute("SELECT COALESCE(sum(sales), 0) FROM goods_goods")
        (sales,) = cursor.fetchone()
        cursor.execute("SELECT COALESCE(sum(order_count), 0) FROM customer_storecustomer")
        (counted,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM notification_notification")
        (notifications,) = cursor.fetchone()
    return {
        "deliveries": deliveries,
        "participations": participations,
        "queued": queued,
        "sales": sales,
        "customer_orders": counted,
        "notifications": notifications,
    }


if __name__ == "__main__":
    command, path = sys.argv[1], sys.argv[2]
    with open(path) as source:
        given = json.load(source)
    started = time.monotonic()
    found = {"backlog": backlog, "progress": progress}[command](given)
    print(json.dumps({**found, "seconds": time.monotonic() - started}, default=str))
