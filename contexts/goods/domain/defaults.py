"""What a new store's catalogue starts with: categories that fit the season the store opens
in (Asia/Shanghai calendar), and a few words customers search for all year round."""

from datetime import datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

SPRING, SUMMER, AUTUMN, WINTER = "spring", "summer", "autumn", "winter"

SEASON_OF_MONTH = {
    3: SPRING, 4: SPRING, 5: SPRING,
    6: SUMMER, 7: SUMMER, 8: SUMMER,
    9: AUTUMN, 10: AUTUMN, 11: AUTUMN,
    12: WINTER, 1: WINTER, 2: WINTER,
}  # fmt: skip

# Five per season; the list order is the display sort 1..5.
DEFAULT_CATEGORIES = {
    SPRING: ("时令蔬菜", "春笋野菜", "草莓水果", "粮油调味", "日用百货"),
    SUMMER: ("西瓜鲜果", "冷饮冰品", "凉拌蔬菜", "粮油调味", "日用百货"),
    AUTUMN: ("应季水果", "螃蟹水产", "新米杂粮", "时令蔬菜", "日用百货"),
    WINTER: ("火锅食材", "年货礼盒", "柑橘水果", "时令蔬菜", "日用百货"),
}

DEFAULT_HOT_WORDS = ("鸡蛋", "水果", "牛奶", "大米", "纸巾")


def season_of(moment: datetime) -> str:
    """The season of an aware moment, on the Shanghai calendar (a store opened at 23:30 UTC on
    31 May opens on 1 June in Shanghai: summer)."""
    if moment.tzinfo is None:
        raise ValueError("season_of needs an aware datetime")
    return SEASON_OF_MONTH[moment.astimezone(SHANGHAI).month]


def default_categories(moment: datetime) -> list[tuple[str, int]]:
    """[(name, sort)] for a store created at `moment`."""
    return [(name, sort) for sort, name in enumerate(DEFAULT_CATEGORIES[season_of(moment)], start=1)]


def default_hot_words() -> list[tuple[str, int]]:
    return [(word, sort) for sort, word in enumerate(DEFAULT_HOT_WORDS, start=1)]
