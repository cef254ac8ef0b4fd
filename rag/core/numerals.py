"""Chinese numerals as laws write article numbers: 第三十三条 ↔ 33, 第一百零二条 ↔ 102."""

from __future__ import annotations

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_NAMES = "零一二三四五六七八九"


def parse_cn(text: str) -> int:
    """`三十三` → 33, `一百零二` → 102, `十` → 10; Arabic digits pass through. ValueError otherwise."""
    text = text.strip()
    if text.isdigit():
        return int(text.translate(str.maketrans("０１２３４５６７８９", "0123456789")))
    if not text or any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
    return total + (digit or 0)


def to_cn(n: int) -> str:
    """33 → `三十三`, 10 → `十`, 102 → `一百零二`, 110 → `一百一十` — as Chinese laws number articles."""
    if n <= 0 or n >= 10000:
        raise ValueError(f"article numbers run 1..9999, got {n}")
    parts: list[str] = []
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d == 0:
            zero = bool(parts)
            continue
        if zero:
            parts.append("零")
            zero = False
        parts.append(("" if (unit == "十" and d == 1 and not parts) else _NAMES[d]) + unit)
    return "".join(parts)


def article_label(n: int) -> str:
    """33 → `第三十三条`."""
    return f"第{to_cn(n)}条"
