"""The domain's texts (N_) and money as people read it: pure Python, no Django."""

from contexts.shared.domain.text import N_, Text, render
from contexts.shared.domain.values import Money

CATALOG = {
    "{name} is sold out.": "{name} 已售罄。",
    "An order that is {status} cannot be paid.": "{status}的订单不能支付。",
    "paid": "已支付",
}


def translate(msgid: str) -> str:
    return CATALOG.get(msgid, msgid)


def test_a_marked_text_reads_as_its_english_message_and_keeps_its_template():
    text = N_("{name} is sold out.", name="土鸡蛋")
    assert isinstance(text, Text) and isinstance(text, str)
    assert text == "土鸡蛋 is sold out."
    assert (text.template, text.values) == ("{name} is sold out.", {"name": "土鸡蛋"})


def test_render_translates_the_template_then_fills_in_the_values():
    assert render(N_("{name} is sold out.", name="土鸡蛋"), translate) == "土鸡蛋 已售罄。"


def test_render_translates_a_value_that_is_a_marked_text_too():
    text = N_("An order that is {status} cannot be paid.", status=N_("paid"))
    assert text == "An order that is paid cannot be paid."
    assert render(text, translate) == "已支付的订单不能支付。"


def test_render_leaves_an_unmarked_text_and_its_braces_as_they_are():
    assert render("{not a template}", translate) == "{not a template}"
    assert render(N_("Keep {literal} braces"), translate) == "Keep {literal} braces"


def test_money_displays_in_yuan_with_two_decimals_and_thousands():
    shown = [Money(fen).display() for fen in (3590, 5, 0, -50, 123456789, -100)]
    assert shown == ["¥35.90", "¥0.05", "¥0.00", "-¥0.50", "¥1,234,567.89", "-¥1.00"]
