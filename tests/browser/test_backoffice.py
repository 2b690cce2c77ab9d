"""An operator's day in the back office, in Chromium, on `make run`'s demo data: log in, read the
dashboard and its chart, find an order by its number, freeze a store (and see its solitaire
refuse a join over the API), retry the failed delivery, run a dry-run settlement, switch to
English."""

import json
import urllib.error
import urllib.request

import pytest

from bff.management.commands.seed_demo import OPERATOR
from contexts.ordering.models import Order
from contexts.shared.models import EventDelivery
from contexts.solitaire.models import Solitaire
from contexts.store.models import Store

pytestmark = pytest.mark.django_db(transaction=True)

GMV_BLUE = (22, 119, 255)  # the GMV bars (bff/static/backoffice/dashboard.js)
COUNT_COLOURED_PIXELS = """([canvasId, rgb]) => {
  const canvas = document.getElementById(canvasId);
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let found = 0;
  for (let i = 0; i < data.length; i += 4) {
    const near = [0, 1, 2].every((k) => Math.abs(data[i + k] - rgb[k]) < 12);
    if (near && data[i + 3] > 200) found += 1;
  }
  return found;
}"""


def log_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def run_action(page, action_label: str, *row_ids: str) -> list[str]:
    """Tick the rows, choose the action by its label, run it; the messages shown."""
    for row_id in row_ids:
        page.check(f'input[name="_selected_action"][value="{row_id}"]')
    page.select_option('select[name="action"]', label=action_label)
    page.click('button[name="index"]')
    page.wait_for_selector("ul.messagelist")
    return page.locator("ul.messagelist li").all_inner_texts()


def api(base: str, method: str, path: str, body: dict | None = None, token: str | None = None):
    """(status, JSON) of a request to the live server, as the mini-program sends it."""
    request = urllib.request.Request(
        f"{base}/api/v1{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={
            "Content-Type": "application/json",
            **({"Authorization": f"Bearer {token}"} if token else {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def test_an_operator_s_day_in_the_back_office(live_server, demo, page, screens):
    base = live_server.url
    # given the demo operator logs in, in Chinese
    page.goto(f"{base}/admin/")
    assert page.title() == "登录 | 团购运营后台"
    screens.shot("login")
    log_in(page, base, *OPERATOR)

    # then the dashboard shows the demo's figures (four orders paid today, one refunded)
    assert page.locator("#site-name").inner_text() == "团购平台运营后台"
    cards = {
        card: page.locator(f"#card-{card} .dash-today").inner_text() for card in ("gmv", "orders", "fee")
    }
    assert cards == {"gmv": "¥163.60", "orders": "4", "fee": "¥0.44"}
    assert page.locator("#card-participants .dash-today").inner_text() == "2"
    assert page.locator("#card-stores .dash-today").inner_text() == "2"
    assert page.locator("#card-refunds .dash-today").inner_text() == "1 ¥45.90"
    assert page.locator("#failed-deliveries").inner_text() == "1 条事件投递失败"
    assert page.locator("#top-stores td.dash-bar-cell a").all_inner_texts() == ["鲜果社区团购 · 文三路店"]
    # and its charts are drawn: the GMV bars are on the canvas
    page.wait_for_function("() => document.getElementById('dashboard').dataset.charts === '2 drawn'")
    assert page.evaluate(COUNT_COLOURED_PIXELS, ["chart-gmv", list(GMV_BLUE)]) > 200
    screens.shot("dashboard")

    # when the operator looks an order up by its number
    refunded = Order.objects.get(status="refunded")
    page.fill("#order-search", refunded.order_no)
    page.press("#order-search", "Enter")
    page.wait_for_url(f"{base}/admin/ordering/order/?q={refunded.order_no}")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert rows.first.locator("th a").inner_text() == refunded.order_no
    assert rows.first.locator("td.field-status").inner_text() == "已退款"
    assert rows.first.locator("td.field-total_fen").inner_text() == "¥45.90"
    screens.shot("order-found")
    rows.first.locator("th a").click()
    assert "周末鲜果接龙" in page.locator("#content-main").inner_text()
    screens.shot("order-page")

    # and freezes the brand store
    store = Store.objects.get(name="鲜果社区团购 · 文三路店")
    page.goto(f"{base}/admin/store/store/")
    assert run_action(page, "冻结所选店铺", store.pk) == ["已冻结 1 家店铺。"]
    assert page.locator(f'tr:has(input[value="{store.pk}"]) td.field-status').inner_text() == "已冻结"
    screens.shot("store-frozen")
    # then its solitaire refuses a join over the API
    _status, login = api(base, "POST", "/auth/wechat-login", {"code": "sandbox-demo-customer2"})
    drive = Solitaire.objects.get(store_id=store.pk)
    _status, detail = api(base, "GET", f"/solitaires/{drive.pk}", token=login["token"])
    joined = api(
        base,
        "POST",
        "/orders",
        {
            "solitaire_id": drive.pk,
            "lines": [{"solitaire_item_id": detail["items"][1]["id"], "quantity": 1}],
            "pickup": {"method": "pickup", "pickup_point_id": detail["pickup_points"][0]["id"]},
            "contact": {"name": "刘先生", "phone": "13900000002"},
        },
        login["token"],
    )
    assert joined == (409, {"code": "solitaire_not_open", "detail": "该接龙当前不可参与。"})

    # when the operator follows the dashboard's link to the failed delivery and retries it
    page.goto(f"{base}/admin/")
    page.click("#failed-deliveries")
    page.wait_for_url(f"{base}/admin/shared/eventdelivery/?status__exact=failed")
    failed = EventDelivery.objects.get(status="failed")
    assert page.locator("#result_list tbody tr").count() == 1
    screens.shot("failed-delivery")
    assert run_action(page, "重试所选失败的投递", str(failed.pk)) == ["已重新排队 1 个投递。"]
    # then it is done
    page.goto(f"{base}/admin/shared/eventdelivery/{failed.pk}/change/")
    assert page.locator(".field-status .readonly").inner_text() == "已完成"
    screens.shot("delivery-done")

    # when the operator runs a dry-run settlement, the summary says what it would settle
    page.goto(f"{base}/admin/merchant_account/settlement/")
    page.click("#dry-run-settlement")
    page.wait_for_selector("ul.messagelist")
    summaries = page.locator("ul.messagelist li").all_inner_texts()
    assert [line.split("（")[0] for line in summaries] == ["结算预演 — 订单结算", "结算预演 — 佣金发放"]
    assert summaries[0].endswith(
        "：0 单，总额 ¥0.00，平台服务费 ¥0.00，佣金 ¥0.00，净额 ¥0.00。未写入任何数据。"
    )
    screens.shot("dry-run")

    # and the history names who did each of these
    page.goto(f"{base}/admin/admin/logentry/")
    history = page.locator("#result_list").inner_text()
    assert all(text in history for text in ("冻结了店铺。", "重新排队投递。", "运行了一次结算预演。"))
    screens.shot("history")

    # when the operator switches to English
    page.select_option("#language-switch", "en")
    page.click("#language-switch-submit")
    # then the back office speaks English
    page.wait_for_selector("text=Select log entry to view")
    assert page.locator("#site-name").inner_text() == "GroupBuy operations back office"
    page.goto(f"{base}/admin/")
    assert page.locator("#card-gmv h3").inner_text() == "GMV (paid)"
    assert page.locator("#failed-deliveries").inner_text() == "0 failed event deliveries"
    screens.shot("english")
    assert [path.name for path in screens.taken] == [
        "01-login.png",
        "02-dashboard.png",
        "03-order-found.png",
        "04-order-page.png",
        "05-store-frozen.png",
        "06-failed-delivery.png",
        "07-delivery-done.png",
        "08-dry-run.png",
        "09-history.png",
        "10-english.png",
    ]
