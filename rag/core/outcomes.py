"""The closed vocabulary: the 21 outcomes of the annual report's table 三, the 补正 action,
and the legal basis of each — stated once, here.

Row labels are those of the 2021 report format (国办公开办函〔2021〕30号). The classifier's
labels, the letter templates, the register's outcome column and the report rows all come
from this table; nothing else in the product spells an outcome or its article.
"""

from __future__ import annotations

from dataclasses import dataclass

from rag.core.errors import UnknownOutcome

REGULATION = "中华人民共和国政府信息公开条例"
RECONSIDERATION_LAW = "中华人民共和国行政复议法"
LITIGATION_LAW = "中华人民共和国行政诉讼法"

# The 补正 action (第二十九条, 第三十条) is not an outcome: the request is answered later.
CORRECTION = "补正"
ANSWER = "答复"

GROUPS: tuple[str, ...] = ("予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理")

# Applicant-type columns of table 三, in order; the seventh column is their 总计.
APPLICANT_TYPES: tuple[str, ...] = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
TOTAL_COLUMN = "总计"


@dataclass(frozen=True)
class Basis:
    """One provision: law title as it stands in corpus/, article label, optional 款/项."""

    law: str
    article: str
    part: str = ""  # e.g. "第二款", "第（四）项", "第一款第四项" — as the law's own numbering reads

    def cite(self) -> str:
        """`《中华人民共和国政府信息公开条例》第十六条第二款`."""
        return f"《{self.law}》{self.article}{self.part}"


def _reg(article: str, part: str = "") -> Basis:
    return Basis(REGULATION, article, part)


@dataclass(frozen=True)
class Outcome:
    """One row of table 三's 本年度办理结果."""

    group: str
    item: str
    code: str  # ASCII name: letter template file, register column, API value
    basis: tuple[Basis, ...]
    description: str  # plain-language test of when it applies (UI, baseline classifier)
    form_label: str = ""  # the form's row text where it differs from `item`
    refusal: bool = False  # a 不予公开 decision: 复议前置 (行政复议法第二十三条第一款第四项)

    @property
    def key(self) -> str:
        """`GROUP/ITEM` — the CLI's and the report parser's key; `予以公开/予以公开`."""
        return f"{self.group}/{self.item}"

    @property
    def report_key(self) -> str:
        """The table-三 key of the CLI contract: bare group for 予以公开/部分公开."""
        return self.group if self.group == self.item else self.key

    @property
    def citations(self) -> tuple[str, ...]:
        return tuple(b.cite() for b in self.basis)


_WITHHOLD = (_reg("第三十六条", "第（三）项"),)

OUTCOMES: tuple[Outcome, ...] = (
    Outcome("予以公开", "予以公开", "disclose",
            (_reg("第三十六条", "第（一）项"), _reg("第三十六条", "第（二）项")),
            "信息可以公开：提供该信息，或告知已主动公开的获取方式、途径"),
    Outcome("部分公开", "部分公开", "partial",
            (_reg("第三十七条"),),
            "信息中含有不应公开的内容但能区分处理：提供可公开部分，对不予公开部分说明理由",
            form_label="部分公开（区分处理的，只计这一情形，不计其他情形）",
            refusal=True),  # the withheld part is a refusal: reconsideration first
    Outcome("不予公开", "属于国家秘密", "secret",
            (_reg("第十四条"),) + _WITHHOLD,
            "依法确定为国家秘密的信息（绝密、机密、秘密件）", refusal=True),
    Outcome("不予公开", "其他法律行政法规禁止公开", "law_forbids",
            (_reg("第十四条"),) + _WITHHOLD,
            "其他法律、行政法规禁止公开的信息（如统计调查对象的原始资料、纳税人涉税信息、精神障碍患者病历）",
            refusal=True),
    Outcome("不予公开", "危及“三安全一稳定”", "security",
            (_reg("第十四条"),) + _WITHHOLD,
            "公开后可能危及国家安全、公共安全、经济安全、社会稳定的信息", refusal=True),
    Outcome("不予公开", "保护第三方合法权益", "third_party",
            (_reg("第十五条"), _reg("第三十二条")) + _WITHHOLD,
            "涉及商业秘密、个人隐私等，公开会损害第三方合法权益且第三方不同意公开", refusal=True),
    Outcome("不予公开", "属于三类内部事务信息", "internal",
            (_reg("第十六条", "第一款"),) + _WITHHOLD,
            "行政机关内部事务信息：人事管理、后勤管理、内部工作流程", refusal=True),
    Outcome("不予公开", "属于四类过程性信息", "process",
            (_reg("第十六条", "第二款"),) + _WITHHOLD,
            "过程性信息：讨论记录、过程稿、磋商信函、请示报告", refusal=True),
    Outcome("不予公开", "属于行政执法案卷", "enforcement_file",
            (_reg("第十六条", "第二款"),) + _WITHHOLD,
            "行政执法案卷信息：询问笔录、现场检查记录、调查取证材料等", refusal=True),
    Outcome("不予公开", "属于行政查询事项", "special_query",
            (_reg("第三十六条", "第（七）项"),),
            "工商登记、不动产登记资料等有专门查询规定的信息，告知依照有关规定查询",
            refusal=True),
    Outcome("无法提供", "本机关不掌握相关政府信息", "not_held",
            (_reg("第三十六条", "第（四）项"), _reg("第三十六条", "第（五）项")),
            "经检索本机关没有该信息，或该信息不属于本机关负责公开，告知负责机关"),
    Outcome("无法提供", "没有现成信息需要另行制作", "needs_compiling",
            (_reg("第三十八条"),),
            "需要对现有信息进行加工、汇总、统计、分析才能形成，无义务另行制作"),
    Outcome("无法提供", "补正后申请内容仍不明确", "still_unclear",
            (_reg("第三十条"),),
            "已告知补正，补正后申请内容仍不明确、无法检索"),
    Outcome("不予处理", "信访举报投诉类申请", "petition",
            (_reg("第三十九条", "第一款"),),
            "以申请形式进行信访、投诉、举报，要求查处、解决问题，不作为信息公开申请处理"),
    Outcome("不予处理", "重复申请", "repeat",
            (_reg("第三十六条", "第（六）项"),),
            "已就同一申请作出答复后申请人重复申请公开相同信息"),
    Outcome("不予处理", "要求提供公开出版物", "publication",
            (_reg("第三十九条", "第二款"),),
            "要求提供政府公报、年鉴、报刊、书籍等公开出版物，告知获取途径"),
    Outcome("不予处理", "无正当理由大量反复申请", "mass_requests",
            (_reg("第三十五条"),),
            "申请数量、频次明显超过合理范围，经要求说明理由后认为理由不合理"),
    # No article of the 条例: a category of the 2021 format; the 江苏 答复规范 says such
    # requests 可以不予处理 (it is not a request for information the agency holds).
    Outcome("不予处理", "要求行政机关确认或重新出具已获取信息", "confirm_reissue",
            (),
            "要求确认已获取文件的真实性、效力，或要求加盖公章、重新出具已获取的信息"),
    Outcome("其他处理", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "no_correction",
            (_reg("第三十条"),),
            "已告知补正，申请人无正当理由逾期不补正，视为放弃申请"),
    Outcome("其他处理", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "fee_unpaid",
            (_reg("第四十二条"),),
            "已发出信息处理费缴费通知，申请人逾期未缴纳费用"),
    Outcome("其他处理", "其他", "other",
            (),
            "申请人撤回申请、咨询类来信等其他情形"),
)

_BY_KEY = {o.key: o for o in OUTCOMES}
_BY_CODE = {o.code: o for o in OUTCOMES}
_BY_ITEM = {o.item: o for o in OUTCOMES}
assert len(_BY_KEY) == len(_BY_CODE) == len(OUTCOMES) == 21

# The remedy clause of every decision (第五十一条; 60 days: 行政复议法第二十条; 6 months:
# 行政诉讼法第四十六条). 复议前置 for refusals: 行政复议法第二十三条第一款第四项 and 第二款.
REMEDY_BASIS: tuple[Basis, ...] = (
    _reg("第五十一条"),
    Basis(RECONSIDERATION_LAW, "第二十条", "第一款"),
    Basis(LITIGATION_LAW, "第四十六条", "第一款"),
)
RECONSIDERATION_FIRST_BASIS = Basis(RECONSIDERATION_LAW, "第二十三条", "第一款第（四）项")

# Procedural bases used by notices and deadlines.
RECEIPT_BASIS = _reg("第三十一条")
CORRECTION_BASIS = (_reg("第二十九条"), _reg("第三十条"))
DEADLINE_BASIS = _reg("第三十三条")
EXTENSION_BASIS = _reg("第三十三条", "第二款")
CONSULTATION_BASIS = (_reg("第三十二条"), _reg("第三十四条"), _reg("第三十三条", "第三款"))
FEE_BASIS = _reg("第四十二条")
# The fee rules (not in corpus/, so cited by title and 文号 only, never by article).
FEE_RULES = "政府信息公开信息处理费管理办法"
FEE_RULES_NUMBER = "国办函〔2020〕109号"


def outcome(key: str) -> Outcome:
    """Look an outcome up by `GROUP/ITEM`, its code, its item label or a bare group of one item."""
    text = key.strip()
    for table in (_BY_KEY, _BY_CODE, _BY_ITEM):
        if text in table:
            return table[text]
    if text in ("予以公开", "部分公开"):
        return _BY_KEY[f"{text}/{text}"]
    group, _, item = text.partition("/")
    for o in OUTCOMES if item else ():  # tolerate the form's long label and straight quotes
        if o.group == group and (item in (o.form_label, o.item) or _loose(item) == _loose(o.item)):
            return o
    raise UnknownOutcome(key)


def _loose(label: str) -> str:
    return "".join(ch for ch in label if ch not in "“”\"'‘’ ")


def by_group(group: str) -> tuple[Outcome, ...]:
    """All outcomes of one group, in report order."""
    return tuple(o for o in OUTCOMES if o.group == group)


def report_keys() -> tuple[str, ...]:
    """The 25 keys of table 三 in the CLI contract, in the form's row order."""
    return ("本年新收", "上年结转", *(o.report_key for o in OUTCOMES), "总计", "结转下年度继续办理")
