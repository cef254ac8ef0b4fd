"""The label/value fields of a request text, for `rag.intake.parse.parse_request` (pure functions over plain text).

Real requests come as filled-in 申请表 ("label：value" lines, or Word tables flattened as cells
joined by " | ", tick boxes such as "☑纸质 □电子邮件"), free letters, online-portal dumps and
e-mails. `labelled_fields` collects every label/value pair by field and `ticked` reads tick boxes;
`rag.intake.text` reads what is asked, how, when and of whom, falling back on the prose.
"""

from __future__ import annotations

import re

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
CLAUSE_SPLIT = re.compile(r"[，,;；。]")
_INLINE = re.compile(r"^\s*([^:：]{1,40}?)\s*[:：]\s*(.*)$")
SIGN_OFF = re.compile(r"^(?:此致|敬礼|特此申请|申请人(?:签名|签字)?\s*[:：]|附件|附[:：])")

_BOXES = "□☐○〇◯▢"
_MARKS = "☑✅■√✓✔☒▣◉●⊠🗹"
_BRACKET_TICK = re.compile(r"[\[［(（【]\s*[√✓✔xX×■]\s*[\]］)）】]")
_BRACKET_EMPTY = re.compile(r"[\[［(（【]\s*[\]］)）】]")
_BOX_SPLIT = re.compile(f"([{_BOXES}{_MARKS}])")
_WORD_SPLIT = re.compile(r"[\s|,，;；]+")
# An option left unticked ("□邮寄"): blanked out before a sentence is read for a way of delivery.
UNTICKED = re.compile(rf"[{_BOXES}]\s*[^\s{_BOXES}{_MARKS}|｜]+")

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
        if section and cells and not SIGN_OFF.match(line.strip()) and (
                (section == "description" and not any(is_label_cell(c) for c in cells))
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
            while j < len(cells) and not is_label_cell(cells[j], spaced=name not in _OPTION_FIELDS):
                parts.append(cells[j])
                j += 1
            value = " ".join(parts).strip()
            if not value and j >= len(cells):
                value = _continuation(lines, i + 1, name)
            elif name not in _LONG_FIELDS:
                value = CLAUSE_SPLIT.split(value)[0] if _clauses(value) else value
            out.setdefault(name, []).append(value)
        for name, value in _clauses(line):  # prose: "……，联系人：陈立，电话：0577-88990011。"
            out.setdefault(name, []).append(value)
    return out


def _clauses(text: str) -> list[tuple[str, str]]:
    """The `label：value` clauses after the first one in a sentence, for the short fields only."""
    if not re.search("[:：]", text):
        return []
    found = []
    for clause in CLAUSE_SPLIT.split(text)[1:]:
        m = _INLINE.match(clause)
        name = label_field(m[1]) if m else ""
        if name in _CLAUSE_FIELDS and m[2].strip():
            found.append((name, m[2].strip()))
    return found


def _cells(line: str) -> list[str]:
    line = _RULED.sub(" | ", _BRACKET_LABEL.sub(lambda m: f" | {m[1]}：" if label_field(m[1]) else m[0], line))
    return [c for c in _CELL_SPLIT.split(line.strip()) if c]


def is_label_cell(cell: str, *, spaced: bool = False) -> bool:
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
        if not option and (is_label_cell(cells[0]) or SIGN_OFF.match(line.strip())):
            break
        taken.append(line.strip())
    return "\n".join(taken)


def first(f: Fields, key: str) -> str:
    """The first non-empty value of a field, or ""."""
    return next((v.strip() for v in f.get(key, []) if v.strip()), "")


def clean(value: str) -> str:
    """A value without surrounding spaces and trailing punctuation."""
    return value.strip().strip(",，;；。:： ").strip()
