"""Who the applicant is: identity-number checks and the annual report's applicant-type column.

- 居民身份证 (GB 11643): 18 characters, ISO 7064 MOD 11-2 check character; the old 15-digit
  numbers have no check character and are accepted on format alone.
- 统一社会信用代码 (GB 32100-2015): 18 characters from 0-9 and A–Y without I O Z S V; the last
  is a MOD 31 check character; the first two give the registering authority and the kind of
  body (its appendix table, encoded in `_USCC_KINDS`).
- `applicant_type()`: the column of table 三 (自然人, 商业企业, 科研机构, 社会公益组织,
  法律服务机构, 其他) from the applicant's name, identity number and any ticked declaration,
  with the reasons in Chinese so the clerk can check them.
- `person_name()` / `organisation_name()`: the applicant's name in a request text — from a
  labelled field, "本人张三……", "我公司××有限公司……", or the signature under a letter;
  `identity_number()`, `phone()`, `email()`, `address()`, `postcode()`: how to identify and
  reach the applicant (第二十九条第二款第（一）项).
"""

from __future__ import annotations

import re
from datetime import date

from rag.request_fields import Fields, clean, first

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
                       r"|超市|药房|诊所|个体工商户|店)$")
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
    hint = _uscc_hint(id_number, name, signals)
    if column:
        signals.append(why)
        if kind == PERSON:
            signals.append("申请人类型填写为公民/个人，但申请人名称是组织名称，按组织统计，请核对")
        if hint and hint != column:
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


def _uscc_hint(id_number: str, name: str, signals: list[str]) -> str:
    code = id_number.strip().upper()
    if not code or not looks_like_uscc(code) or check_id_card(code):
        return ""
    hint = _USCC_TYPES.get(code[:2], "")
    if code[:2] == "12":  # 事业单位: a research institute or university counts as 科研机构, others 其他
        hint = "科研机构" if _RESEARCH.search(name or "") else "其他"
    hint = hint or "其他"
    signals.append(f"统一社会信用代码前两位“{code[:2]}”（{uscc_kind(code) or '未知类别'}）→ {hint}")
    return hint


# ---------------------------------------------------------------- the applicant's name in a text

# Common surnames (compound ones first): "本人张三现申请" is a name only after a real surname.
_SURNAMES = ("欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 澹台 端木 南宫 "
             "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
             "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施"
             "文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷"
             "盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷"
             "晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆"
             "乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平"
             "计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由")
_COMPOUND = tuple(_SURNAMES.split(" ")[:-1])
_SINGLE = frozenset(_SURNAMES.split(" ")[-1])
_NAME_STOP = frozenset("现因于是特向申在系家为想要对就今已通过拟需将从男女等的了和与及之身，")
_NOT_NAMES = frozenset(("无", "略", "空", "本人", "公民", "个人", "自然人", "法人", "单位", "申请人", "见附件", "-", "/"))
_PLACE_WORD = re.compile(r"[省市区县镇乡村街路]")
_SELF_NAME = re.compile(r"(?:本人|我叫|我是|申请人|具呈人|来信人)\s*[:：]?\s*([\u4e00-\u9fa5·]{2,6})")
_ORG_SELF = (r"我(?:公司|司|单位|所|会|社|中心|院|校|村|委|协会|基金会|合作社|厂|店)"
             r"|本(?:公司|单位|所|会|社|中心|协会|基金会|合作社|厂|村|店)")
_ORG_SELF_RE = re.compile(_ORG_SELF)
_ORG_NAME = re.compile(r"([\u4e00-\u9fa5A-Za-z0-9（）()]{2,40}?(?:有限责任公司|股份有限公司|有限公司|分公司|公司|集团|律师事务所"
                       r"|法律服务所|公证处|研究院|研究所|研究中心|实验室|科学院|大学|学院|基金会|协会|学会|研究会|促进会|联合会|商会"
                       r"|服务中心|服务社|村民委员会|居民委员会|业主委员会|经济合作社|专业合作社|合作社|厂|商行|医院|学校|事务所))")
# In prose the name starts after the last of these words ("现我公司温州××有限公司申请" → "温州××有限公司").
_ORG_CUT = re.compile(rf".*(?:{_ORG_SELF}|本人|我们|我|现|向|系|受|贵|的|了|申请|委托|代表|此致|敬礼|签名|盖章|落款|申请人)")
_SEAL = re.compile(r"[（(]?(?:盖章|公章|签章|章)[）)]?")


def person_name(labelled: list[str], lines: list[str], text: str, sender: str = "") -> str:
    """The applying person's name: a labelled value, "本人张三……", a signature line, else the e-mail sender."""
    for value in labelled:
        name = clean_person_name(value)
        if name and not is_org_name(name):
            return name
    for m in _SELF_NAME.finditer(text):
        if _looks_like_name(m[1]) and not _PLACE_WORD.search(_trim_name(m[1])):
            return _trim_name(m[1])
    for line in reversed([ln.strip() for ln in lines[-8:] if ln.strip()]):
        candidate = re.sub(r"^(?:申请人|具呈人)?\s*[:：]?\s*|[（(]?签名[）)]?|\s", "", line)
        if 2 <= len(candidate) <= 4 and _looks_like_name(candidate):
            return candidate
    return clean_person_name(_EMAIL_TEXT.sub("", sender).strip(" <>\"'"))


def organisation_name(labelled: list[str], lines: list[str], text: str) -> str:
    """The applying organisation's name: a labelled value that is one, a signature (…有限公司（盖章）), or "我公司××"."""
    for value in labelled:
        name = clean_org_name(value)
        if is_org_name(name):
            return name
    for line in reversed([ln.strip() for ln in lines[-8:] if ln.strip()]):
        m = _ORG_NAME.fullmatch(_SEAL.sub("", re.sub(r"\s", "", line)))
        if m and is_org_name(m[1]):
            return m[1]
    self_ref = _ORG_SELF_RE.search(text)
    if self_ref:
        window = text[max(0, self_ref.start() - 80):self_ref.end() + 40]
        for m in _ORG_NAME.finditer(window):
            name = _ORG_CUT.sub("", m[1])
            if is_org_name(name):
                return name
    return ""


def clean_person_name(value: str) -> str:
    """The name at the start of a value ("张三（身份证…）" → "张三"); "" for placeholders and section headers."""
    latin = re.match(r"[A-Za-z][A-Za-z .'-]{1,60}", value.strip())
    if latin:  # a foreign name keeps its spaces: "John Smith"
        return latin[0].strip()
    v = re.split(r"[\s,，;；。（(:：<|/0-9]", value.strip())[0].strip("\"'“”") if value.strip() else ""
    if not v or v in _NOT_NAMES or (declared_kind(v) and len(v) <= 8 and not is_org_name(v)):
        return ""
    return v if len(v) <= 40 else ""


def clean_org_name(value: str) -> str:
    """An organisation's name as written in a field, without a trailing （盖章）."""
    v = re.split(r"[\s,，;；。:：|]", value.strip())[0] if value.strip() else ""
    return _SEAL.sub("", v) if v.endswith(("章", "）", ")")) else v


def _looks_like_name(s: str) -> bool:
    s = _trim_name(s)
    if not 2 <= len(s) <= 4 or s[0] in _NAME_STOP:
        return "·" in s and len(s) <= 20
    return s.startswith(_COMPOUND) or s[0] in _SINGLE


def _trim_name(s: str) -> str:
    # "本人张三现申请…" matched as "张三现申请": cut a 2–3 character name before the particle after it;
    # without such a particle the whole run stays, and more than 4 characters is no name.
    for i in (2, 3):
        if len(s) > i and s[i] in _NAME_STOP:
            return s[:i]
    return s


# ---------------------------------------------------------------- identity numbers and contacts in a text

_ID_TEXT = re.compile(r"(?<![0-9A-Za-z])(?:[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
                   r"|[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3})(?![0-9A-Za-z])")
_USCC_TEXT = re.compile(r"(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])")
_EMAIL_TEXT = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_PASSPORT_RE = re.compile(r"护照(?:号码?)?\s*[:：为是]?\s*([A-Z]{1,2}\d{7,8})")
_MOBILE = r"(?:\+?86[-\s]?)?1[3-9]\d[-\s]?\d{4}[-\s]?\d{4}"
_LANDLINE = r"(?:\(0\d{2,3}\)|（0\d{2,3}）|0\d{2,3}[-—\s]?)\d{7,8}(?:[-转]\d{1,5})?"
_PHONE_RE = re.compile(rf"(?<![\dA-Za-z])(?:{_MOBILE}|{_LANDLINE})(?![\dA-Za-z])")
_SIX_DIGITS = re.compile(r"(?<!\d)\d{6}(?!\d)")
_POSTCODE_RE = re.compile(r"(?:邮编|邮政编码)\s*[:：为是]?\s*(\d{6})(?!\d)")
_ADDRESS_RE = re.compile(r"(?:通讯地址|通信地址|联系地址|邮寄地址|收件地址|家庭住址|住址|地址|住所|现住|家住|居住于|住在)"
                         r"\s*(?:为|是|[:：])?\s*([^,，;；。\n|]{5,80})")
_PLACE = r"[\u4e00-\u9fa5]{2,}?(?:省|市|区|县|镇|乡|街道)[^,，;；。\n|]{2,60}"
_LIVES_AT = re.compile(rf"(?:^|[，,。\s])(?:现|家)?住(?:在|于|址)?\s*[:：]?\s*({_PLACE})")
_MAIL_TO = re.compile(rf"(?:邮寄|寄送|寄)[^。；;\n]{{0,8}}?(?:至|到)\s*({_PLACE})")
_NOT_RECIPIENT = re.compile(r"^\s*(?:收件人|抄送|to|cc)\s*[:：]", re.I)
_ATTACHED_ID = re.compile(r"(?:身份证|营业执照|证件|执照|统一社会信用代码证|登记证书)[^。\n]{0,6}(?:复印件|扫描件|照片|影印件|附后)"
                          r"|附(?:件)?[:：]?[^。\n]{0,10}(?:身份证|营业执照|证件)")


def identity_number(f: Fields, text: str) -> tuple[str, str]:
    """(number, type): a labelled number first, else a passport, ID or valid USCC found in the text."""
    declared = first(f, "id_type")
    for key in ("uscc", "id_number"):
        for v in f.get(key, []):
            m = _USCC_TEXT.search(v.upper()) if key == "uscc" else (_ID_TEXT.search(v) or _USCC_TEXT.search(v.upper()))
            if m:
                return m[0].upper(), _id_type(m[0].upper(), declared)
            other = re.search(r"[A-Za-z0-9]{6,20}", v)
            if other and key == "id_number":  # a passport or permit number under a generic label
                return other[0].upper(), _id_type(other[0].upper(), declared or v)
    m = _PASSPORT_RE.search(text)
    if m:
        return m[1], "护照"
    m = _ID_TEXT.search(text)
    if m:
        return m[0].upper(), _id_type(m[0].upper(), declared)
    m = _USCC_TEXT.search(text)
    return (m[0], "统一社会信用代码") if m and check_uscc(m[0]) else ("", "")


def _id_type(number: str, declared: str) -> str:
    if "护照" in declared:
        return "护照"
    if re.search(r"通行证|居住证|永久居留|军官|士兵|港澳|台湾|台胞", declared):
        return "其他"
    if re.search(r"信用代码|营业执照|组织机构|登记证", declared) or (
            looks_like_uscc(number) and not _ID_TEXT.fullmatch(number) and not check_id_card(number)):
        return "统一社会信用代码"
    if _ID_TEXT.fullmatch(number) or "身份证" in declared:
        return "居民身份证"
    return "其他"


def phone(f: Fields, text: str) -> str:
    """A labelled phone number, else the first in the text outside identity numbers."""
    return _labelled_match(f, ("phone", "contact"), _PHONE_RE) or _squeeze(_PHONE_RE.search(
        _USCC_TEXT.sub(" ", _ID_TEXT.sub(" ", text))))


def email(f: Fields, lines: list[str]) -> str:
    """A labelled address or the sender's, else the first in the text — never the agency's own (收件人)."""
    found = _labelled_match(f, ("email", "sender", "phone"), _EMAIL_TEXT)
    if found:
        return found
    for line in lines:
        if not _NOT_RECIPIENT.match(line):
            m = _EMAIL_TEXT.search(line)
            if m:
                return m[0]
    return ""


def address(f: Fields, text: str) -> str:
    """A labelled address, "住温州市……", "邮寄至温州市……"; "" for "上述地址"."""
    value = first(f, "address")
    if value:  # "温州市瓯海区……5号，325000" under 通信地址及邮编: the code is not part of the address
        return clean(re.sub(r"[\s,，;；]*(?:邮编|邮政编码)?[:：]?\s*\d{6}$", "", value.split("\n")[0]))
    for rx in (_ADDRESS_RE, _LIVES_AT, _MAIL_TO):
        m = rx.search(text)
        if m and not re.match(r"(?:上述|以上|下列|如下|本人|该)", m[1]):
            return clean(m[1])
    return ""


def postcode(f: Fields, text: str) -> str:
    """A six-digit 邮政编码 next to its label."""
    found = _labelled_match(f, ("postcode",), _SIX_DIGITS)
    if not found:
        m = _SIX_DIGITS.search(first(f, "address").split("\n")[0][-8:])
        found = m[0] if m else ""
    m = _POSTCODE_RE.search(text)
    return found or (m[1] if m else "")


def attached_identity(text: str) -> bool:
    """True when the request says an identity document is attached (身份证复印件附后, 附件：营业执照)."""
    return bool(_ATTACHED_ID.search(text))


def _labelled_match(f: Fields, keys: tuple[str, ...], rx: re.Pattern[str]) -> str:
    for key in keys:
        for v in f.get(key, []):
            m = rx.search(v)
            if m:
                return _squeeze(m) if rx is _PHONE_RE else m[0]
    return ""


def _squeeze(m: re.Match[str] | None) -> str:
    return re.sub(r"\s", "", m[0]) if m else ""
