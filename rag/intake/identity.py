"""Who the applicant is: identity-number checks and the annual report's applicant-type column.

- 居民身份证 (GB 11643): 18 characters, ISO 7064 MOD 11-2 check character; the old 15-digit
  numbers have no check character and are accepted on format alone.
- 统一社会信用代码 (GB 32100-2015): 18 characters from 0-9 and A–Y without I O Z S V; the last
  is a MOD 31 check character; the first two give the registering authority and the kind of
  body (its appendix table, encoded in `_USCC_KINDS`).
- `applicant_type()`: the column of table 三 (自然人, 商业企业, 科研机构, 社会公益组织,
  法律服务机构, 其他) from the applicant's name, identity number and any ticked declaration,
  with the reasons in Chinese so the clerk can check them.

Finding these numbers and names in a request text is `rag.intake.applicant`' job.
"""

from __future__ import annotations

import re
from datetime import date


# ---------------------------------------------------------------- 居民身份证

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"  # indexed by (weighted sum mod 11)
_ID18 = re.compile(r"[1-9]\d{5}(\d{4})(\d{2})(\d{2})\d{3}[\dX]")
_ID15 = re.compile(r"[1-9]\d{5}(\d{2})(\d{2})(\d{2})\d{3}")


def check_id_card(number: str) -> bool:
    """True for an 18-character number with a real birth date and the right check character,
    or a 15-digit old-style number with a real birth date (those carry no check character)."""
    s = number.strip().upper()
    m = _ID18.fullmatch(s)
    if m:
        if not _real_date(int(m[1]), int(m[2]), int(m[3])) or not 1900 <= int(m[1]) <= 2099:
            return False
        total = sum(int(c) * w for c, w in zip(s[:17], _ID_WEIGHTS))
        return _ID_CHECK[total % 11] == s[17]
    m = _ID15.fullmatch(s)
    return bool(m) and _real_date(1900 + int(m[1]), int(m[2]), int(m[3]))


def _real_date(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------- 统一社会信用代码

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(_USCC_CHARS)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}")

# GB 32100-2015 appendix: 登记管理部门码 (first character) and 机构类别码 (second). Checked
# against several published copies of the table. "54"/"55" (基层群众性自治组织 registered by
# 民政) appear only in later practice, not in the 2015 table: their meaning here is marked.
_USCC_DEPARTMENTS = {
    "1": "机构编制", "2": "外交", "3": "司法行政", "4": "文化", "5": "民政", "6": "旅游",
    "7": "宗教", "8": "工会", "9": "工商", "A": "中央军委改革和编制办公室", "N": "农业", "Y": "其他",
}
_USCC_KINDS = {
    "11": "机关", "12": "事业单位", "13": "中央编办直接管理机构编制的群众团体", "19": "其他",
    "21": "外国常驻新闻机构", "29": "其他",
    "31": "律师执业机构", "32": "公证处", "33": "基层法律服务所", "34": "司法鉴定机构", "35": "仲裁委员会", "39": "其他",
    "41": "外国在华文化中心", "49": "其他",
    "51": "社会团体", "52": "民办非企业单位（社会服务机构）", "53": "基金会",
    "54": "基层群众性自治组织（村民委员会、居民委员会；非GB 32100-2015原表）",
    "55": "基层群众性自治组织（非GB 32100-2015原表）", "59": "其他",
    "61": "外国旅游部门常驻代表机构", "62": "港澳台地区旅游部门常驻内地（大陆）代表机构", "69": "其他",
    "71": "宗教活动场所", "72": "宗教院校", "79": "其他",
    "81": "基层工会", "89": "其他",
    "91": "企业", "92": "个体工商户", "93": "农民专业合作社",
    "A1": "军队事业单位", "A9": "其他",
    "N1": "组级集体经济组织", "N2": "村级集体经济组织", "N3": "乡镇级集体经济组织", "N9": "其他",
    "Y1": "其他",
}


def check_uscc(code: str) -> bool:
    """True for an 18-character 统一社会信用代码 whose GB 32100 check character is right."""
    s = code.strip().upper()
    if not _USCC.fullmatch(s):
        return False
    total = sum(_USCC_VALUE[c] * w for c, w in zip(s[:17], _USCC_WEIGHTS))
    return _USCC_CHARS[(31 - total % 31) % 31] == s[17]


def uscc_kind(code: str) -> str:
    """The registering authority and kind named by the code's first two characters, e.g. "工商：企业"; "" if unknown."""
    s = code.strip().upper()
    kind = _USCC_KINDS.get(s[:2])
    return f"{_USCC_DEPARTMENTS[s[0]]}：{kind}" if kind else ""


def looks_like_uscc(code: str) -> bool:
    """True when the text has the 18-character shape of a 统一社会信用代码 (check character not tested)."""
    return bool(_USCC.fullmatch(code.strip().upper()))


# ---------------------------------------------------------------- applicant type (table 三 column)

PERSON = "自然人"
ORGANISATION = "法人或其他组织"

_LAW_FIRM = re.compile(r"(律师事务所|律所|法律服务所|法律事务所|公证处|司法鉴定(?:所|中心|机构)|法律援助中心)$")
# Village/residents' committees and village collectives: 其他 (a 经济合作社 is a collective, not a
# 农民专业合作社 business).
_COLLECTIVE = re.compile(r"(村民委员会|居民委员会|村委会|居委会|社区|业主委员会|业主大会|业委会"
                         r"|股份经济合作社|经济合作社|经济联合社|村集体经济组织)$")
_BUSINESS = re.compile(r"(公司|集团|厂|商行|商店|商贸|经营部|门市部|专业合作社|合作社|合伙企业|企业|会计师事务所"
                       r"|税务师事务所|事务所|银行|支行|分行|信用社|酒店|宾馆|饭店|工作室|加工场|养殖场|农场|牧场"
                       r"|超市|药房|诊所|个体工商户|店|(?:面|餐|饭|茶|酒|菜|粉)馆)$")
_RESEARCH = re.compile(r"(研究院|研究所|研究中心|实验室|科学院|工程院|社会科学院|科学研究院|大学|学院|研究室|智库)$")
_SOCIETY = re.compile(r"(基金会|协会|学会|研究会|促进会|联合会|商会|联谊会|志愿者?(?:服务)?(?:队|团|总队|中心)?"
                      r"|社会工作服务(?:中心|社|站)|社工(?:服务)?(?:中心|站)|服务社|公益组织|环保组织|社会组织)$")
_SOCIETY_WORDS = re.compile(r"公益|慈善|志愿|环保组织|社会组织|动物保护")
_OTHER = re.compile(r"(委员会|局|政府|办公室|办公厅|办事处|管委会|街道|法院|检察院|学校|中学|小学|幼儿园|医院|卫生院"
                    r"|报社|电视台|杂志社|出版社|新闻中心|融媒体中心|中心|站|所|院|会|部|处|队|馆|团|社|党委|支部)$")

# First two characters of a USCC → the column it suggests (a hint, never the only reason).
_USCC_TYPES = {
    "91": "商业企业", "92": "商业企业", "93": "商业企业",
    "31": "法律服务机构", "32": "法律服务机构", "33": "法律服务机构", "34": "法律服务机构",
    "51": "社会公益组织", "52": "社会公益组织", "53": "社会公益组织",
}

_PERSON_WORDS = ("自然人", "公民", "个人")
_ORG_WORDS = ("法人或其他组织", "法人或者其他组织", "法人", "其他组织", "组织", "单位", "企业")


def declared_kind(text: str) -> str:
    """Map a ticked or typed 申请人类型 ("公民", "法人或其他组织", …) to PERSON, ORGANISATION or ""."""
    t = re.sub(r"\s", "", text)
    if any(w in t for w in _ORG_WORDS):
        return ORGANISATION
    if any(w in t for w in _PERSON_WORDS):
        return PERSON
    return ""


def org_rule(name: str) -> tuple[str, str]:
    """The column suggested by an organisation's name (by its legal-form ending) and why; ("", "") if none."""
    n = re.sub(r"[\s]|[（(](?:盖章|公章|签章|章)[）)]", "", name)
    n = re.sub(r"[（(][^（）()]*[）)]$", "", n)  # a trailing note such as （以下简称…）
    if len(n) < 4 or "·" in n:  # shorter names, and transliterated names, are people's names
        return "", ""
    for pattern, column in ((_LAW_FIRM, "法律服务机构"), (_COLLECTIVE, "其他"), (_BUSINESS, "商业企业"),
                            (_RESEARCH, "科研机构"), (_SOCIETY, "社会公益组织")):
        m = pattern.search(n)
        if m:
            why = f"名称以“{m[1]}”结尾 → {column}"
            if column == "科研机构" and m[1] in ("大学", "学院"):
                why += "（高校属事业单位，按科研机构统计，请核对）"
            return column, why
    words = _SOCIETY_WORDS.search(n)
    if words:
        return "社会公益组织", f"名称含“{words[0]}” → 社会公益组织"
    if "研究" in n and n.endswith("中心"):
        return "科研机构", "名称为研究中心 → 科研机构"
    m = _OTHER.search(n)
    if m and (len(m[1]) > 1 or len(n) >= 5):  # "欧阳晓会" is a person; "某某街道工作站" is not
        return "其他", f"名称以“{m[1]}”结尾（机关、学校、医院、媒体等）→ 其他"
    return "", ""


def _weak(why: str) -> bool:
    # Only the generic endings (…中心, …站, …会) of the last rule: a credit-code prefix says more.
    return why.endswith("（机关、学校、医院、媒体等）→ 其他") and not re.search(r"“(?:委员会|局|政府|办公室|办公厅|办事处|管委会|街道|法院|检察院|学校|中学|小学|幼儿园|医院|卫生院)”", why)


def is_org_name(name: str) -> bool:
    """True when a name ends like an organisation (公司, 律师事务所, 研究所, 协会, 委员会, …)."""
    return bool(org_rule(name)[0])


def applicant_type(name: str, id_number: str = "", declared: str = "",
                   *, context: str = "") -> tuple[str, str, tuple[str, ...]]:
    """(kind, column, reasons): 自然人 unless an organisation applies, judged by name, USCC prefix and declaration.

    `declared` is the ticked/typed 申请人类型 (a tick for 法人或其他组织 is respected even when
    nothing else tells the kind); `context` is the request text, used only to explain the
    lawyer case (a lawyer applying in their own name is a 自然人).
    """
    signals: list[str] = []
    kind = declared_kind(declared) if declared else ""
    column, why = org_rule(name) if name else ("", "")
    hint = _uscc_hint(id_number, name, signals, context)
    if column:
        signals.append(why)
        if kind == PERSON:
            signals.append("申请人类型填写为公民/个人，但申请人名称是组织名称，按组织统计，请核对")
        if hint and hint != column:
            if _weak(why) or (hint == "社会公益组织" and column == "科研机构"):  # a 民政 registration is no 科研机构  # "××互助中心" with a 52 code: the code's 社会服务机构 says more than "中心"
                signals.append(f"名称只能判断为“其他”，按统一社会信用代码计入{hint}，请核对")
                return ORGANISATION, hint, tuple(signals)
            signals.append(f"名称与统一社会信用代码提示的类别不一致（{column} / {hint}），以名称为准，请核对")
        return ORGANISATION, column, tuple(signals)
    if hint and kind != PERSON:
        return ORGANISATION, hint, tuple(signals)
    if kind == ORGANISATION:
        signals.append("申请人类型为“法人或其他组织”，但名称无法判断具体类别，计入“其他”，请核对")
        return ORGANISATION, "其他", tuple(signals)
    signals.append("申请人类型为公民（自然人）" if kind == PERSON
                   else "未发现法人或其他组织的名称、统一社会信用代码，按自然人统计")
    if re.search(r"律师(?!事务所|协会)", context):
        signals.append("申请人系律师或由律师代理，但以个人名义申请，按自然人统计；如以律师事务所名义申请应计入法律服务机构")
    return PERSON, PERSON, tuple(signals)


def _uscc_hint(id_number: str, name: str, signals: list[str], context: str = "") -> str:
    code = id_number.strip().upper()
    if not code or not looks_like_uscc(code) or check_id_card(code):
        return ""
    hint = _USCC_TYPES.get(code[:2], "")
    if code[:2] == "12":  # 事业单位: a research institute or university counts as 科研机构, others 其他
        at = context.find(code)
        near = context[max(0, at - 60):at] if at >= 0 else ""
        hint = "科研机构" if _RESEARCH.search(name or "") or re.search(r"大学|学院|研究|科学院", near) else "其他"
    hint = hint or "其他"
    signals.append(f"统一社会信用代码前两位“{code[:2]}”（{uscc_kind(code) or '未知类别'}）→ {hint}")
    return hint
