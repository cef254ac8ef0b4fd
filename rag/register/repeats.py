"""重复申请 and 大量反复申请 candidates: pure comparisons the register runs over its cases.

A repeat (第三十六条第（六）项) is the same applicant asking again for the same information
after it was answered; mass requests (第三十五条) are a volume or frequency clearly beyond a
reasonable range. Both are only CANDIDATES for the clerk: the register cannot know that two
descriptions mean the same document, and 第三十五条 requires asking the applicant for the
reasons before refusing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from rag.core.errors import BadInput
from rag.core.fees import Fee, fee_by_count

# Character-bigram Jaccard between two descriptions at or above which they are flagged as the
# same information. Tuned on the table of tests/test_register.py: rewordings of one request
# score 0.70–0.96; other information of the same field (another year, 文号, scheme or permit
# of the same project) 0.02–0.42. The threshold sits between the two.
REPEAT_THRESHOLD = 0.55
# A different year or 文号 number, or a different kind of document (a 方案 is not a 许可证 of the
# same project), means different information however alike the rest of the words are.
CONFLICT_FACTOR = 0.5

# 大量反复申请 candidates: more than 10 requests from one applicant in one calendar month. Ten is
# where the 处理费办法 (国办函〔2020〕109号) ends its free band by count — the national measure of
# "a reasonable range" of frequency; beyond it 第三十五条 lets the agency ask for the reasons
# first, and only then refuse or set a longer period.
MASS_MONTHLY_THRESHOLD = 10

# Words every request uses: they say nothing about which information is sought.
_FILLER = ("申请公开", "请求公开", "要求公开", "依法公开", "予以公开", "申请获取", "请提供", "提供", "申请", "公开",
           "请求", "要求", "贵单位", "贵局", "贵机关", "贵委", "贵办", "贵院", "本人", "我们", "我", "关于", "有关",
           "相关", "以下", "如下", "信息", "政府", "的", "了", "和", "及", "与", "等", "请", "予以")
_NUMBER = re.compile(r"\d+")
# Kinds of document a request names; generic words (文件, 材料, 资料) are left out on purpose.
_DOC_KINDS = ("通知", "决定", "决定书", "批复", "方案", "规划", "计划", "报告", "纪要", "记录", "笔录", "请示", "意见",
              "办法", "规定", "细则", "标准", "公告", "通告", "合同", "协议", "名单", "清单", "目录", "台账", "预算",
              "决算", "许可证", "许可", "执照", "证书", "登记簿", "档案", "图纸", "红线图", "备案", "审批表", "申请表",
              "报表", "年报", "明细", "凭证", "发票", "答复", "复函", "证明", "鉴定", "评估", "验收", "说明", "简报")
_CN_YEAR = str.maketrans("〇零一二三四五六七八九", "00123456789")


@dataclass(frozen=True)
class RepeatCandidate:
    """An earlier case of the same applicant whose description matches the new request."""

    case_id: int
    ref: str
    score: float  # bigram Jaccard, 0–1
    answered: bool  # True: answered already (第三十六条第（六）项 applies); False: still in progress
    answer_date: date | None
    outcome: str | None
    received_date: date
    description: str

    def to_json(self) -> dict:
        return {"case_id": self.case_id, "ref": self.ref, "score": round(self.score, 3),
                "answered": self.answered, "answer_date": self.answer_date.isoformat() if self.answer_date else None,
                "outcome": self.outcome, "received_date": self.received_date.isoformat(),
                "description": self.description}


@dataclass(frozen=True)
class MonthlyCount:
    """How many requests one applicant filed in one calendar month, and what that implies."""

    applicant: str
    month: str  # "2024-03"
    count: int
    case_ids: tuple[int, ...]
    next_fee: Fee  # 按件 fee of one more request this month (处理费办法: per applicant per month)

    @property
    def mass_candidate(self) -> bool:
        """More than the free band: a 第三十五条 candidate (ask for reasons before refusing)."""
        return self.count > MASS_MONTHLY_THRESHOLD

    def to_json(self) -> dict:
        return {"applicant": self.applicant, "month": self.month, "count": self.count,
                "case_ids": list(self.case_ids), "mass_candidate": self.mass_candidate,
                "threshold": MASS_MONTHLY_THRESHOLD, "next_fee": self.next_fee.amount,
                "next_fee_explained": self.next_fee.explain()}


def monthly_count(applicant: str, month: str, case_ids: Iterable[int]) -> MonthlyCount:
    """The count of one applicant's month, with the fee the next request would cost."""
    ids = tuple(case_ids)
    return MonthlyCount(applicant, month, len(ids), ids, fee_by_count(1, len(ids)))


def month_key(value: str | date) -> tuple[int, int]:
    """(year, month) from "2024-03", "2024年3月", "202403" or any date in the month."""
    if isinstance(value, date):
        return value.year, value.month
    text = unicodedata.normalize("NFKC", str(value)).strip()
    m = re.fullmatch(r"(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))(?:[-/.]\d{1,2}日?)?", text)
    month = int((m.group(2) or m.group(3))) if m else 0
    if not m or not 1 <= month <= 12:
        raise BadInput(f"月份应写作 2024-03 或 2024年3月，收到：{value!r}")
    return int(m.group(1)), month


def norm_id(id_number: str) -> str:
    """An identity number for comparison: NFKC, no spaces, upper-case check character."""
    return "".join(unicodedata.normalize("NFKC", id_number or "").split()).upper()


def norm_name(name: str) -> str:
    """A name for comparison: NFKC, no spaces or dots (少数民族姓名的间隔号 varies)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", name or "") if not ch.isspace() and ch not in "·•.．")


def same_applicant(name_a: str, id_a: str, name_b: str, id_b: str) -> bool:
    """Same identity number; or, when either number is missing, the same name."""
    ia, ib = norm_id(id_a), norm_id(id_b)
    if ia and ib:
        return ia == ib
    na, nb = norm_name(name_a), norm_name(name_b)
    return bool(na) and na == nb


def _clean(text: str) -> str:
    t = unicodedata.normalize("NFKC", text or "")
    t = re.sub(r"[〇零一二三四五六七八九]{4}(?=年)", lambda m: m.group().translate(_CN_YEAR), t)
    for word in _FILLER:
        t = t.replace(word, " ")
    return "".join(ch for ch in t if ch.isalnum() or ch == " ")


def bigrams(text: str) -> frozenset[str]:
    """The character bigrams of a description, filler words and punctuation removed."""
    out: set[str] = set()
    for part in _clean(text).split():
        if len(part) == 1:
            out.add(part)
        out.update(part[i:i + 2] for i in range(len(part) - 1))
    return frozenset(out)


def similarity(a: str, b: str) -> float:
    """Jaccard of the two descriptions' bigrams, halved when they name different numbers (year, 文号)
    and halved when they name only different kinds of document."""
    ca, cb = _clean(a), _clean(b)
    ga, gb = bigrams(a), bigrams(b)
    if not ga or not gb:
        return 0.0
    score = len(ga & gb) / len(ga | gb)
    na, nb = set(_NUMBER.findall(ca)), set(_NUMBER.findall(cb))
    if na and nb and na != nb:
        score *= CONFLICT_FACTOR
    ka, kb = {k for k in _DOC_KINDS if k in ca}, {k for k in _DOC_KINDS if k in cb}
    if ka and kb and not ka & kb:
        score *= CONFLICT_FACTOR
    return score
