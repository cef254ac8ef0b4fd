"""Who applies, as a request text says it: the applicant's name, identity number and contacts.

Used by `rag.intake.parse.parse_request` on the label/value pairs of `rag.intake.fields` and on the
prose around them: "本人张三……", "我公司××有限公司（统一社会信用代码…）……", the signature
under a letter, "联系电话：…". The checks of the numbers and the applicant-type column are
`rag.intake.identity`'s. 第二十九条第二款第（一）项: 姓名或者名称、身份证明、联系方式.
"""

from __future__ import annotations

import re

from rag.intake.identity import check_id_card, check_uscc, declared_kind, is_org_name, looks_like_uscc
from rag.intake.fields import Fields, clean, first

# ---------------------------------------------------------------- names

# Common surnames (compound ones first): "本人张三现申请" is a name only after a real surname.
_SURNAMES = ("欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 澹台 端木 南宫 "
             "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
             "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施"
             "文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷"
             "盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷"
             "晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆"
             "乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平"
             "计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
             "洪傅萧赖濮郦荀钮寿庾邴滑羿弓隗郗钭韶蓟鄂莘逄堵璩郏宦暨殳蔚厍訾蒯竺桓贝")
_COMPOUND = tuple(_SURNAMES.split(" ")[:-1])
_SINGLE = frozenset(_SURNAMES.split(" ")[-1])
_NAME_STOP = frozenset("现因于是特向申在系家为想要对就今已通过拟需将从男女等的了和与及之身，")
_NOT_NAMES = frozenset(("无", "略", "空", "本人", "公民", "个人", "自然人", "法人", "单位", "申请人", "见附件", "-", "/"))
_SIGN_OFF_WORDS = frozenset(("此致", "敬礼", "谢谢", "您好", "你好", "致谢", "感谢", "盼复", "特此申请", "申请人", "签名", "日期"))
_PLACE_WORD = re.compile(r"[省市区县镇乡村街路]")
_NAME_CHARS = r"[\u4e00-\u9fa5][\u4e00-\u9fa5·X×＊*]{1,5}"  # "孟X", "李*": names masked by the writer
_SELF_NAME = re.compile(rf"(?:本人|我叫|我是|申请人|具呈人|来信人)\s*[:：]?\s*({_NAME_CHARS})")
_SIGNATURE = re.compile(r"^(?:申请人|具呈人|签名)?\s*[:：]?\s*([\u4e00-\u9fa5][\u4e00-\u9fa5X×＊*]{1,3})\s*(?:[（(]?签名[）)]?)?"
                        r"(?:$|[\s，,、]+(?=[\dX(（]|电话|手机|身份证)|\s*(?=(?:19|20)\d{2}\s*[年.\-/]))")
_NAME_BEFORE_ID = re.compile(r"([\u4e00-\u9fa5]{2,6})(?:[ \t]*[（(][ \t]*|[ \t]*[，,、|｜][ \t]*|[ \t]+)(?:身份证|公民身份号码|证件号|电话|手机|联系电话"
                             r"|[1-9]\d{16}[\dXx](?![\dA-Za-z]))")
# "……中学教师努尔兰（身份证…）": after a word for the applicant's role, the name needs no listed surname.
_ROLE = re.compile(r"(?:村民|居民|业主|教师|老师|职工|员工|家长|老兵|市民|工人|农民|户主|经营者|被征收人|参保人|患者|家属|律师)"
                   r"([\u4e00-\u9fa5·]{2,4})$")
# A villager's "我村" or a pupil's parent's "我校" is not the applicant speaking: only the markers an
# organisation uses of itself, and the name must stand right next to them.
_ORG_SELF = (r"我们(?:是|系)|我(?:公司|司|单位|所|会|社|中心|院|校|委|协会|基金会|合作社|厂|店|业委会|小区业主委员会)"
             r"|本(?:公司|单位|所|会|社|中心|协会|基金会|合作社|厂|店|业委会)")
_ORG_SELF_RE = re.compile(_ORG_SELF)
_ORG_NAME = re.compile(r"([\u4e00-\u9fa5A-Za-z0-9（）()]{2,40}?(?:有限责任公司|股份有限公司|有限公司|分公司|公司|集团|律师事务所"
                       r"|法律服务所|公证处|研究院|研究所|研究中心|实验室|科学院|大学|学院|基金会|协会|学会|研究会|促进会|联合会|商会"
                       r"|服务中心|服务社|村民委员会|居民委员会|村委会|居委会|业主委员会|经济合作社|专业合作社|合作社|厂|商行|医院|学校|事务所"
                       r"|中学|小学|幼儿园|卫生院|中心|服务队|志愿队|村民小组))")
# "××有限公司（统一社会信用代码…）", "××促进会（代码51…）", "××公司（91410105MA44R2K8X4）", "（民政部门登记的…，统一代码：…）".
_ORG_BEFORE_CODE = re.compile(r"([\u4e00-\u9fa5A-Za-z（）()]{4,40}?)[（(][^（）()]{0,24}?(?:(?:统一)?社会信用代码|信用代码|统一代码|代码"
                              r"|([0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10})(?=[）)，,]))")
_ASKS = re.compile(r"申请|请求|要求|提出")
_ORG_RUN = re.compile(r"([\u4e00-\u9fa5]{4,30})(?=[，,（(）)])")  # "本店（雁塔区某某面馆，个体工商户…"
# In prose the name starts after the last of these words ("现我公司温州××有限公司申请" → "温州××有限公司").
_ORG_CUT = re.compile(rf".*(?:{_ORG_SELF}|本人|我们是|我们|我|现|向|系|受|贵(?:局|委|府|办|院|部|厅|处|所|司|会|单位|中心|机关|区|市|县|镇)|的|了|对|在|为|给|从|将|被|申请|委托|代表|此致|敬礼|签名"
                     rf"|盖章|落款|申请人|\d|[（(][^（）()]*[）)])")
# Before a credit code the name runs back to a self-reference or a verb, but not through 为/对/在:
# "马鞍山某某为老服务中心（信用代码…）" is one name.
_ORG_LEAD = re.compile(rf".*(?:{_ORG_SELF}|本人|我们是|我们|我|现|向|受|的|申请|委托|代表|此致|敬礼|签名|盖章|落款|申请人|\d)")
_PREDICATE = re.compile(r"(?:为|是|系)[\u4e00-\u9fa5]")  # "……有限公司为外商投资企业（代码…）"
_SEAL = re.compile(r"[（(]?(?:盖章|公章|签章|章)[）)]?")


def person_name(labelled: list[str], lines: list[str], text: str, sender: str = "") -> str:
    """The applying person's name: a labelled value, "本人张三……", a signature line, else the e-mail sender."""
    for value in labelled:
        name = clean_person_name(value)
        if name and not is_org_name(name):
            return name
    for m in _SELF_NAME.finditer(text):
        # "申请人于德水（…）": a whole run of 2–4 characters ending the phrase is a name even after 于, 向, 申.
        whole = (len(m[1]) <= 4 and _trim_name(m[1]) == m[1]
                 and not re.match(r"[\u4e00-\u9fa5]", text[m.end():m.end() + 1]))
        if _looks_like_name(m[1], whole=whole) and not _PLACE_WORD.search(_trim_name(m[1])):
            return m[1] if whole else _trim_name(m[1])
    for line in reversed([ln.strip() for ln in lines[-8:] if ln.strip()]):
        # "张三", "申请人：张三（签名）", "郑某，3501041964…", "刘佳　2025年3月5日" under the letter
        m = _SIGNATURE.match(line)
        if m and m[1] not in _SIGN_OFF_WORDS and not _PLACE_WORD.search(m[1]) and _looks_like_name(m[1], whole=True):
            return m[1]
    for m in _NAME_BEFORE_ID.finditer(text):  # "……业主刘佳（身份证…）", "我是××镇的陈国良（电话…）", "孙婷婷｜身份证…"
        run = m[1]
        role = _ROLE.search(run)
        if role and not _PLACE_WORD.search(role[1]):
            return role[1]
        for k in ((4,) if run[-4:].startswith(_COMPOUND) else ()) + (3, 2):
            name = run[-k:]
            if (len(run) >= k and _looks_like_name(name, whole=True) and not _PLACE_WORD.search(name)
                    and name not in _NOT_NAMES and not declared_kind(name)):
                return name
    # An e-mail's display name counts only when it reads as a name: "清风明月 <…>" is a nickname.
    name = clean_person_name(_EMAIL_TEXT.sub("", sender).strip(" <>\"'"))
    return name if name.isascii() or _looks_like_name(name, whole=True) else ""


def organisation_name(labelled: list[str], lines: list[str], text: str) -> str:
    """The applying organisation's name: a labelled value; a name followed by its （统一社会信用代码…）;
    a signature (…有限公司（盖章）); "我公司××……"; or an organisation that opens a sentence asking for information."""
    for value in labelled:
        name = clean_org_name(value)
        if is_org_name(name):
            return name
    for m in _ORG_BEFORE_CODE.finditer(text):
        if m[2] and (check_id_card(m[2]) or not check_uscc(m[2])):
            continue  # "马秀兰，住……社区（身份证6401…）": a person's ID card, not a credit code
        name = _ORG_LEAD.sub("", m[1])
        head = _ORG_NAME.match(name)
        if head and _PREDICATE.match(name, head.end()):
            name = head[1]
        if is_org_name(name):
            return name
    for line in reversed([ln.strip() for ln in lines[-8:] if ln.strip()]):
        m = _ORG_NAME.fullmatch(_SEAL.sub("", re.sub(r"\s|[（(][^（）()]*[）)]$", "", line)))
        if m and is_org_name(m[1]):
            return m[1]
    for self_ref in _ORG_SELF_RE.finditer(text):  # "我公司温州××有限公司……", "××有限公司（以下简称我公司）"
        start = self_ref.end() + (text[self_ref.end():self_ref.end() + 1] in "（(“:：")
        after = _ORG_NAME.match(text, start) or _ORG_RUN.match(text, start)
        if after and is_org_name(after[1]):
            return after[1]
        for m in _ORG_NAME.finditer(text, max(0, self_ref.start() - 60), self_ref.start()):
            name = _ORG_CUT.sub("", m[1])
            if self_ref.start() - m.end() <= 10 and is_org_name(name):
                return name
    for line in [ln.strip() for ln in lines if ln.strip()][:8]:  # "××环保志愿服务队申请公开：……", "我们××村委会申请……"
        line = line[2:] if line.startswith("我们") else line
        m = _ORG_NAME.match(line)
        rest = line[m.end():] if m else ""
        # "孩子今年上小学，申请公开……" is a clause, not an organisation: the name must run into the verb.
        if (m and len(line) > 20 and rest[:1].strip() and rest[:1] not in "，,、；;" and _ORG_CUT.sub("", m[1]) == m[1]
                and not line.endswith((":", "："))
                and _ASKS.search(line.split("。")[0]) and is_org_name(m[1])):
            return m[1]
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


def _looks_like_name(s: str, *, whole: bool = False) -> bool:
    """A listed surname and 2–4 characters; `whole` when the run is not cut out of a longer phrase, which
    lets a surname that is also a particle (于, 向, 申) start it: "申请人于德水（…）", not "本人于近日……"."""
    s = s if whole else _trim_name(s)
    if not 2 <= len(s) <= 4 or (s[0] in _NAME_STOP and not (whole and s[0] in _SINGLE)):
        return "·" in s and len(s) <= 20
    return (s.startswith(_COMPOUND) or s[0] in _SINGLE) and not re.search(r"[X×＊*].*[\u4e00-\u9fa5]", s)


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
                         r"[ \t]*(?:为|是|[:：])?[ \t]*([^,，;；。\n|]{5,80})")
_PLACE = r"[\u4e00-\u9fa5]{2,}?(?:省|市|区|县|镇|乡|街道)[^,，;；。\n|]{2,60}"
_LIVES_AT = re.compile(rf"(?:^|[，,。\s])(?:现|家)?住(?:在|于|址)?[ \t]*[:：]?[ \t]*({_PLACE})")
# "请寄至：……", "请邮寄纸质件：……", "邮寄给我：……", "☑邮寄（兰考县某镇某村）", "获取方式：邮寄，郴州市……", "请寄西安市……".
_MAIL_TO = re.compile(rf"(?:邮寄|寄送|寄)(?:[^。；;\n:：（(]{{0,8}}?(?:至|到|给我))?[ \t]*[:：（(，,]?[ \t]*({_PLACE})")
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
            if key == "id_number" and declared and re.search(r"备案|登记|证明", declared) and re.search(r"\d", v):
                return clean(v), "其他"  # "证件类型：业主委员会备案证明 证件号码：蜀山区住建备〔2022〕17号"
    m = _PASSPORT_RE.search(text)
    if m:
        return m[1], "护照"
    m = _ID_TEXT.search(text)
    if m:
        return m[0].upper(), _id_type(m[0].upper(), declared)
    m = _USCC_TEXT.search(text)
    return (m[0], "统一社会信用代码") if m and check_uscc(m[0]) else ("", "")


def credit_code_in(text: str) -> str:
    """The first 统一社会信用代码 in the text with a valid check character, or ""."""
    return next((m[0] for m in _USCC_TEXT.finditer(text.upper()) if check_uscc(m[0])), "")


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


# What people write in a field they leave empty: "（空）", "无", "未填", "同身份证地址".
_BLANK = re.compile(r"[（(【\[]?\s*(?:空|无|略|未填|未填写|未提供|暂无|不详|/|-|—+|同上|(?:同|见)?(?:身份证|户籍|上述|以上)(?:上的?)?(?:地址|住址)?)"
                    r"\s*[）)】\]]?")


def left_blank(f: Fields, key: str) -> bool:
    """True when the form has the field and every value of it is empty or a placeholder such as "（空）"."""
    return key in f and all(not v.strip() or _BLANK.fullmatch(clean(v)) for v in f[key])


def address(f: Fields, text: str) -> str:
    """A labelled address, "住温州市……", "邮寄至温州市……"; "" for "上述地址", "（空）", "同身份证地址"."""
    value = next((v.strip() for v in f.get("address", []) if v.strip() and not _BLANK.fullmatch(clean(v))), "")
    if value:  # "温州市瓯海区……5号，325000" under 通信地址及邮编: the code is not part of the address
        return clean(re.sub(r"[\s,，;；]*(?:邮编|邮政编码)?[:：]?\s*\d{6}$", "", value.split("\n")[0]))
    for rx in (_ADDRESS_RE, _LIVES_AT, _MAIL_TO):
        m = rx.search(text)
        if m and not re.match(r"(?:上述|以上|下列|如下|本人|该)", m[1]) and not _BLANK.fullmatch(clean(m[1])):
            return _balanced(clean(m[1]))
    return ""


def _balanced(value: str) -> str:
    """"扬州市……16号）" cut out of "☑邮寄（扬州市……16号）": without the bracket it did not open."""
    return value[:-1] if value.endswith(("）", ")")) and not re.search(r"[（(]", value) else value


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
