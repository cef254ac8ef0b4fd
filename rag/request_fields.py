"""The fields of a request text, for `rag.intake.parse_request` (pure functions over plain text).

Real requests come as filled-in 申请表 ("label：value" lines, or Word tables flattened as cells
joined by " | ", tick boxes such as "☑纸质 □电子邮件"), free letters, online-portal dumps and
e-mails. `labelled_fields` collects every label/value pair by field; the other functions fall
back on patterns in the prose (phones, addresses, "现申请公开……", the date under a signature).
"""

from __future__ import annotations

import re
from datetime import date

Fields = dict[str, list[str]]

# Field → the labels that introduce it, as full regexes over a label with spaces, "*" and
# bracketed hints (（必填）, （签名）…) removed. Order matters: the first field that matches wins.
_LABELS: tuple[tuple[str, str], ...] = (
    ("kind", r"申请人(?:类型|类别|性质|身份)|申请主体(?:类型)?|用户类型|主体类型"),
    ("id_type", r"(?:身份)?证件(?:类型|名称|种类)|有效证件(?:类型|名称)?|身份证明(?:类型|名称)?"),
    ("uscc", r"(?:单位)?(?:统一)?社会信用代码|组织机构代码|机构代码|营业执照(?:注册)?号(?:码)?|工商注册号"),
    ("id_number", r"(?:身份)?证件(?:名称)?(?:及|和|、)?号(?:码)?|(?:公民)?身份(?:证|证件)?号(?:码)?|身份证|有效证件号(?:码)?|证照号码|护照号(?:码)?"
                  r"|证件|证号"),
    ("org_name", r"(?:法人或(?:者)?其他组织|申请|工作)?单位(?:名称|全称)|(?:申请)?单位|(?:法人或(?:者)?其他组织|机构|组织|企业|法人|单位)?名称"),
    ("name", r"(?:申请人)?(?:真实)?姓名|申请人(?:名称)?|申请人签(?:名|字)|签名|姓名或名称|来访人|来人|来访者"),
    ("legal_rep", r"法定代表人|法人代表|负责人|经营者"),
    ("contact", r"联系人(?:姓名)?|经办人"),
    ("employer", r"工作单位"),
    ("phone", r"(?:联系人?|移动|固定|办公)?电话(?:号码)?|联系人手机|(?:联系)?手机(?:号码?)?|联系方式|电话/手机|手机/电话"),
    ("email", r"(?:联系人)?(?:电子)?(?:邮箱|信箱)(?:地址)?|电子邮件(?:地址)?|e-?mail|邮件地址"),
    ("postcode", r"邮政编码|邮编"),
    ("address", r"(?:通信|通讯|联系|邮寄|家庭|收件|现|居住)?(?:地址|住址)(?:及|和|、|/)?(?:邮编|邮政编码)?|住所(?:地)?"),
    ("purpose", r"(?:所需(?:政府)?信息的?)?用途|申请(?:用途|理由|目的)|信息用途"),
    ("form", r"(?:所需信息的?)?(?:指定)?提供(?:载体)?形式|载体形式|信息载体|(?:获取|公开)形式|提供政府信息的指定方式|提供方式"
             r"|(?:申请公开|所需)?(?:政府)?信息的?(?:形式|载体(?:形式)?)"),
    ("method", r"获取(?:政府)?信息的?方式|获取(?:方式|途径)?|领取方式|送达方式|接收方式|获取信息方式|(?:回复|答复|反馈)(?:方式|途径)|方式"),
    ("channel", r"申请(?:方式|渠道|途径)|提交(?:方式|渠道)|来源(?:渠道)?|受理方式"),
    ("date", r"(?:申请|提交|填表|登记|落款)?(?:日期|时间)|申请提交时间|发(?:送|件)时间|date|sent"),
    ("agency", r"受理(?:机关|单位|部门)|(?:被)?申请(?:机关|对象)|收件(?:机关|单位)|被申请人|致"),
    ("sender", r"发件人|from"),
    ("recipient", r"收件人|抄送|to|cc"),
    ("subject", r"主题|subject|标题"),
    # The long labels of printed forms ("所需政府信息的名称、文号或者便于……的其他特征性描述") end in
    # words, never in a year or a 《title》: "所需信息 2025年……的通知" is a label and its value.
    ("description", r"所需(?:的)?(?:政府)?信息[^\d《“\"]{0,30}|申请(?:公开|获取)?(?:的)?(?:政府)?信息[^\d《“\"]{0,30}|申请公开(?:的)?内容"
                    r"|(?:需要|要求|需|拟)(?:公开|获取)?的?(?:政府)?信息[^\d《“\"]{0,20}"
                    r"|申请(?:内容|事项)(?:描述)?|(?:政府)?信息(?:名称|内容|描述|内容描述)|(?:信息|内容)描述|文件名称|文号|索引号|信息"),
    # A portal's message box and a clerk's record of an oral request: the story, with the ask somewhere in it.
    ("narrative", r"内容|诉求(?:记录|内容)?|(?:来访)?事由|(?:申请人)?(?:口述|自述)|申请人称"),
)
_LABEL_RES = tuple((f, re.compile(p, re.I)) for f, p in _LABELS)
_LONG_FIELDS = {"description", "narrative", "purpose", "address"}
_OPTION_FIELDS = {"form", "method", "channel", "kind", "id_type"}
# Fields worth picking out of a prose sentence ("……，联系人：陈立，电话：0577-88990011。").
_CLAUSE_FIELDS = {"name", "org_name", "id_type", "id_number", "uscc", "contact", "legal_rep", "phone", "email",
                  "postcode", "address", "purpose", "method", "form"}
_CLEAN_LABEL = re.compile(r"\s+|[*＊★※]|[（(【\[][^）)】\]]{0,16}[）)】\]]")
_CELL_SPLIT = re.compile(r"\s*[|｜┃│\t]\s*|\s{3,}|\s{2,}(?=[^\s:：|]{1,12}[:：])")
# "[单位名称] ……", "【申请人】……", "┌申请人┐ ……": a label in brackets; "姓名______张三______": blanks drawn as lines.
_BRACKET_LABEL = re.compile(r"[\[【┌]\s*([^\]】┐\s]{1,12})\s*[\]】┐]")
_RULED = re.compile(r"_{3,}")
# "——所需信息——", "┌所需政府信息┐", "【提供方式】" alone on a line: a section of the form.
_SECTION = re.compile(r"[—\-─━=┌└【\[<〈「\s]+([^—\-─━=┐┘】\]>〉」:：\s]{2,16})[—\-─━=┐┘】\]>〉」\s]+"
                      r"|\s*(?:[一二三四五六七八九十]{1,2}、|\d{1,2}[、.．])\s*([^:：\s]{2,16})\s*")  # "二、申请公开的信息"
_SPACED = re.compile(r"^([^\s:：]{2,12})\s+(\S.*)$")
_CLAUSE_SPLIT = re.compile(r"[，,;；。]")
_INLINE = re.compile(r"^\s*([^:：]{1,40}?)\s*[:：]\s*(.*)$")
_SIGN_OFF = re.compile(r"^(?:此致|敬礼|特此申请|申请人(?:签名|签字)?\s*[:：]|附件|附[:：])")

_BOXES = "□☐○〇◯▢"
_MARKS = "☑✅■√✓✔☒▣◉●⊠🗹"
_BRACKET_TICK = re.compile(r"[\[［(（【]\s*[√✓✔xX×■]\s*[\]］)）】]")
_BRACKET_EMPTY = re.compile(r"[\[［(（【]\s*[\]］)）】]")
_BOX_SPLIT = re.compile(f"([{_BOXES}{_MARKS}])")
_WORD_SPLIT = re.compile(r"[\s|,，;；]+")

_FULLWIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)},
                            **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
                            **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
                            "＠": "@", "．": ".", "－": "-", "\u3000": " ", "\u00a0": " ",
                            "\u2002": " ", "\u2003": " ", "\u200b": "", "\ufeff": "", "\r": ""})


def normalise(text: str) -> str:
    """Full-width digits and letters to ASCII, odd spaces to plain ones (Chinese punctuation is kept)."""
    return text.translate(_FULLWIDTH)


def label_field(label: str) -> str:
    """The field a form label introduces ("姓    名" → "name"), or ""."""
    text = _CLEAN_LABEL.sub("", label)
    if not 1 <= len(text) <= 44:
        return ""
    words = label.split()
    if len(words) > 1 and re.search(r"[\d《“]", "".join(words[1:])) and label_field(words[0]):
        return ""  # "所需信息 2025年……的通知": a label and its value, not one long label
    return next((f for f, rx in _LABEL_RES if rx.fullmatch(text)), "")


def ticked(value: str) -> list[str] | None:
    """The ticked options of a tick-box value; None when the value has no boxes at all.

    A mark stuck to the word before it and followed by a space or the end ("纸质√  电子邮件")
    ticks that word; otherwise it ticks the word after it ("☑纸质 □电子邮件", "[√]公民").
    """
    v = _BRACKET_EMPTY.sub("□", _BRACKET_TICK.sub("☑", value))
    parts = _BOX_SPLIT.split(v)
    if len(parts) == 1:
        return None
    chosen: list[str] = []
    for k in range(1, len(parts), 2):
        if parts[k] not in _MARKS:
            continue
        before, after = parts[k - 1], parts[k + 1]
        if before[-1:].strip() and not after[:1].strip():
            words = _WORD_SPLIT.split(before.strip())
            word = words[-1] if words else ""
        else:
            words = _WORD_SPLIT.split(after.strip())
            word = words[0] if words else ""
        if word:
            chosen.append(word)
    return chosen


def labelled_fields(lines: list[str]) -> Fields:
    """Every `label：value` and `label | value` pair of the text, in order, per field."""
    out: Fields = {}
    section = ""
    for i, line in enumerate(lines):
        header = _SECTION.fullmatch(line)
        if header and (header[1] or label_field(header[2])):
            section = label_field(header[1] or header[2])
            continue
        cells = _cells(line)
        # "电子邮件" under "——提供方式——" reads like a label itself: an option line has no colon.
        if section and cells and not _SIGN_OFF.match(line.strip()) and (
                (section == "description" and not any(_is_label_cell(c) for c in cells))
                or (section in _OPTION_FIELDS and len(line.strip()) <= 20 and not re.search("[:：]", line))):
            out.setdefault(section, []).append(" ".join(cells))  # "——提供方式——" then "电子邮件" on its own line
            continue
        j = 0
        while j < len(cells):
            cell, j = cells[j], j + 1
            m = _INLINE.match(cell)
            name = label_field(m[1]) if m else ""
            first_part = m[2] if name else ""
            if not name:
                name = label_field(cell)
                if not name:
                    spaced = _SPACED.match(cell)  # "姓名 张三" typed without a colon
                    name = label_field(spaced[1]) if spaced else ""
                    if not name:
                        continue
                    first_part = spaced[2]
            if name == "org_name" and section == "description":
                name = "description"  # "名称：……" under "所需信息" names the document, not the applicant
            parts = [first_part] if first_part else []
            while j < len(cells) and not _is_label_cell(cells[j], spaced=name not in _OPTION_FIELDS):
                parts.append(cells[j])
                j += 1
            value = " ".join(parts).strip()
            if not value and j >= len(cells):
                value = _continuation(lines, i + 1, name)
            elif name not in _LONG_FIELDS:
                value = _CLAUSE_SPLIT.split(value)[0] if _clauses(value) else value
            out.setdefault(name, []).append(value)
        for name, value in _clauses(line):  # prose: "……，联系人：陈立，电话：0577-88990011。"
            out.setdefault(name, []).append(value)
    return out


def _clauses(text: str) -> list[tuple[str, str]]:
    """The `label：value` clauses after the first one in a sentence, for the short fields only."""
    if not re.search("[:：]", text):
        return []
    found = []
    for clause in _CLAUSE_SPLIT.split(text)[1:]:
        m = _INLINE.match(clause)
        name = label_field(m[1]) if m else ""
        if name in _CLAUSE_FIELDS and m[2].strip():
            found.append((name, m[2].strip()))
    return found


def _cells(line: str) -> list[str]:
    line = _RULED.sub(" | ", _BRACKET_LABEL.sub(lambda m: f" | {m[1]}：" if label_field(m[1]) else m[0], line))
    return [c for c in _CELL_SPLIT.split(line.strip()) if c]


def _is_label_cell(cell: str, *, spaced: bool = False) -> bool:
    """True for "电话：…", a bare label, and (when `spaced`) "电话 1390…" — not for an option such as "电子邮件 a@b.cn"."""
    m = _INLINE.match(cell)
    if m:
        return bool(label_field(m[1]))
    if label_field(cell):
        return True
    m = _SPACED.match(cell) if spaced else None
    return bool(m and label_field(m[1]))


def _continuation(lines: list[str], start: int, name: str) -> str:
    """A label alone at the end of its line: its value is on the next line(s), up to the next label."""
    taken: list[str] = []
    for line in lines[start:start + (40 if name in _LONG_FIELDS else 1)]:
        cells = _cells(line)
        if not cells:
            if taken:
                break
            continue
        # An option such as "电子邮件" under 获取方式 reads like a label itself: take it as the value.
        option = name in _OPTION_FIELDS and len(line.strip()) <= 20 and not re.search("[:：]", line)
        if not option and (_is_label_cell(cells[0]) or _SIGN_OFF.match(line.strip())):
            break
        taken.append(line.strip())
    return "\n".join(taken)


def first(f: Fields, key: str) -> str:
    """The first non-empty value of a field, or ""."""
    return next((v.strip() for v in f.get(key, []) if v.strip()), "")


def clean(value: str) -> str:
    """A value without surrounding spaces and trailing punctuation."""
    return value.strip().strip(",，;；。:： ").strip()




# ---------------------------------------------------------------- what is asked, how, when, of whom

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
                                         and not _is_label_cell(nxt.strip()) and not _SIGN_OFF.match(nxt.strip())):
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
        forms, methods = _ways([_UNTICKED.sub(" ", c) for s in re.split(r"[。；;\n]", text)
                                if _DELIVERY_VERB.search(s) and not _CONTACT_LINE.match(s)
                                for c in _CLAUSE_SPLIT.split(s) if not _NOT_CHOSEN.search(c)])
    return "、".join(forms), "、".join(methods)


_UNTICKED = re.compile(rf"[{_BOXES}]\s*[^\s{_BOXES}{_MARKS}|｜]+")


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
