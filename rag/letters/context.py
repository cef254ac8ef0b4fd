"""What a letter says about its case: the facts (`LetterFacts`), the clerk-fact fields each template
may use (`FIELDS`), and the template context for each outcome or notice — variants, legal bases
as citation strings, the remedy clause's parts, visible gaps for what nobody has supplied.

Pure functions of plain data; rag/letters/draft/draft.py renders and assembles.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from rag.letters import privacy
from rag.core.agency import AgencyProfile, default_reconsideration_body
from rag.core.errors import BadInput
from rag.core.fees import fee
from rag.intake.identity import is_org_name
from rag.core.outcomes import (APPLICANT_TYPES, CONSULTATION_BASIS, CORRECTION, CORRECTION_BASIS, DEADLINE_BASIS,
                          EXTENSION_BASIS, FEE_BASIS, FEE_RULES, FEE_RULES_NUMBER, RECEIPT_BASIS,
                          RECONSIDERATION_FIRST_BASIS, Basis, Outcome, outcome)

_QUOTE_MAX = 300
_LEADING_VERB = re.compile(r"^(?:本人|我|我单位|我公司)?(?:现|特)?(?:依法)?(?:请|申请|请求|要求)(?:依法)?(?:公开|提供)[：:，,]?\s*(?=\S{4})")

# The procedural notices: code (template name) → what the clerk calls it. 补正 is the CLI's word.
NOTICES: dict[str, str] = {
    "correction": "补正告知书",
    "extension": "延期答复告知书",
    "third_party_consult": "第三方意见征询函",
    "third_party_notice": "征求第三方意见告知书",
    "fee_notice": "信息处理费缴费通知",
    "receipt": "受理回执",
}
NOTICE_ALIASES = {
    CORRECTION: "correction", "补正告知": "correction",
    "延期": "extension", "延期答复": "extension", "延期答复告知": "extension",
    "征求第三方意见": "third_party_consult", "第三方意见征询": "third_party_consult", "征求意见书": "third_party_consult",
    "征求意见告知": "third_party_notice", "征求第三方意见告知": "third_party_notice",
    "收费": "fee_notice", "缴费通知": "fee_notice", "信息处理费": "fee_notice", "收费通知": "fee_notice",
    "回执": "receipt", "受理": "receipt",
}


@dataclass(frozen=True)
class _Field:
    label: str  # what the gap says: 【待填：label】
    default: str | None = None  # None: a fact only the clerk knows; else a sensible wording
    kind: str = "text"  # "date": ISO or Chinese date → 2024年3月5日; "law": wrapped in 《》


# Every clerk-supplied fact a template may use (LetterFacts.extra keys). Each template's header
# comment lists the ones it reads. A name not here and not computed below is a template typo.
FIELDS: dict[str, _Field] = {
    "publish_place": _Field("信息已主动公开的途径（网址、栏目或公报期号）"),
    "info_name": _Field("提供的信息名称及页数"),
    "provide_way": _Field("提供方式（随本答复书附送、电子邮件或邮寄等）"),
    "disclosed_parts": _Field("予以公开的内容"),
    "withheld_parts": _Field("不予公开的内容"),
    "withheld_reason": _Field("不予公开部分的理由"),
    "forbidding_law": _Field("禁止公开该信息的法律、行政法规名称", kind="law"),
    "forbidding_article": _Field("该法律、行政法规禁止公开的具体条款"),
    "harm": _Field("公开后可能危及的方面（国家安全、公共安全、经济安全或社会稳定）及理由"),
    "third_party_interest": _Field("所涉第三方权益（商业秘密或个人隐私）"),
    "third_party_opinion": _Field("第三方意见（如不同意公开及其理由，或逾期未提出意见）"),
    "internal_kind": _Field("内部事务信息类型（人事管理、后勤管理或内部工作流程）"),
    "process_kind": _Field("过程性信息类型（讨论记录、过程稿、磋商信函或请示报告）"),
    "case_file_kind": _Field("执法案卷材料类型（如调查笔录、询问笔录、现场检查记录）"),
    "query_kind": _Field("信息类别（如不动产登记资料、市场主体登记资料）"),
    "query_law": _Field("对该信息的获取有特别规定的法律、行政法规名称", kind="law"),
    "query_body": _Field("办理查询的机构"),
    "search_scope": _Field("检索的范围和方式（已检索的档案、系统及关键词）"),
    "holder": _Field("负责公开该信息的机关"),
    "holder_contact": _Field("负责公开该信息的机关的联系方式"),
    "compile_kind": _Field("需要进行的加工、分析", default="加工、汇总、分析"),
    "correction_date": _Field("补正告知书送达日期", kind="date"),
    "correction_number": _Field("补正告知书文号"),
    "correction_deadline": _Field("补正期限届满日", kind="date"),
    "supplement_date": _Field("收到补正材料日期", kind="date"),
    "petition_kind": _Field("申请所反映的诉求", default="反映问题、要求查处或者解决具体事项"),
    "petition_channel": _Field("相应渠道（如信访工作机构、12345政务服务便民热线或有权处理的机关）"),
    "previous_reply_date": _Field("前次答复日期", kind="date"),
    "previous_document_number": _Field("前次答复文号"),
    "publication_name": _Field("公开出版物名称"),
    "publication_source": _Field("获取途径（如公共图书馆、档案馆、出版发行单位或网站）"),
    "request_period": _Field("申请数量、频次的统计期间"),
    "request_count": _Field("申请件数"),
    "reason_request_date": _Field("要求申请人说明理由的日期", kind="date"),
    "reason_outcome": _Field("申请人说明理由的情况"),
    "fee_notice_date": _Field("缴费通知送达日期", kind="date"),
    "payment_deadline": _Field("缴费期限"),  # not in corpus/ (DOMAIN.md §6): the clerk's
    "payment_method": _Field("缴费方式（收款账户或缴费地点）"),
    "other_situation": _Field("具体情形（如申请人于某日撤回申请）"),
    "other_handling": _Field("处理结果"),
    "extension_reason": _Field("延期理由", default="所申请公开的信息需要进一步检索、核实"),
    "third_party_name": _Field("第三方名称或姓名"),
    "consult_date": _Field("书面征求第三方意见日期", kind="date"),
    # 江苏答复规范 一(二)4: a reasonable period "一般不超过15个工作日" (the third party's 15 days).
    "correction_period": _Field("补正期限", default="自收到本告知书之日起15个工作日内"),
}
# Switches and numbers that choose a variant or feed a computation rather than fill a gap.
_CONTROL_KEYS = {"correction_items", "disclose_mode", "not_held_reason", "withheld_ground", "fee_method", "fee_units", "fee_earlier"}
# Requests whose gist points to a special query regime (第三十六条第（七）项).
_QUERY_KINDS = (("不动产|房产|土地登记|产权", "不动产登记资料"), ("营业执照|工商|企业登记|市场主体|股东", "市场主体登记资料"))
_CORRECTION_HINTS = (  # 江苏答复规范 一(二)1–3: say what exactly to supplement
    ("邮寄地址", "请提供邮寄地址（申请要求以邮寄方式获取信息）"),
    ("电子邮箱|邮箱", "请提供电子邮箱（申请要求以电子邮件方式获取信息）"),
    ("身份|证件", "请提供申请人身份证明（如居民身份证、营业执照或统一社会信用代码证书复印件）"),
    ("联系", "请提供申请人联系方式（联系电话、通信地址或电子邮箱）"),
    ("形式|方式|途径", "请明确获取信息的方式、途径（如纸质、电子邮件，自行领取或邮寄）"),
    ("描述|文号|内容|不明确|特征|信息名称", "请补充所需政府信息的名称、文号或者便于本机关查询的其他特征性描述（如制作机关、时间、事项）"),
    ("姓名|名称", "请提供申请人的姓名或者名称"),
)


@dataclass(frozen=True)
class LetterFacts:
    """What is known about the request: from triage and from the clerk. Plain data."""

    applicant_name: str = ""
    applicant_kind: str = ""  # 自然人 or an organisation column of table 三; "" = unknown
    received_date: date | None = None
    request_quote: str = ""  # the request as the letter quotes it
    request_text: str = ""  # the full request (agency.holder_elsewhere, special-query hints)
    document_number: str = ""  # the N of 文号, or a whole 文号
    letter_date: date | None = None
    deadlines: Mapping[str, date | str] = field(default_factory=dict)  # reply, reply_extended, correction_notice
    correction_items: tuple[str, ...] = ()
    applicant_ids: tuple[str, ...] = ()  # the applicant's own ID number, phone, address: may stay
    extra: Mapping[str, str] = field(default_factory=dict)  # clerk facts keyed by FIELDS names


def gap(label: str) -> str:
    """The visible marker of a fact the clerk still has to fill in."""
    return f"【待填：{label}】"


def cite_joined(bases: tuple[Basis, ...]) -> str:
    """`《条例》第十六条第二款、第三十六条第（三）项` — one title per run of the same law."""
    out, last = "", ""
    for b in bases:
        out += ("、" + b.article + b.part) if b.law == last else (("、" if out else "") + b.cite())
        last = b.law
    return out


# ---------------------------------------------------------------- context

def build_context(code: str, facts: LetterFacts, agency: AgencyProfile, allowed: tuple[str, ...],
                  warnings: list[str]) -> dict:
    """The computed part of a template's context: parties, dates, quote, 文号, basis, remedy, variants."""
    letter_year = (facts.letter_date or facts.received_date)
    ctx: dict = {
        "salutation": facts.applicant_name.strip() or gap("申请人姓名或名称"),
        "you": _you(facts),
        "received_date": cn_date(facts.received_date) if facts.received_date else gap("收到申请日期"),
        "request_quote": _quote(facts.request_quote, allowed, warnings),  # never the raw form: it holds IDs
        "doc_number": _doc_number(agency.doc_prefix, facts.document_number, letter_year.year if letter_year else None),
        "letter_date": cn_date(facts.letter_date) if facts.letter_date else gap("落款日期"),
        "agency_name": agency.name,
        "contact_unit": agency.contact or gap("联系单位"),
        "contact_phone": agency.phone or gap("联系电话"),
        "contact_address": agency.address or gap("通信地址"),
        "remedy_kind": "none",
        "basis": "",
    }
    for key, deadline in (("reply_due", "reply"), ("extended_due", "reply_extended")):
        due = as_date(facts.deadlines.get(deadline))
        ctx[key] = cn_date(due) if due else gap({"reply_due": "答复期限", "extended_due": "延长后的答复期限"}[key])
    if code in NOTICES:
        ctx.update(_notice_context(code, facts))
        return ctx
    o = outcome(code)
    bases = o.basis
    if code == "disclose":
        published = _published(facts.extra)
        ctx["variant"] = "published" if published else "provide"
        bases = (o.basis[0],) if published else (o.basis[1],)
    elif code == "not_held":
        holder = str(facts.extra.get("holder", "")).strip() or agency.holder_elsewhere(facts.request_text or facts.request_quote)
        choice = _choice(facts.extra, "not_held_reason", {"不存在": False, "absent": False, "（四）": False,
                                                          "非本机关": True, "elsewhere": True, "（五）": True})
        elsewhere = choice if choice is not None else bool(holder)
        if choice is None and not holder:
            warnings.append("未说明是“经检索不存在”还是“不属于本机关负责公开”，按第三十六条第（四）项（不存在）起草；"
                            "如属其他机关负责公开，请提供 holder（负责公开的机关）")
        ctx["variant"] = "elsewhere" if elsewhere else "absent"
        bases = (o.basis[1],) if elsewhere else (o.basis[0],)
        if holder:
            ctx["holder"] = holder
    elif code == "partial":
        ctx["withheld_cite"] = _withheld_cite(facts.extra)
    elif code == "special_query":
        hint = agency.holder_elsewhere(facts.request_text or facts.request_quote)
        if hint and not facts.extra.get("query_body"):
            ctx["query_body"] = hint
        if not facts.extra.get("query_kind"):
            for pattern, label in _QUERY_KINDS:
                if re.search(pattern, facts.request_text or facts.request_quote):
                    ctx["query_kind"] = label
                    break
    elif code == "fee_unpaid":
        ctx["fee_rules"] = f"《{FEE_RULES}》（{FEE_RULES_NUMBER}）"
    ctx["basis"] = cite_joined(bases)
    ctx.update(_remedy_context(o, agency, warnings))
    return ctx


def _notice_context(code: str, facts: LetterFacts) -> dict:
    ctx: dict = {}
    if code == "correction":
        ctx["basis"] = cite_joined(CORRECTION_BASIS)
        # The clerk may add items triage cannot see (e.g. a description too vague to search).
        added = tuple(re.split(r"[；;\n]+", str(facts.extra.get("correction_items", ""))))
        ctx["correction_items"] = _correction_items(facts.correction_items + added)
    elif code == "extension":
        ctx["basis"] = EXTENSION_BASIS.cite()
    elif code in ("third_party_consult", "third_party_notice"):
        ctx["basis"] = CONSULTATION_BASIS[0].cite()  # 第三十二条: third parties (第三十四条 is agencies)
        ctx["cite_not_counted"] = CONSULTATION_BASIS[2].cite()  # 第三十三条第三款
        name = str(facts.extra.get("third_party_name", "")).strip()
        ctx["addressee_you"] = "贵单位" if name and is_org_name(name) else "您"
    elif code == "fee_notice":
        ctx["basis"] = FEE_BASIS.cite()
        ctx["fee_rules"] = f"《{FEE_RULES}》（{FEE_RULES_NUMBER}）"
        ctx.update(_fee_context(facts.extra))
    elif code == "receipt":
        ctx["basis"] = RECEIPT_BASIS.cite()
        ctx["cite_deadline"] = DEADLINE_BASIS.cite()
    return ctx


def _remedy_context(o: Outcome, agency: AgencyProfile, warnings: list[str]) -> dict:
    body = agency.reconsideration_body.strip()
    if not body:
        body = default_reconsideration_body(agency)
        if body:
            warnings.append(f"行政复议机关按机关名称推定为“{body}”（行政复议法第二十四条），请核对")
        else:
            body = gap("行政复议机关")
    # 复议前置 (行政复议法第二十三条第一款第（四）项; 实施条例第三十一条: 全部或者部分不予公开):
    # a refusal must send the applicant to reconsideration first, and must say so (同条第二款).
    kind = "normal"
    if o.refusal:
        kind = "partial" if o.group == "部分公开" else "refusal"
    return {"remedy_kind": kind, "review_body": body, "court": agency.court_or_default,
            "cite_review_first": RECONSIDERATION_FIRST_BASIS.cite()}


def _fee_context(extra: Mapping[str, str]) -> dict:
    method, units = str(extra.get("fee_method", "")).strip(), str(extra.get("fee_units", "")).strip()
    if not method or not units:
        return {"fee_method": gap("计费方式（按件或按量）"), "fee_detail": gap("收费计算过程"),
                "fee_amount": gap("收费金额")}
    try:
        count, earlier = int(units), int(str(extra.get("fee_earlier", "0")).strip() or 0)
    except ValueError as exc:
        raise BadInput(f"收费件数/页数应为整数，收到：{units!r}") from exc
    f = fee(method, count, earlier)
    return {"fee_method": f.method, "fee_detail": f.explain(), "fee_amount": str(f.amount)}


def _withheld_cite(extra: Mapping[str, str]) -> str:
    ground = str(extra.get("withheld_ground", "")).strip()
    if not ground:
        return gap("不予公开部分的法律依据（条例第十四条、第十五条或第十六条）")
    o = outcome(ground)
    if o.group != "不予公开" or o.code == "special_query":
        raise BadInput(f"部分公开中不予公开部分的依据应为条例第十四至十六条的不予公开情形，收到：{ground}")
    return cite_joined(o.basis)


def _correction_items(items: tuple[str, ...]) -> tuple[str, ...]:
    out: list[str] = []
    for item in (i.strip() for i in items if i and i.strip()):
        hint = next((h for pattern, h in _CORRECTION_HINTS if re.search(pattern, item)), "")
        line = hint if hint and len(item) <= 20 else item.rstrip("。；;")
        if line not in out:
            out.append(line)
    return tuple(out) or (gap("需要补正的事项"),)


def _field_value(key: str, extra: Mapping[str, str]) -> str:
    spec = FIELDS[key]
    value = str(extra.get(key, "") or "").strip()
    if not value:
        return spec.default if spec.default is not None else gap(spec.label)
    if spec.kind == "date":
        d = as_date(value)
        return cn_date(d) if d else value
    if spec.kind == "law":
        return value if value.startswith("《") else f"《{value.strip('《》')}》"
    return value.rstrip("。；;，, ")  # facts sit inside sentences that bring their own punctuation


def _published(extra: Mapping[str, str]) -> bool:
    mode = _choice(extra, "disclose_mode", {"已主动公开": True, "主动公开": True, "published": True, "（一）": True,
                                            "提供": False, "provide": False, "（二）": False})
    return mode if mode is not None else bool(str(extra.get("publish_place", "")).strip())


def _choice(extra: Mapping[str, str], key: str, options: dict[str, bool]) -> bool | None:
    value = str(extra.get(key, "")).strip()
    if not value:
        return None
    if value not in options:
        raise BadInput(f"{key} 应为 {'、'.join(options)} 之一，收到：{value!r}")
    return options[value]


def _you(facts: LetterFacts) -> str:
    kind = facts.applicant_kind.strip()
    org = kind in APPLICANT_TYPES[1:] or (not kind and is_org_name(facts.applicant_name))
    return "你单位" if org else "您"


def _quote(text: str, allowed: tuple[str, ...], warnings: list[str]) -> str:
    quote = re.sub(r"\s+", " ", text).strip().rstrip("。；;，, ")
    # "申请公开“请公开……”" reads twice: drop the request's own verb.
    quote = _LEADING_VERB.sub("", quote, count=1) or quote
    if not quote:
        return gap("申请公开的信息内容")
    findings = privacy.scan(quote, allowed)
    if findings:  # a request often names a neighbour, a licensee, a complainant: never repeat their data
        warnings.append("引述申请内容时已隐去第三方个人信息：" + "、".join(f"{f.kind} {f.masked()}" for f in findings))
        quote = privacy.redact(quote, allowed)
    quote = quote.replace("“", "‘").replace("”", "’")
    if len(quote) > _QUOTE_MAX:
        warnings.append(f"申请内容较长，引述时截取前{_QUOTE_MAX}字，请核对")
        quote = quote[:_QUOTE_MAX] + "……"
    return quote


def _doc_number(prefix: str, given: str, year: int | None) -> str:
    given = given.strip()
    if "〔" in given or "[" in given:
        return given
    if not prefix:
        return f"{gap('文号')}" if not given else f"{gap('文号前缀')}〔{year or gap('年份')}〕{given}号"
    return f"{prefix}〔{year or gap('年份')}〕{given.removesuffix('号') or gap('文号序号')}号"


def cn_date(d: date) -> str:
    """2024年3月20日 — the form of dates in official letters (GB/T 9704: Arabic numerals)."""
    return f"{d.year}年{d.month}月{d.day}日"


def as_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    m = re.fullmatch(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*", str(value or ""))
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def date_warnings(code: str, facts: LetterFacts) -> list[str]:
    """A letter dated after its legal deadline: the 补正 notice (7 working days, 第三十条), the
    extension notice (before the first 20 days end, 第三十三条第二款), a reply (the extended date if any)."""
    key = {"correction": "correction_notice", "extension": "reply"}.get(code)
    if not facts.letter_date or (code in NOTICES and not key):
        return []
    for k in ((key,) if key else ("reply_extended", "reply")):
        due = as_date(facts.deadlines.get(k))
        if due:
            return [f"落款日期{cn_date(facts.letter_date)}已超过期限{cn_date(due)}，请核对"] if facts.letter_date > due else []
    return []


def fill_fields(names: set[str], context: dict, extra: Mapping[str, str]) -> list[str]:
    """Add every clerk field among `names` not yet in `context` (value, default or gap); return unknown extra keys."""
    for key in names:
        if key not in context and key in FIELDS:
            context[key] = _field_value(key, extra)
    return sorted(set(extra) - set(FIELDS) - _CONTROL_KEYS)


