"""The transparent rule layer of triage: named signals, each with the text that fired it, the
step of the clerk's order (七步法, ../shared/DOMAIN.md) it belongs to, and weighted votes for
outcomes. The statistical model (rag.triage.model) handles the fuzzy rest; rag.triage.decide fuses both.

Votes are in logit units: about 3 = the wording nearly settles it, 2 = a strong hint, 1 = a hint;
a negative vote argues against an outcome. Every pattern is a legal category's vocabulary, never
the wording of one example. The receiving agency's duties (第十条, 第三十六条第（五）项) come from
its profile or, failing that, from the agency-kind table read by rag.triage.duties.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rag.core.agency import AgencyProfile
from rag.intake.parse import Request
from rag.triage.duties import AgencyKind, Duties, agency_kind, obtained_in_work, other_issuer, own_duty
from rag.triage.patterns import (RULES, STEPS, Rule, contradictory_reference, on_behalf_without_authorisation,
                                 specific_document, vague_description)

__all__ = ["CORRECTION", "STEPS", "Signal", "HistoryFacts", "signals", "votes", "step1_features", "correction_items"]

# The vote key of the 补正 action (not an outcome: 第二十九条, 第三十条).
CORRECTION = "correction"


@dataclass(frozen=True)
class Signal:
    """One fired rule: why, where in the text, which step, and its votes (outcome code → weight)."""

    code: str
    label: str
    step: int
    span: str
    votes: tuple[tuple[str, float], ...]
    detail: str = ""  # e.g. the body that holds the information

    def describe(self) -> str:
        """`第2步·是不是｜要求查处：“请贵局立即查封”` — the line shown to the clerk."""
        span = f"：“{self.span}”" if self.span else ""
        detail = f"（{self.detail}）" if self.detail else ""
        return f"第{self.step}步·{STEPS[self.step]}｜{self.label}{span}{detail}"



@dataclass(frozen=True)
class HistoryFacts:
    """What the register knows about this applicant: earlier answered same requests, this month's count."""

    repeats: tuple[str, ...] = ()  # one line per earlier answered request for the same information
    month_count: int = 0  # requests of this applicant in the calendar month of receipt (this one included)
    # 第三十五条 sets no number; the register flags a month beyond the free band of the 处理费办法
    # (10 requests) as a candidate — the clerk must still ask for reasons before refusing.
    mass_candidate: bool = False



# ---------------------------------------------------------------- all signals of one request

def signals(request: Request, agency: AgencyProfile, duties: Duties,
            history: HistoryFacts | None = None) -> tuple[Signal, ...]:
    """Every signal the request fires, in the order of the clerk's steps."""
    text = request.text
    found: list[Signal] = []
    found.extend(_completeness(request))
    for rule in RULES:
        s = _fire(rule, text)
        if s:
            found.append(s)
    found.extend(_responsibility(request, agency, duties, found))
    if history is not None:
        found.extend(_history(history))
    found = _preempt(found)
    found.extend(_nothing_against(found))
    return tuple(sorted(found, key=lambda s: s.step))


def _preempt(found: list[Signal]) -> list[Signal]:
    """The clerk's order decides: once an earlier step settles the case — not a disclosure request
    (第2步), not this agency's information (第3步), nothing already made (第4步) — the 怎么给 signals of
    step 6 ("a formal document: disclose") no longer vote; they stay listed, without weight."""
    settled = any(s.step in (2, 3, 4) and any(w >= _SETTLES and code not in ("disclose", CORRECTION)
                                                for code, w in s.votes) for s in found)
    if not settled:
        return found
    return [replace(s, votes=tuple((c, w) for c, w in s.votes if c != "disclose")) if s.step >= 6 else s
            for s in found]


# A vote this strong from steps 2–4 settles the case before step 6 is reached.
_SETTLES = 1.5


def _nothing_against(found: list[Signal]) -> list[Signal]:
    """怎么给: when no step of the order found a reason not to (not a request, not ours, not existing,
    an exception), the information is to be disclosed (第三十六条第（一）（二）项) — the default, not a guess."""
    against = any(w >= 1.5 and code not in ("disclose", CORRECTION)
                  for s in found if s.step >= 2 for code, w in s.votes)
    if against:
        return []
    return [Signal("no_exception", "未发现不予公开、无法提供或不予处理的情形", 6, "", (("disclose", 1.0),))]


# Outcomes for which completeness does not matter: nothing will be searched or sent.
_MOOT = frozenset({"petition", "repeat", "publication", "mass_requests", "confirm_reissue", "no_correction",
                   "fee_unpaid", "other", "still_unclear"})


def step1_features(found: Sequence[Signal]) -> tuple[float, float, float, float, float, float]:
    """(what is missing, how vague, how strongly no search is needed, clerk's case note, a named document,
    第二十九条 gate) —
    the 补正 model's inputs.

    A withdrawal, a petition or a clerk's note about an earlier 补正 makes completeness moot: the
    office does not ask a petitioner for an ID before pointing to the 信访 channel (第三十九条). The
    gate is the legal rule itself: a whole 第二十九条 item absent (no identity, no way to reach the
    applicant, nothing searchable) in what is otherwise a request.
    """
    missing = sum(dict(s.votes).get(CORRECTION, 0.0) for s in found if s.code == "incomplete")
    vague = sum(dict(s.votes).get(CORRECTION, 0.0) for s in found if s.code in ("vague_description", "contradictory_reference"))
    # The completeness signals' own small votes for 补正后仍不明确/逾期不补正 say nothing about mootness.
    moot = min(sum(w for s in found if s.step > 1 for code, w in s.votes if code in _MOOT and w > 0), 6.0)
    note = float(any(s.code == "case_note" for s in found))
    specific = float(any(s.code == "specific_description" for s in found))
    # Vagueness is a judgment the 补正 model weighs (the patterns are imprecise); a whole missing
    # identity or contact is not.
    gate = float(missing >= _WHOLE_ITEM and moot == 0 and not note)
    return missing, vague, moot, note, specific, gate


# The weight of one whole 第二十九条 item (identity or contact) missing, see `_completeness`.
_WHOLE_ITEM = 2.0


def votes(found: Sequence[Signal]) -> dict[str, float]:
    """Sum of the votes per outcome code (and CORRECTION)."""
    out: dict[str, float] = {}
    for s in found:
        for code, weight in s.votes:
            out[code] = out.get(code, 0.0) + weight
    return out


def _fire(rule: Rule, text: str) -> Signal | None:
    m = rule.pattern.search(text)
    if not m or (rule.unless is not None and rule.unless.search(text)):
        return None
    return Signal(rule.code, rule.label, rule.step, _span(m.group()), rule.votes)


def _span(s: str, limit: int = 40) -> str:
    s = re.sub(r"\s+", " ", s).strip()
    return s if len(s) <= limit else s[:limit - 1] + "…"


# ---------------------------------------------------------------- step 1: 补不补 (第二十九条, 第三十条)

_PHONE_FIELD = re.compile(r"(?:电话|手机|联系方式)(?:号码)?\s*[:：|｜]?\s*([\d\-\s]{5,20}\d)")


def _valid_phone(value: str) -> bool:
    digits = re.sub(r"\D", "", value)
    return bool(re.fullmatch(r"1[3-9]\d{9}|0\d{9,11}|\d{7,8}|86\d{11}", digits))


_BLANK_FIELD = re.compile(r"(?:电子邮箱|电子邮件地址|邮箱|邮寄地址|通信地址|通讯地址|联系地址)\s*[:：|｜]\s*(?:[（(]?(?:空|无|未填|略)[）)]?\s*)?(?:$|\n|\|)", re.M)


def _completeness(request: Request) -> list[Signal]:
    out: list[Signal] = []
    focus = request.description or request.text
    vague = vague_description(focus)
    if vague:
        # A 文号 or a 《title》 beside the vague words still allows a search.
        anchored = bool(request.document_numbers or re.search(r"《[^》]{4,}》|包括|如下|以下|[（(]1[)）]|^\s*1[.．、]", focus, re.M))
        w = 0.8 if anchored else 2.5
        out.append(Signal("vague_description", "所需信息描述不明确、无法检索", 1, _span(vague),
                          (("correction", w), ("still_unclear", w * 0.4), ("no_correction", w * 0.2)),
                          "第二十九条第二款第（二）项"))
    named = specific_document(focus)
    if named and not vague:
        # A named document ("2025年城乡居民最低生活保障标准调整的通知", a 文号, a 《title》) can be searched:
        # evidence against 补正 of the description (第二十九条第二款第（二）项 is met).
        out.append(Signal("specific_description", "所需信息有名称、文号或其他特征，可以检索", 1, _span(named), (),
                          "第二十九条第二款第（二）项"))
    clash = contradictory_reference(focus)
    if clash:
        out.append(Signal("contradictory_reference", "文件名称与文号相互矛盾，无法确定所指文件", 1, _span(clash),
                          (("correction", 2.0),), "第二十九条第二款第（二）项"))
    a = request.applicant
    weights: dict[str, float] = {}
    agent = on_behalf_without_authorisation(request.text)
    if agent:
        weights["身份证明"] = 2.0  # 代理申请: the principal's identity and a 授权委托书 are needed
    if not a.name:
        # A portal account or an ID number still identifies someone; nothing at all is anonymous.
        weights["申请人姓名或名称"] = 0.5 if a.id_number else 2.0
    if "身份证明" in request.missing:
        # A company always has a 统一社会信用代码; other bodies (业委会, 村民小组) may only have a 备案.
        weights["身份证明"] = 2.0 if a.kind == "自然人" or a.applicant_type == "商业企业" else 1.5
    online = request.channel in ("电子邮件", "网络")
    if "联系方式" in request.missing:
        # No phone, address or e-mail: the office cannot even send the answer. An e-mail or a portal
        # account is itself a way to reach the applicant.
        weights["联系方式"] = 0.3 if online else 2.0
    ways = request.delivery_method.split("、")
    if ("邮寄" in ways and not a.address) or ("电子邮件" in ways and not a.email):
        # 江苏答复规范: the chosen way of delivery cannot be carried out. With a phone number the
        # office can still ask (intake then does not list 邮寄地址/电子邮箱 as missing: a hint only);
        # a field left blank on the form, or no phone at all, is a 补正 item.
        blank = bool(_BLANK_FIELD.search(request.text))
        weights["联系方式"] = max(weights.get("联系方式", 0.0), 1.5 if blank or not a.phone else 0.5)
    bad_phone = _PHONE_FIELD.search(request.text)
    if bad_phone and not a.phone and not _valid_phone(bad_phone.group(1)):
        # A number that is no phone number (10 digits, a digit missing): the office cannot call back.
        weights["联系方式"] = max(weights.get("联系方式", 0.0), 1.5 if (a.address or a.email) else 2.0)
    for note in request.notes:
        if "部分隐去" in note:  # a masked number identifies nobody
            weights["身份证明"] = 2.0
        elif "校验位不符" in note:
            # A wrong check character is most often a typing slip: the applicant did give an identity
            # (第二十九条 asks for one); the clerk checks it (checklist) rather than sending a 补正 for it alone.
            weights["身份证明"] = max(weights.get("身份证明", 0.0), 0.5)
    if a.id_number and a.id_type in ("居民身份证", "其他") and re.fullmatch(r"\d{14}|\d{16,17}|\d{19,20}", a.id_number):
        weights["身份证明"] = 2.0  # a 居民身份证 number has 18 characters (15 on old cards): one is missing or extra
    if "获取方式" in request.missing:
        # Intake lists it only when the way was asked and left open (a blank or unticked 获取方式,
        # "未说明如何领取", WeChat only, every box ticked); a letter silent on it lets the office choose (第四十条).
        weights["获取方式"] = 1.5
    if weights:
        # One notice lists every gap (第三十条: 一次性告知): the gaps vote once, not once each.
        items = [i for i in _ORDER if i in weights]
        out.append(Signal("incomplete", "申请缺少第二十九条规定的内容", 1, "、".join(items),
                          (("correction", min(2.5, sum(weights.values()))),), "第二十九条第二款"))
    return out


_ORDER = ("申请人姓名或名称", "身份证明", "联系方式", "所需信息描述", "获取方式")


def correction_items(found: Sequence[Signal], request: Request) -> tuple[str, ...]:
    """The 补正 items, in 第二十九条 order, from the signals that fired (the notice lists them once, 第三十条)."""
    items: set[str] = set()
    for s in found:
        if s.code == "incomplete":
            items.update(s.span.split("、"))
        elif s.code in ("vague_description", "contradictory_reference"):
            items.add("所需信息描述")
    if "获取方式" in request.missing and items:
        items.add("获取方式")  # 江苏答复规范: one notice covers every gap, delivery included
    if "所需信息描述" in request.missing and items and not request.description.strip():
        items.add("所需信息描述")
    return tuple(i for i in _ORDER if i in items)


# ---------------------------------------------------------------- step 3: 谁负责 (第十条, 第三十六条第（五）项)

def _responsibility(request: Request, agency: AgencyProfile, duties: Duties, found: list[Signal]) -> list[Signal]:
    text = request.text
    focus = request.description or text
    out: list[Signal] = []
    # Material the agency obtained in its work (a permit application, a filing) is its information
    # even when a company made it (第十条第一款: 行政机关获取的信息, 由保存该信息的行政机关负责公开).
    obtained = obtained_in_work(text)
    for holder in duties.holders:
        m = holder.records.search(focus) or holder.records.search(text)
        if m and not obtained:
            out.append(Signal("non_government_holder", "信息由非行政机关制作保存", 3, _span(m.group()),
                              (("not_held", 4.0), ("disclose", -1.0)), holder.body))
            break
    issuer = other_issuer(request.description, agency) if not obtained else ""
    if issuer and not out:
        # 第十条: information made by another administrative body is disclosed by the body that made it.
        out.append(Signal("other_issuer", "所需信息由其他机关制作", 3, _span(issuer), (("not_held", 2.0),), issuer))
    kind = agency_kind(agency.name, duties)
    own = own_duty(focus, agency, kind)
    if own:
        out.append(Signal("own_duty", "属于本机关职责范围", 3, _span(own), (("not_held", -1.5),), agency.name))
    # A record that only one kind of body makes (a 交通事故认定书, a 施工许可证) is that body's,
    # whatever else the request mentions (第十条: 谁制作谁公开).
    if not obtained:
        for other in duties.kinds:
            if other is kind or other.records is None:
                continue
            m = other.records.search(focus)
            if m and not (kind is not None and kind.records is not None and kind.records.search(m.group())):
                out.append(Signal("other_agency_record", f"该类文书由{other.name}部门制作", 3, _span(m.group()),
                                  (("not_held", 4.0), ("disclose", -1.0)), other.body))
                return out
    elsewhere = agency.holder_elsewhere(focus)
    if elsewhere and not own:
        m = next((re.search(e.topic, focus) for e in agency.elsewhere if e.body == elsewhere), None)
        out.append(Signal("profile_elsewhere", "本机关概况列明该类信息由其他机关负责", 3, _span(m.group() if m else ""),
                          (("not_held", 2.5),), elsewhere))
        return out
    if own or kind is None or kind.general or obtained:
        return out
    best: tuple[int, AgencyKind, str] | None = None
    for other in duties.kinds:
        if other is kind or other.general or other.duties is None:
            continue
        hits = list(dict.fromkeys(m.group() for m in other.duties.finditer(focus)))
        if hits and (best is None or len(hits) > best[0]):
            best = (len(hits), other, "、".join(hits[:3]))
    if best:
        # Several words of one other domain and none of ours: the information is that body's.
        out.append(Signal("other_agency_duty", f"属于{best[1].name}部门的职责", 3, _span(best[2]),
                          (("not_held", 2.5 if best[0] >= 2 else 1.5),), best[1].body))
    return out


# ---------------------------------------------------------------- repeat and mass requests from the register

def _history(history: HistoryFacts) -> list[Signal]:
    out: list[Signal] = []
    if history.repeats:
        out.append(Signal("register_repeat", "登记簿中有同一申请人就同一信息已答复的申请", 5, _span(history.repeats[0], 60),
                          (("repeat", 6.0),), "第三十六条第（六）项"))  # a register fact, not a guess from wording
    if history.mass_candidate:
        out.append(Signal("register_volume", f"同一申请人本月已提交{history.month_count}件申请", 5, "",
                          (("mass_requests", 1.0),), "第三十五条：先要求说明理由"))
    return out
