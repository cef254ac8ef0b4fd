"""Personal data in a text: 居民身份证 numbers, phones, street/village addresses, e-mail, bank cards.

A reply letter must never carry a third party's identity number, phone or address (条例第十五条:
个人隐私; 个人信息保护法第二十八条 counts identity and financial account data as sensitive). The
same scan checks any document before publication. `allowed` holds the identifiers the text may
keep (the applicant's own, the agency's own contact): compared after removing separators.

A 统一社会信用代码 (USCC) is an organisation's public registration number, not personal data:
a valid one is skipped. Names of natural persons are not detected (no reliable offline rule).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from rag.intake.identity import check_id_card, check_uscc

ID_NUMBER = "身份证号码"
MOBILE = "手机号码"
LANDLINE = "固定电话"
ADDRESS = "住址"
EMAIL = "电子邮箱"
BANK_CARD = "银行卡号"


_NUM = "0-9０-９"
_CN_NUM = "0-9０-９一二三四五六七八九十百零〇两"
# A run of digits (possibly with spaces/hyphens inside) not glued to other digits or letters.
_DIGIT_RUN = re.compile(rf"(?<![{_NUM}A-Za-z])[{_NUM}](?:[{_NUM} \-]*[{_NUM}Xx])?(?![{_NUM}A-Za-z])")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_LANDLINE = re.compile(rf"(?<![{_NUM}])(?:[（(]0\d{{2,3}}[）)]\s?|0\d{{2,3}}[\- ])\d{{7,8}}(?:[\-转]\d{{1,5}})?(?![{_NUM}])")
# A bare 7–8 digit number right after a phone label ("电话：88881234").
_LABELLED_LOCAL = re.compile(rf"(?:电话|手机|联系方式|Tel|TEL|tel)[:：\s]*(\d{{7,8}})(?![{_NUM}])")
_HAN = "\u4e00-\u9fa5"
# Address tails, anchored on what makes an address personal (a house, a flat, a village group):
# …路/街/巷/弄/大道 N号 [N幢/栋/单元/室…] ("街道" is a district, not a street); …小区/花园/苑 N幢…;
# …村 N组 / …村 N号. The place name before the tail is added by `_extend_back`.
_UNIT = rf"(?:(?:之)?[{_CN_NUM}A-Za-z\-]+(?:幢|栋|座|号楼|楼|单元|室|层|号))*"
_ADDRESS_TAILS = (
    re.compile(rf"(?:路|街(?!道)|巷|弄|大道|胡同)[{_CN_NUM}]+(?:-[{_NUM}]+)?号{_UNIT}"),
    re.compile(rf"(?:小区|花园|公寓|新村|苑|大厦)[{_CN_NUM}A-Za-z\-]+(?:幢|栋|座|号楼){_UNIT}"),
    re.compile(rf"村[{_CN_NUM}]+(?:组|社|队)(?:[{_CN_NUM}]+号{_UNIT})?"),
    re.compile(rf"村[{_CN_NUM}]+号{_UNIT}"),
)
# Walking back from a tail: place-name characters only; stop at punctuation and at the words
# that introduce an address (住在、位于、地址…), so a redaction does not swallow the sentence.
_STOP_CHARS = set("在于住址的为及和与向是系")
_MAX_PLACE = 30


@dataclass(frozen=True)
class Finding:
    """One piece of personal data: what kind, the text as found, where."""

    kind: str
    value: str
    start: int
    end: int

    def masked(self) -> str:
        """The value with its middle hidden, for warnings that must not repeat the data."""
        v = self.value
        if len(v) <= 4:
            return "＊" * len(v)
        keep = max(1, len(v) // 4)
        return v[:keep] + "＊" * (len(v) - 2 * keep) + v[-keep:]


def scan(text: str, allowed: Iterable[str] = ()) -> tuple[Finding, ...]:
    """Every identity number, phone, address, e-mail and bank card in `text`, except `allowed` ones."""
    ok = {_norm(a) for a in allowed if a and a.strip()}
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int) -> None:
        if any(s < end and start < e for s, e in taken):
            return
        value = text[start:end]
        taken.append((start, end))
        if _norm(value) in ok or any(_norm(value) in a for a in ok if len(a) > 10):
            return
        found.append(Finding(kind, value, start, end))

    for m in _EMAIL.finditer(text):
        add(EMAIL, m.start(), m.end())
    for m in _DIGIT_RUN.finditer(text):
        kind = _digit_kind(m.group())
        if kind:
            add(kind, m.start(), m.end())
    for m in _LANDLINE.finditer(text):
        add(LANDLINE, m.start(), m.end())
    for m in _LABELLED_LOCAL.finditer(text):
        add(LANDLINE, m.start(1), m.end(1))
    for pattern in _ADDRESS_TAILS:
        for m in pattern.finditer(text):
            add(ADDRESS, _extend_back(text, m.start()), m.end())
    return tuple(sorted(found, key=lambda f: f.start))


def redact(text: str, allowed: Iterable[str] = ()) -> str:
    """`text` with every finding of `scan` replaced by a visible 【…已隐去】 marker."""
    out = text
    for f in sorted(scan(text, allowed), key=lambda f: f.start, reverse=True):
        out = out[: f.start] + f"【{f.kind}已隐去】" + out[f.end:]
    return out


def _digit_kind(raw: str) -> str:
    digits = re.sub(r"[ \-]", "", raw).translate(str.maketrans("０１２３４５６７８９", "0123456789")).upper()
    if not re.fullmatch(r"\d+X?", digits):
        return ""
    if len(digits) == 18 and check_uscc(digits) and not check_id_card(digits):
        return ""  # an organisation's public code (all-digit USCCs exist, e.g. 12… public institutions)
    if len(digits) in (15, 18) and check_id_card(digits):
        return ID_NUMBER  # 15 digits: a first-generation card (region, YYMMDD, sequence)
    if len(digits) == 11 and re.fullmatch(r"1[3-9]\d{9}", digits):
        return MOBILE
    if len(digits) == 13 and re.fullmatch(r"861[3-9]\d{9}", digits):
        return MOBILE
    if 16 <= len(digits) <= 19 and digits.isdigit() and _luhn(digits):
        return BANK_CARD
    if len(digits) == 18 and digits[0] in "1234568" and _birth_ok(digits[6:14]):
        return ID_NUMBER  # a mistyped check character still identifies a person
    return ""


def _extend_back(text: str, start: int) -> int:
    i = start
    while i > 0 and start - i < _MAX_PLACE:
        ch = text[i - 1]
        if not "\u4e00" <= ch <= "\u9fa5" or ch in _STOP_CHARS:
            break
        i -= 1
    return i


def _birth_ok(yyyymmdd: str) -> bool:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return date(1880, 1, 1) <= born <= date.today()


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _norm(value: str) -> str:
    return re.sub(r"[\s\-（）()]", "", value).upper()
