"""What a request asks, how, when and of whom, for `rag.intake.parse.parse_request` (pure functions over plain text).

Each function reads the labelled fields of `rag.intake.fields` first and falls back on the prose:
the information sought ("现申请公开……", "我想看一下……", the 《titles》 named), its purpose, the form
and way of delivery (第二十九条第二款第（三）项), the channel, the addressee, the 文号 cited and the
date under the signature.
"""

from __future__ import annotations

import re
from datetime import date

from rag.intake.fields import (CLAUSE_SPLIT, SIGN_OFF, UNTICKED, Fields, clean, first, is_label_cell, label_field,
                                ticked)

# Who is asked, between the verb and what is asked: "贵局", "你们", "镇政府", "街道".
_ADDRESSEE = r"(?:贵[\u4e00-\u9fa5]{0,6}|你们?[局委办]?|[\u4e00-\u9fa5]{0,6}?(?:政府|局|委|办|街道|中心|镇|乡|部门))?"
_ASK = re.compile(
    rf"(?:申请|请求|要求|希望|恳请|请|需要?|能否|可否|是否可以){_ADDRESSEE}[:：]?\s*(?:立即|尽快|马上|及时|依法|予以|书面)*"
    r"(?:公开|获取|提供|查询|查阅|了解|复制|调取)(?:以下|如下|下列)?(?:政府)?(?:信息|内容|材料|文件|事项)?(?:如下)?\s*[:：]?"
    r"|(?:特|现|兹|本人|我们?)?(?:申请|请求|要求)(?:贵[\u4e00-\u9fa5]{1,6})?[:：]"  # "申请：……", "现要求：……"
    r"|申请(?:贵|你)[局委办府院厅处所部]{1,2}(?=[\d\u4e00-\u9fa5《“])"  # "申请贵局2025年度安全生产监督检查计划"
    r"|(?:想要|想找|需要|索取|申请|要)(?:一本|一份|一套|一册)?[^，,。；;]{0,10}?(?=《)"  # "想要一本《××年鉴》"
    # "请按县分别计算……", "请贵局出具书面证明……", "请区政府把两份文件逐条对比": the action itself is what is asked for
    rf"|请(?:帮我|帮忙)?{_ADDRESSEE}(?:书面)?(?=(?:按[^，。]{{0,20}}|把[^，。]{{0,12}})?(?:分别)?(?:统计|计算|分析|汇总|整理|出具|核对|确认|重新出具"
    r"|盖章|对比|比较|列出|排名|排序|打分|逐条))")
# Everyday wording, read only when no formal "申请公开……" is found: "我想看一下……", "请发我……",
# "要海珠区2025年……" (a bare 要 only before a 《title》, a year or a place: "要求", "要找他谈谈" are not asks).
_WANT = re.compile(
    # "想知道……为什么" is a question; "大家想知道：一是……资金安排表" lists what is asked
    r"(?:想|希望)[\u4e00-\u9fa5]{0,2}?(?:要|看看?|查看|查阅|调取|复印|拿到|得到|(?:了解|知道)(?=[:：]))(?:一下)?(?:一份|一本|一套)?"
    r"|(?:请|麻烦)(?:发|寄|给)(?:我|本人)(?:一份|一下)?(?=[\d\u4e00-\u9fa5《])"
    r"|(?:请|麻烦)?(?:帮我|帮忙)(?:查|找|调)(?:一下|一查|查)?"  # "请帮我查一下××的征收补偿协议"
    r"|(?:^|(?<=[，,。：:；;\s]))(?:我|本人|我们)?(?:需要|要)(?![求是么不点])(?:一份|一套|一本)?"
    r"(?=《|(?:19|20)\d{2}|(?![我本这那该])[\u4e00-\u9fa5]{1,8}?(?:省|市|区|县|镇|乡|街道|村)(?!长))")
# "请把那个项目的批文给我一份": the thing between 请把 and 给我 is what is asked for.
_ASK_OBJECT = re.compile(r"(?:请|麻烦)(?:你们|贵[\u4e00-\u9fa5]{1,4})?(?:把|将)([^，,。；;！!？?\n]{4,60}?)(?:公开|提供|复印|发|寄|给)(?:给)?"
                         r"(?:我们?|本人|我司|本单位)")
# Where a "现申请公开……" sentence turns to delivery or contact details, the description ends.
_REQUEST_TAIL = re.compile(r"[，,；;](?=\s*(?:请(?:以|将|把|通过|按|邮寄|寄|发送|回复|答复|提供)|并?(?:邮寄|寄送|发送)|联系|地址"
                           r"|电话|手机|邮箱|本人将|我将|谢谢|麻烦|发|寄|自取|(?:我|本人)?(?:自己|亲自)?(?:来|到|去)[^，。]{0,6}?(?:取|拿|领)"
                           r"|纸质|电子版|当场))"
                           r"|\s{2,}|——")  # "我要……文件　　—— 雷老汉": the signature is not part of it
# 《titles》 the applicant names; those cited as the legal basis ("依据《政府信息公开条例》") are not asked for.
_TITLE = re.compile(r"(?<!依据)(?<!根据)(?<!按照)(?<!依照)《([^《》\n]{4,80})》(?!第)")
# The papers of the disclosure procedure itself (《补正告知书》, 《信息处理费缴费通知书》) are not what is asked.
_PROCEDURE_TITLE = re.compile(r"政府信息公开|(?:补正|缴费|收费|延期|答复|说明理由)(?:告知|通知)?书$")
_ANAPHOR = re.compile(r"(?:这个|这份|这些|该|上述|此|前述|以上|那个|那份|全文|原文)")
_QUOTED = re.compile(r"“([^“”\n]{4,60})”")  # "听说区里定了“重大行政决策事项目录”，想看全文"
_ENUM = re.compile(r"^\s*(?:[（(]?[0-9一二三四五六七八九十]{1,3}[)）、.．]|[①-⑳]|[-•·])")
_PURPOSE_RE = re.compile(r"(?:用于|用途(?:为|是)|目的(?:是|为)|以便)\s*[:：]?\s*([^。；;\n]{2,60})"
                         r"|因([^。，,；;\n]{2,30}?)(?:的)?(?:工作)?需要")
# Delivery options → (form, method). 电子邮件 is both a carrier (电子) and a way (电子邮件).
_DELIVERY: tuple[tuple[re.Pattern[str], str, str], ...] = tuple((re.compile(p, re.I), f, m) for p, f, m in (
    (r"纸质|纸面|纸本|复印件|打印件|书面", "纸质", ""),
    (r"电子邮件|电子邮箱|邮箱|e-?mail|@[A-Za-z0-9-]+\.", "电子", "电子邮件"),
    (r"电子(?:版|文档|文件|数据|形式)?|扫描件|PDF|word", "电子", ""),
    (r"光盘", "光盘", ""),
    (r"磁盘|U盘|移动存储|移动硬盘|移动介质|硬盘", "磁盘", ""),
    # "请寄……", "寄到……"; not "寄来的告知书", "骨灰寄存"
    (r"邮寄|快递|挂号|EMS|(?<!收到)(?<!已经)寄(?!来|件人|存|养|宿|托|生|予|希望|居)", "", "邮寄"),
    (r"传真", "", "传真"),
    # "自取", "到窗口取", "我自己来拿", "上门领": collected in person.
    (r"自行领取|当面领取|现场领取|窗口领取|自取|领取|面取|上门(?:领|拿|取)|(?:当场|现场)(?:提供|交付|拿|拷贝|复制)"
     r"|(?:来|到|去)(?:贵[局委办府]|你们?[局那这]?里?|局里|[\u4e00-\u9fa5]{0,4}?(?:局|窗口|中心|大厅|镇上|政府|办|现场))?"
     r"(?:拿|取|领)(?!到|了|过|得|消|证|决)", "", "自行领取"),
    (r"当场阅读|阅读|抄录|查阅|现场查看|(?:来|到|去)[^，,。；;\n]{0,6}?(?:复印|抄录|查看)", "", "当场阅读、抄录"),
    (r"网上|在线|网络|平台|政府网站", "", "网上获取"),
))
_DELIVERY_VERB = re.compile(r"提供|送达|寄|发送|发至|发到|发给|发我|获取|领取|答复|回复|告知|反馈|阅读|抄录|查阅|传真至"
                            r"|请发|发(?=[^，,。；;\n@]{0,8}?[A-Za-z0-9._%+-]+@)|取|拿|领|复印|纸质版|电子版")
_CONTACT_LINE = re.compile(r"\s*(?:电子邮箱|邮箱|e-?mail|联系电话|电话|地址)\s*[:：]", re.I)
# "未说明要纸质还是电子，也未说明如何领取": a clause saying the applicant did not choose is no choice.
_NOT_CHOSEN = re.compile(r"(?:未|没有?|不)(?:说明|选择|选|注明|写明|填写?|勾选|明确|提|讲|说)")
_UNCHOSEN = re.compile(r"(?:未|没有?)(?:说明|选择|注明|写明|填写?|勾选|明确)[^。；;\n]{0,12}?(?:获取|领取|提供|送达|形式|方式|纸质|电子|邮寄|怎么|如何)")
# WeChat, QQ, a text message: no way the office delivers a 答复 by (第四十条 lists the forms it may use).
_UNUSABLE_WAY = re.compile(r"(?:发|传|给|回复)(?:到|至|给)?(?:我|本人)?的?(?:微信|QQ|短信)|(?:微信|QQ)(?:发|传)(?:给)?(?:我|本人)", re.I)
_CHANNELS = (("平信|平邮|普通信", "平信"), ("挂号|EMS|快递|邮寄|信函|来信", "挂号信"), ("传真", "传真"),
             ("电子邮件|邮箱|e-?mail", "电子邮件"), ("网|在线|平台|系统|APP|小程序", "网络"),
             ("当面|现场|窗口|面交|来访|口头", "当面"))
_PORTAL = re.compile(r"网上申请|在线申请|网络申请|依申请公开(?:系统|平台)|申请平台|政务服务网|门户网站|网上提交")
_EMAIL_HEAD = re.compile(r"^\s*(?:发件人|from|收件人|to|主题|subject|发送时间|sent|date)\s*[:：]", re.I | re.M)
_AGENCY_END = (r"(?:人民政府办公室|人民政府|办公室|办公厅|委员会|管理委员会|管委会|办事处|街道|局|厅|委|署|分局|支队|大队"
               r"|中心|部|处|院|政府)")
_SALUTATION = re.compile(rf"^(?:致\s*[:：]?\s*)?([\u4e00-\u9fa5（）()]{{2,40}}?{_AGENCY_END})\s*[:：]\s*$")
_TO_AGENCY = re.compile(rf"向\s*([\u4e00-\u9fa5（）()]{{2,40}}?{_AGENCY_END})\s*(?:依法)?(?:提出|申请|递交|提交)")
_EMAIL_IN = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# 文号: 机关代字〔年份〕序号号, with the bracket variants people type; the 代字 starts after the
# last verb or particle before it ("申请公开温政发〔2023〕12号" → 温政发〔2023〕12号).
_DOC_NO = re.compile(r"([\u4e00-\u9fa5]{1,10})\s*[〔\[［【(（]\s*((?:19|20)\d{2})\s*[〕\]］】)）]\s*(第?\s*\d{1,5}\s*号)")
_DOC_CUT = re.compile(r".*(?:公开|申请|关于|即|的|是|为|和|及|与|或|号|文件|印发|要求|提供|获取|查询|依据|根据|按照)")
_ORDER_NO = re.compile(r"(?:国务院|[\u4e00-\u9fa5]{2,8}(?:部|委|局|政府|厅))令\s*(?:第\s*)?\d{1,4}\s*号")

_DATE_NUM = re.compile(r"((?:19|20)\d{2})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})(?!\d)\s*日?")
_DATE_HAN = re.compile(r"([〇零○OＯ一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日")
_DATE_MD = re.compile(r"(?<![\d年.\-/])(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH = r"((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*)\.?"
_DATE_EN = re.compile(rf"(?:(\d{{1,2}}) {_MONTH} (\d{{4}})|{_MONTH} (\d{{1,2}}),? (\d{{4}}))", re.I)
_HAN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "O": 0, "Ｏ": 0}


def description(f: Fields, lines: list[str]) -> str:
    """The information sought: the labelled description, else "现申请公开……" and any numbered list after it,
    else everyday wording ("我想看一下……", "要××区……表"), else the 《titles》 the request names."""
    parts = [v.strip().rstrip("。；;，,") for v in f.get("description", []) if v.strip() and not ticked(v)]
    if not parts:
        # "申请人口述：……要求公开××", "内容：你好，……请把这个规划发我一份": what is asked is the part after the verb.
        parts = [_ask_in(v.split("\n"), labelled=True) or v.strip().rstrip("。；;，,") for v in f.get("narrative", []) if v.strip()]
    if parts:
        return "\n".join(dict.fromkeys(p for p in parts if p))
    text = "\n".join(lines)
    found = _ask_in(lines)
    titles = [t for t in dict.fromkeys(_TITLE.findall(text)) if not _PROCEDURE_TITLE.search(t)]
    if found and _ANAPHOR.match(found):
        # "……即《××办法的通知》。本人想看一下这个文件的全文": the title says which file "这个文件" is.
        named = [f"《{t}》" for t in titles] or [f"“{q}”" for q in _QUOTED.findall(text[:text.find(found)])][-1:]
        if named and named[0] not in found:
            return f"{named[0]}：{found}"
    return found or "、".join(f"《{t}》" for t in titles[:3])


def _ask_in(lines: list[str], *, labelled: bool = False) -> str:
    """The formal ask ("申请公开……"), else "请把××发给我", else the everyday wording ("我想看一下……")."""
    m = _ASK_OBJECT.search("\n".join(lines))
    return _asked(_ASK, lines, labelled=labelled) or (m[1].strip() if m else "") or _asked(_WANT, lines, labelled=labelled)


def _asked(rx: re.Pattern[str], lines: list[str], *, labelled: bool = False) -> str:
    """What follows the first ask in `lines` up to where the sentence turns to delivery or contact, with the
    numbered list (or the one paragraph) after an ask that ends its line."""
    for i, line in enumerate(lines):
        m = rx.search(line)
        if not m or (not labelled and label_field(re.split("[:：]", line)[0])):
            continue
        rest = line[m.end():].strip()
        sentence = _REQUEST_TAIL.split(re.split(r"[。？?！!|｜]", rest)[0])[0].strip() if rest else ""
        items: list[str] = []
        if not sentence.strip(":： ") or rest.endswith((":", "：")) or "。" not in rest:
            for nxt in lines[i + 1:i + 30]:
                if _ENUM.match(nxt) or (not items and not rest.strip(":： ") and nxt.strip()
                                         and not is_label_cell(nxt.strip()) and not SIGN_OFF.match(nxt.strip())):
                    items.append(nxt.strip())  # a numbered list, or the paragraph after "申请公开："
                elif nxt.strip() or items:
                    break
        found = "\n".join(x for x in [sentence.strip(":： "), *items] if x)
        if len(found) >= 4:
            return found
    return ""


def purpose(f: Fields, text: str) -> str:
    """The stated use of the information ("用于……", "因……需要"), if any."""
    value = clean(first(f, "purpose"))
    if value:
        return value
    m = _PURPOSE_RE.search(text)
    return clean(m[1] or m[2]) if m else ""


def delivery(f: Fields, text: str) -> tuple[str, str]:
    """(form, method) from the ticked or written options, else from sentences that say how to deliver."""
    forms, methods = _ways(_field_options(f))
    if not (forms or methods):
        # An option left unticked ("□邮寄 □电子邮件") is not a choice: drop it before reading the sentence.
        forms, methods = _ways([UNTICKED.sub(" ", c) for s in re.split(r"[。；;\n]", text)
                                if _DELIVERY_VERB.search(s) and not _CONTACT_LINE.match(s)
                                for c in CLAUSE_SPLIT.split(s) if not _NOT_CHOSEN.search(c)])
    return "、".join(forms), "、".join(methods)


def _field_options(f: Fields) -> list[str]:
    options: list[str] = []
    for v in f.get("form", []) + f.get("method", []):
        ticks = ticked(v)
        options.extend(ticks if ticks is not None else [v])
    return options


def delivery_unclear(f: Fields, text: str) -> bool:
    """True when the request leaves its way of delivery open although it was asked (第二十九条第二款第（三）项):
    a 获取方式 field left blank or unticked, "未说明如何领取", only WeChat/QQ, or every way ticked at once."""
    if len(_ways(_field_options(f))[1]) >= 3:  # ☑邮寄 ☑电子邮件 ☑现场查阅: ticking every box chooses none
        return True
    if delivery(f, text) != ("", ""):
        return False
    asked = any(k in f for k in ("form", "method"))
    return asked or bool(_UNCHOSEN.search(text) or _UNUSABLE_WAY.search(text))


def _ways(options: list[str]) -> tuple[list[str], list[str]]:
    forms: list[str] = []
    methods: list[str] = []
    for option in options:
        for rx, form, method in _DELIVERY:
            if rx.search(option):
                if form and form not in forms:
                    forms.append(form)
                if method and method not in methods:
                    methods.append(method)
    return forms, methods


def is_email_dump(text: str) -> bool:
    """True for a forwarded or pasted e-mail (发件人/主题/发送时间 headers)."""
    return len(_EMAIL_HEAD.findall(text)) >= 2


def channel(f: Fields, text: str) -> str:
    """How the request came: 当面 | 挂号信 | 平信 | 网络 | 传真 | 电子邮件, or "" when the text does not say."""
    value = first(f, "channel")
    value = (ticked(value) or [value])[0] if value else ""
    for words, name in _CHANNELS:
        if value and re.search(words, value, re.I):
            return name
    if is_email_dump(text):
        return "电子邮件"
    return "网络" if _PORTAL.search(text) else ""


def agency(f: Fields, lines: list[str], text: str) -> str:
    """The addressee: a labelled 受理机关, the salutation ("瓯海区人民政府办公室："), or "向××申请"."""
    value = clean(first(f, "agency"))
    if value and not _EMAIL_IN.search(value):
        return value
    for line in [ln for ln in lines if ln.strip()][:6]:
        m = _SALUTATION.match(line.strip())
        if m:
            return m[1]
    m = _TO_AGENCY.search(text)
    return m[1] if m else ""


def document_numbers(text: str) -> tuple[str, ...]:
    """文号 in the text (温政发〔2023〕12号, [2023], （2023） variants; 国务院令第711号), in order, once each."""
    found: list[str] = []
    for m in _DOC_NO.finditer(text):
        prefix = _DOC_CUT.sub("", m[1])
        if prefix:
            found.append(re.sub(r"\s", "", prefix + m[0][len(m[1]):]))
    found.extend(re.sub(r"\s", "", m[0]) for m in _ORDER_NO.finditer(text))
    return tuple(dict.fromkeys(found))


def submitted_date(f: Fields, lines: list[str], today: date | None) -> date | None:
    """A labelled 申请/提交 date, else the date under the signature (last lines of the text)."""
    for v in f.get("date", []):
        d = parse_date(v, today)
        if d:
            return d
    for line in reversed([ln.strip() for ln in lines[-8:] if ln.strip()]):
        if len(line) <= 24:  # a date line under the signature, not a date inside the request itself
            d = parse_date(line, today)
            if d:
                return d
    return None


def parse_date(s: str, today: date | None = None) -> date | None:
    """2024年3月5日, 2024-03-05, 2024.3.5, 二〇二四年三月五日, 3月5日 (year of `today`), an e-mail Date header."""
    m = _DATE_NUM.search(s)
    if m:
        return _date(int(m[1]), int(m[2]), int(m[3]))
    m = _DATE_HAN.search(s)
    if m:
        return _date(int("".join(str(_HAN_DIGIT.get(c, 0)) for c in m[1])), _han_number(m[2]), _han_number(m[3]))
    m = _DATE_MD.search(s)
    if m and today:
        return _date(today.year, int(m[1]), int(m[2]))
    m = _DATE_EN.search(s)
    if m:  # an e-mail header: "Tue, 5 Mar 2024 10:21:00 +0800" or "Monday, March 4, 2024 9:15 AM"
        day, month, year = (m[1], m[2], m[3]) if m[1] else (m[5], m[4], m[6])
        return _date(int(year), _MONTHS.index(month[:3].title()) + 1, int(day))
    return None


def _han_number(s: str) -> int:
    if "十" not in s:
        return _HAN_DIGIT.get(s, 0)
    tens, _, ones = s.partition("十")
    return (_HAN_DIGIT.get(tens, 0) if tens else 1) * 10 + (_HAN_DIGIT.get(ones, 0) if ones else 0)


def _date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None
