"""Amounts as operations people write them: 500万, 1.2亿, 10k, 2.5m, 80%, ５００万 (full-width),
1,200,000 and １，２００ (thousands commas), 五百万 (Chinese numerals); and back again, for a
reply (`fmt_amount`: 320万 in Chinese, 3.2M in English)."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from handlers.errors import UserError

AMOUNT_MAX = Decimal(10) ** 15  # a quadrillion: past any KPI, and exact in a float

# Multipliers after a number; longest first where one ends another (万亿 before 亿).
_SUFFIXES: dict[str, int] = {
    "万亿": 10**12,
    "千万": 10**7,
    "百万": 10**6,
    "十万": 10**5,
    "亿": 10**8,
    "万": 10**4,
    "千": 10**3,
    "百": 10**2,
    "w": 10**4,
    "k": 10**3,
    "m": 10**6,
    "b": 10**9,
    "bn": 10**9,
}
_NUMBER = re.compile(
    r"^(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*(?P<suffix>[^\d\s]*)$"
)
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_CN_DIGITS.update({"五": 5, "六": 6, "七": 7, "八": 8, "九": 9})
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_LARGE = {"万": 10**4, "亿": 10**8}


def _chinese(text: str) -> int | None:
    """五百万, 一千二百万, 十万, 两亿三千万: an integer, or None when it is not one."""
    known = _CN_DIGITS.keys() | _CN_SMALL.keys() | _CN_LARGE.keys()
    if not text or any(ch not in known for ch in text):
        return None
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            if digit is not None and _CN_DIGITS[ch] != 0:
                return None  # 五五: two digits in a row is no numeral
            digit = _CN_DIGITS[ch]
        elif ch in _CN_SMALL:
            section += (1 if digit is None else digit) * _CN_SMALL[ch]
            digit = None
        else:
            section += digit or 0
            if section == 0 and total == 0:
                return None  # 万 alone
            if ch == "亿":
                total = (total + section) * _CN_LARGE[ch]
            else:
                total += section * _CN_LARGE[ch]
            section, digit = 0, None
    return total + section + (digit or 0)


def read_amount(text: str) -> float:
    """An amount as written, or a UserError naming it (`bad_amount`) with examples."""
    raw = text
    norm = unicodedata.normalize("NFKC", text).strip().replace("，", ",")
    norm = norm.lstrip("¥￥$").removesuffix("元").strip()
    value = _read(norm)
    if value is None or value < 0 or value > AMOUNT_MAX:
        raise UserError("bad_amount", value=raw[:40] or "…")
    return float(value)


def _read(norm: str) -> Decimal | None:
    if not norm:
        return None
    if norm.endswith("%"):
        found = _NUMBER.match(norm[:-1].strip())
        if found is None or found.group("suffix"):
            return None
        return _decimal(found.group("num"))
    if (whole := _chinese(norm)) is not None:
        return Decimal(whole)
    found = _NUMBER.match(norm)
    if found is None:
        return None
    number = _decimal(found.group("num"))
    suffix = found.group("suffix").lower()
    if number is None:
        return None
    if not suffix:
        return number
    scale = _SUFFIXES.get(suffix)
    return None if scale is None else number * scale


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _trim(value: float, places: int = 2) -> str:
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return text or "0"


def fmt_amount(value: float | None, lang: str, unit: str | None = None) -> str:
    """An amount for a reply: 320万 / 1.2亿 in Chinese, 3.2M / 10k in English; a `%` unit
    follows the number (80%), another unit after a space (10万 人)."""
    if value is None:
        return "—"
    magnitude = abs(value)
    if lang == "zh":
        if magnitude >= 10**8:
            text = _trim(value / 10**8) + "亿"
        elif magnitude >= 10**4:
            text = _trim(value / 10**4) + "万"
        else:
            text = _trim(value)
    elif magnitude >= 10**9:
        text = _trim(value / 10**9) + "B"
    elif magnitude >= 10**6:
        text = _trim(value / 10**6) + "M"
    elif magnitude >= 10**4:
        text = _trim(value / 10**3) + "k"
    else:
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    if not unit:
        return text
    return text + unit if unit == "%" else f"{text} {unit}"
