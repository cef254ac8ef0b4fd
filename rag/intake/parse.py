"""Request intake: read an incoming 政府信息公开申请 and parse it into fields.

`read_request_file(data, filename)` turns an uploaded file (.docx with its tables, .pdf text
layer, .eml, plain text in UTF-8 or GBK) into text, or raises `BadRequestText` with a clear
Chinese message. `parse_request(text)` is pure: who applies (name, identity number, contact,
applicant-type column), what information is sought, in which form and how, through which
channel and when, which agency is addressed, which 文号 are cited — and which items that
第二十九条 requires are missing (the basis of a 补正告知, 第三十条). Missing means absent or unusable
(a 17-digit ID number, a blank 获取方式 field, delivery by WeChat) — not a letter merely silent on the
way of delivery (the office then chooses, 第四十条), nor 邮寄 without an address when a phone lets the
office ask for it (江苏答复规范一（二）).

The text patterns live in `rag.intake.fields` (labels, tick boxes), `rag.intake.text` (what is
asked, delivery, channel, addressee, dates) and `rag.intake.applicant` (names, identity numbers,
contacts); the number checks and the applicant-type column in `rag.intake.identity`.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from rag.intake import applicant as af
from rag.intake import identity as who
from rag.intake import fields as rf
from rag.intake import text as rt
from rag.core.documents import decode_text
from rag.core.errors import BadRequestText

__all__ = ["Applicant", "Request", "parse_request", "read_request_file", "usable_text"]

MAX_FILE_BYTES = 20 * 1024 * 1024  # the CLI's own input limit; Word/PDF files carry images
MAX_TEXT_BYTES = 2 * 1024 * 1024  # a plain-text request larger than this is not one request
MAX_TEXT_CHARS = 300_000  # about 150 pages: longer extracted text is a book, not a request
_NO_ID_LENGTH = re.compile(r"\d{14}|\d{16,17}|\d{19,20}")
_IMAGES = ("png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "webp", "heic")
_OTHER_FORMATS = ("xlsx", "xls", "pptx", "ppt", "zip", "rar", "7z", "odt", "ods", "exe", "mp3", "mp4")


@dataclass(frozen=True)
class Applicant:
    """The applicant as the request states it (第二十九条第二款第（一）项)."""

    name: str = ""  # a person's name or an organisation's full name
    kind: str = who.PERSON  # 自然人 | 法人或其他组织
    id_type: str = ""  # 居民身份证 | 统一社会信用代码 | 护照 | 其他 | ""
    id_number: str = ""
    id_valid: bool | None = None  # check character right; None when there is nothing to verify
    phone: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""
    contact_person: str = ""  # for an organisation: the person to call
    applicant_type: str = who.PERSON  # one of rag.core.outcomes.APPLICANT_TYPES
    type_signals: tuple[str, ...] = ()  # why that column, in Chinese

    def to_json(self) -> dict:
        """The CLI's `applicant` object: name, id_number, phone, address and the other fields."""
        return {**asdict(self), "type_signals": list(self.type_signals)}


@dataclass(frozen=True)
class Request:
    """One parsed request: who, what, in which form, how and when it came, and what is missing."""

    text: str
    applicant: Applicant = field(default_factory=Applicant)
    description: str = ""  # the information sought: name, 文号, other features (第二十九条（二）)
    purpose: str = ""
    delivery_form: str = ""  # 纸质 | 电子 | 光盘 | 磁盘 (several joined by 、)
    delivery_method: str = ""  # 邮寄 | 电子邮件 | 自行领取 | 当场阅读、抄录 | 传真 | 网上获取 (joined by 、)
    channel: str = ""  # 当面 | 挂号信 | 平信 | 网络 | 传真 | 电子邮件 | "" (the text does not say)
    submitted_date: date | None = None
    agency: str = ""  # the addressee the request names, if any
    document_numbers: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()  # 第二十九条 items absent: 姓名或名称, 身份证明, 联系方式, 所需信息描述, 获取方式, …
    notes: tuple[str, ...] = ()  # other points for the clerk (check character wrong, ID attached, …)

    def to_json(self) -> dict:
        """Every field as JSON (ISO date, the applicant nested), without the text itself."""
        return {
            "applicant": self.applicant.to_json(),
            "description": self.description,
            "purpose": self.purpose,
            "delivery_form": self.delivery_form,
            "delivery_method": self.delivery_method,
            "channel": self.channel,
            "submitted_date": self.submitted_date.isoformat() if self.submitted_date else None,
            "agency": self.agency,
            "document_numbers": list(self.document_numbers),
            "missing": list(self.missing),
            "notes": list(self.notes),
        }


def parse_request(text: str, *, today: date | None = None) -> Request:
    """Parse a request text (pure). `today` dates a "3月5日" without a year and flags a future date."""
    usable_text(text)
    norm = rf.normalise(text)
    lines = norm.split("\n")
    f = rf.labelled_fields(lines)
    notes: list[str] = []
    applicant = _applicant(f, lines, norm, notes)
    description = rt.description(f, lines)
    form, method = rt.delivery(f, norm)
    submitted = rt.submitted_date(f, lines, today)
    if submitted and today and submitted > today:
        notes.append(f"申请日期 {submitted.isoformat()} 晚于今天，请核对")
    attached = af.attached_identity(norm)
    if attached and not applicant.id_number:
        notes.append("身份证明以附件（复印件）形式提供，请核对附件")
    a = applicant
    reachable = bool(a.phone or a.email or a.address)
    ways = method.split("、")
    # 江苏答复规范一（二）1: 要求邮寄送达但未提供联系方式、邮寄地址，或要求电子邮件送达但未提供电子邮箱的，告知补正.
    # A phone number lets the office ask for the address; a field the applicant left blank does not.
    no_mail = "邮寄" in ways and not a.address and not ("电子邮件" in ways and a.email)
    no_email = "电子邮件" in ways and not a.email and not ("邮寄" in ways and a.address)
    # 第二十九条第二款第（三）项 asks for the way of delivery, but where a letter is silent the office
    # chooses the form (第四十条) and 答复规范一（二）3 only "可要求申请人予以明确": the item is missing when
    # the applicant was asked and left it open, or chose a way no office can use (with no contact at all
    # it is 联系方式 that is missing).
    unclear = rt.delivery_unclear(f, norm)
    # A 居民身份证 number has 18 characters (15 on old cards): 17 digits identify nobody. A wrong check
    # character alone is most often a typing slip and only noted (see `_applicant`).
    no_id = not a.id_number or (a.id_type in ("居民身份证", "其他") and bool(_NO_ID_LENGTH.fullmatch(a.id_number)))
    checks = (
        ("姓名或名称", not a.name),
        ("身份证明", no_id and not attached),
        ("联系方式", not reachable),
        ("所需信息描述", not description),
        ("获取方式", unclear),
        ("邮寄地址", no_mail and (not a.phone or af.left_blank(f, "address"))),
        ("电子邮箱", no_email and (not a.phone or af.left_blank(f, "email"))),
    )
    return Request(text, applicant, description, rt.purpose(f, norm), form, method, rt.channel(f, norm),
                   submitted, rt.agency(f, lines, norm), rt.document_numbers(norm),
                   tuple(item for item, absent in checks if absent), tuple(notes))


def _applicant(f: rf.Fields, lines: list[str], text: str, notes: list[str]) -> Applicant:
    declared = next((c for c in (_choice(v) for v in f.get("kind", [])) if c), "") or next(
        (o for line in lines for o in (rf.ticked(line) or []) if who.declared_kind(o)), "")
    id_number, id_type = af.identity_number(f, text)
    org = af.organisation_name(f.get("org_name", []) + f.get("name", []), lines, text)
    if not org and who.declared_kind(declared) == who.ORGANISATION:  # the tick is respected: take the name given
        org = af.clean_org_name(rf.first(f, "org_name"))
    if org and id_type != "统一社会信用代码":  # the organisation's code, not its contact person's ID card
        code = af.credit_code_in(text)
        if code:
            id_number, id_type = code, "统一社会信用代码"
    sender = rf.first(f, "sender") if rt.is_email_dump(text) else ""
    person = af.person_name(f.get("name", []), lines, text, sender)
    kind, column, signals = who.applicant_type(org or person, id_number if id_type == "统一社会信用代码" else "",
                                               declared, context=text)
    if kind == who.ORGANISATION and not org and len(person) > 4 and "·" not in person and not person.isascii():
        org, person = person, ""  # "申请人名称：瓯海区某某小吃店" with a USCC is not a person's name
    if kind == who.ORGANISATION and not org:
        notes.append("申请人为法人或其他组织，但未写明组织名称，请补正")
    contact = ""
    if kind == who.ORGANISATION:
        contact = (af.clean_person_name(rf.first(f, "contact")) or (person if person != org else "")
                   or af.clean_person_name(rf.first(f, "legal_rep")))
    if not id_number and re.search(r"\d{2,}\*{3,}", " ".join(f.get("id_number", []) + f.get("uscc", []))):
        notes.append("证件号码被部分隐去（含*），无法核验身份，请要求补正")
    id_valid = _id_valid(id_type, id_number)
    if id_valid is False:
        notes.append(f"{id_type}号码 {id_number} 校验位不符，请核对或要求补正")
    return Applicant(org if kind == who.ORGANISATION else person, kind, id_type, id_number, id_valid,
                     af.phone(f, text), af.email(f, lines), af.address(f, text), af.postcode(f, text),
                     contact, column, signals)


def _choice(value: str) -> str:
    """A 申请人类型 value: its ticked option, or the value itself when it has no boxes."""
    ticks = rf.ticked(value)
    chosen = ticks[0] if ticks else ("" if ticks is not None else value.strip())
    return chosen if chosen and who.declared_kind(chosen) else ""


def _id_valid(id_type: str, number: str) -> bool | None:
    if not number:
        return None
    if id_type == "居民身份证":
        return who.check_id_card(number)
    if id_type == "统一社会信用代码":
        return who.check_uscc(number)
    return None


# ---------------------------------------------------------------- reading files

def read_request_file(data: bytes, filename: str = "") -> str:
    """The text of an uploaded request: .docx (paragraphs and table cells), .pdf (text layer),
    .eml, or plain text in UTF-8/GBK; anything unusable raises BadRequestText in Chinese."""
    name = filename.lower()
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    if not data:
        raise BadRequestText("文件为空")
    if len(data) > MAX_FILE_BYTES:
        raise BadRequestText(f"文件过大（{len(data) // 1024 // 1024} MB），上限 20 MB")
    # The bytes decide before the name does: people rename .docx files to .doc and back.
    if data[:4] == b"PK\x03\x04" and ext not in _OTHER_FORMATS:
        text = _docx_text(data)
    elif data[:5] == b"%PDF-" or ext == "pdf":
        text = _pdf_text(data)
    elif ext in _OTHER_FORMATS:
        raise BadRequestText(f"不支持 .{ext} 文件，请上传 .docx、.pdf、.txt 或粘贴文字")
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or data[:5] == b"{\\rtf" or ext in ("doc", "wps", "docx"):
        raise BadRequestText("这是旧版 Word（.doc/.wps）或 RTF 文件，请用 Word 或 WPS 另存为 .docx 后上传，或直接粘贴文字"
                             if ext != "docx" else "Word 文件已损坏或不是 .docx")
    elif ext in _IMAGES or data[:3] == b"\xff\xd8\xff" or data[:8] == b"\x89PNG\r\n\x1a\n":
        raise BadRequestText("图片无法识别文字，请粘贴申请文字或上传文字版文件")
    else:
        if len(data) > MAX_TEXT_BYTES:
            raise BadRequestText(f"文本文件过大（{len(data) // 1024} KB），上限 2 MB，请只保留申请书正文")
        text = _decode(data)
        if ext == "eml" or (re.match(rb"(?:Return-Path|Received|From|Date|To|Subject|Message-ID):", data, re.I)
                            and re.search(rb"^(?:MIME-Version|Content-Type):", data[:4096], re.I | re.M)):
            text = _email_text(data) or text
    return usable_text(text)


def usable_text(text: str) -> str:
    """Return `text` if it can be a request; raise BadRequestText if empty, binary junk or too long."""
    if not text or not text.strip():
        raise BadRequestText("申请内容为空")
    if len(text) > MAX_TEXT_CHARS:
        raise BadRequestText(f"申请内容过长（{len(text)} 字），上限 {MAX_TEXT_CHARS} 字，请拆分或只保留申请书正文")
    sample = text[:20000]
    bad = sum(1 for c in sample if c == "\ufffd" or (ord(c) < 32 and c not in "\n\r\t\f\v"))
    if "\x00" in sample or bad > max(3, len(sample) // 50):
        raise BadRequestText("内容像是二进制文件而不是文字，请上传 .docx、.pdf、.txt 或粘贴文字")
    if not re.search(r"[\u4e00-\u9fffA-Za-z]", sample):
        raise BadRequestText("内容中没有可识别的文字")
    return text


def _decode(data: bytes) -> str:
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))  # Notepad's "Unicode" has NULs by nature
    if not utf16 and b"\x00" in data[:4096]:
        raise BadRequestText("内容像是二进制文件而不是文字，请上传 .docx、.pdf、.txt 或粘贴文字")
    try:
        return decode_text(data)
    except UnicodeDecodeError as exc:
        raise BadRequestText("UTF-16 文本已损坏" if utf16 else
                             "文本编码无法识别（应为 UTF-8 或 GBK），请另存为 UTF-8 后上传") from exc


def _docx_text(data: bytes) -> str:
    import io
    import zipfile

    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    try:
        doc = Document(io.BytesIO(data))
    # python-docx meets a package with unexpected parts by failing on the element it expected
    # (AttributeError on a bare <Types/>, KeyError on a missing part): all mean a broken file.
    except (zipfile.BadZipFile, KeyError, AttributeError, XMLSyntaxError, PackageNotFoundError, ValueError) as exc:
        raise BadRequestText("Word 文件已损坏或不是 .docx") from exc
    text = "\n".join(_block_text(doc.element.body))
    if not text.strip():
        raise BadRequestText("Word 文件中没有文字（可能只含扫描图片），请粘贴申请文字或上传文字版")
    return text


# Tick boxes typed as Wingdings symbols (w:sym) or as letters in a Wingdings font.
_SYMBOL_FONTS = {"wingdings": {0xFE: "☑", 0xFD: "☒", 0xFC: "√", 0xFB: "×", 0xA8: "□", 0x6F: "□", 0x6E: "■", 0x78: "☒"},
                 "wingdings 2": {0x52: "☑", 0x54: "☒", 0x51: "☒", 0x50: "√", 0xA3: "□", 0x2A: "□", 0x4F: "×"}}
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _block_text(body) -> list[str]:  # type: ignore[no-untyped-def]
    """Paragraphs in order; each table row as its cells joined by " | " (empty cells kept: they mark blanks)."""
    lines: list[str] = []
    for child in body.iterchildren():
        if child.tag == f"{_W}p":
            lines.append(_para_text(child))
        elif child.tag == f"{_W}tbl":
            for row in child.iter(f"{_W}tr"):
                cells: list[str] = []
                for tc in row.iterchildren(f"{_W}tc"):  # a merged cell is one w:tc: no duplicates
                    cells.append(" ".join(t.strip() for t in (_para_text(p) for p in tc.iter(f"{_W}p")) if t.strip()))
                lines.append(" | ".join(cells))
        elif child.tag == f"{_W}sdt":
            lines.extend(_block_text(child.find(f"{_W}sdtContent")) if child.find(f"{_W}sdtContent") is not None else [])
    return lines


def _para_text(p) -> str:  # type: ignore[no-untyped-def]
    out: list[str] = []
    for el in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}sym"):
        if any(True for _ in el.iterancestors(_MC_FALLBACK)):
            continue  # a text box is stored twice (mc:Choice and mc:Fallback): read it once
        if el.tag == f"{_W}t":
            font = ""
            rpr = el.getparent().find(f"{_W}rPr")
            if rpr is not None and rpr.find(f"{_W}rFonts") is not None:
                font = (rpr.find(f"{_W}rFonts").get(f"{_W}ascii") or "").lower()
            table = _SYMBOL_FONTS.get(font)
            out.append("".join(table.get(ord(c) & 0xFF, c) for c in el.text or "") if table else el.text or "")
        elif el.tag == f"{_W}sym":
            table = _SYMBOL_FONTS.get((el.get(f"{_W}font") or "").lower(), {})
            out.append(table.get(int(el.get(f"{_W}char") or "0", 16) & 0xFF, ""))
        else:
            out.append("\t" if el.tag == f"{_W}tab" else "\n")
    return "".join(out)


def _pdf_text(data: bytes) -> str:
    import io
    import zlib

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise BadRequestText("PDF 已加密，请上传未加密的文件或粘贴文字")
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PyPdfError, ValueError, KeyError, IndexError, OSError, zlib.error) as exc:
        raise BadRequestText("PDF 文件已损坏，无法读取") from exc
    if len(re.sub(r"\s", "", text)) < 10:
        raise BadRequestText("PDF 没有文字层（可能是扫描件），请粘贴文字或上传文字版")
    return text


def _email_text(data: bytes) -> str:
    """A saved e-mail (.eml): its sender, date and subject as labelled lines, then the plain-text body."""
    from email import policy
    from email.parser import BytesParser

    msg = BytesParser(policy=policy.default).parsebytes(data)
    body = msg.get_body(preferencelist=("plain",))
    if body is None:
        return ""
    raw = body.get_payload(decode=True) or b""
    charset = body.get_content_charset()
    try:  # a missing or wrong charset is common in mail from Chinese clients: fall back to UTF-8/GBK
        content = raw.decode(charset) if charset else _decode(raw)
    except (LookupError, UnicodeDecodeError):
        content = _decode(raw)
    head = [f"{label}：{_header(msg[key])}" for key, label in (("From", "发件人"), ("Date", "发送时间"),
                                                                ("To", "收件人"), ("Subject", "主题")) if msg[key]]
    return "\n".join(head) + "\n\n" + content


def _header(value: object) -> str:
    # Raw 8-bit headers come back with surrogate escapes: recover their bytes and decode them.
    text = str(value)
    try:
        return _decode(text.encode("utf-8", "surrogateescape"))
    except BadRequestText:
        return text
