"""Reply letters and procedural notices, rendered from `prompts/letters/*.j2`.

One template per outcome (named by `Outcome.code`) and per notice (`NOTICES`); shared parts
by Jinja inheritance (`_base.j2`) and includes (`_remedy.j2`). The legal basis of every letter
comes from rag/core/outcomes.py and reaches the templates as ready citation strings.

Two kinds of "unknown", kept apart on purpose:
- a fact the clerk has not supplied (the 文号's number, where the information is published…)
  becomes a visible gap 【待填：…】 and is listed in `Letter.missing` — a letter never has a
  blank where a fact should be;
- a field the template names but nobody defines (a typo in a template) raises
  `TemplateFieldMissing` (StrictUndefined): a broken template must fail, not print blank.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import jinja2
from jinja2 import meta

from rag.letters import privacy
from rag.core.agency import AgencyProfile
from rag.core.deadlines import Calendar, deadlines, received_date
from rag.core.errors import ConfigError, TemplateFieldMissing
from rag.intake.parse import Request
from rag.letters.context import (FIELDS, NOTICES, LetterFacts, build_context, cn_date, date_warnings, fill_fields,
                                gap)
from rag.letters.context import NOTICE_ALIASES
from rag.core.templates import environment
from rag.core.outcomes import FEE_RULES, FEE_RULES_NUMBER, OUTCOMES, outcome

__all__ = ["FIELDS", "NOTICES", "Letter", "LetterFacts", "citations", "cn_date", "draft_letter", "fill_gaps", "gap",
           "kinds", "request_facts", "resolve_kind", "valid_kinds_help"]

GAP_RE = re.compile(r"【待填：([^】]+)】")
_SECTION = "§"  # a line holding only this separates the letter's parts in a rendered template


@dataclass(frozen=True)
class Letter:
    """A drafted letter: its parts, the whole text, what it cites and what the clerk must fill."""

    kind: str  # outcome code or notice code
    title: str
    number: str
    salutation: str
    paragraphs: tuple[str, ...]
    signature: tuple[str, ...]
    notes: tuple[str, ...]
    basis: tuple[str, ...]
    missing: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    reasons_index: int = -1  # the paragraph an LLM may rewrite (the template's `reasons` block)

    @property
    def text(self) -> str:
        return "\n\n".join(("\n".join((self.title, self.number)),
                            "\n".join((self.salutation, *self.paragraphs)),
                            "\n".join(self.signature), *(["\n".join(self.notes)] if self.notes else [])))

    @property
    def reasons(self) -> str:
        return self.paragraphs[self.reasons_index] if self.reasons_index >= 0 else ""

    def with_reasons(self, text: str, warning: str = "") -> Letter:
        """The same letter with its reasons paragraph replaced (and a warning added)."""
        paras = list(self.paragraphs)
        if self.reasons_index >= 0:
            paras[self.reasons_index] = text
        return replace(self, paragraphs=tuple(paras), warnings=self.warnings + ((warning,) if warning else ()))

    def to_json(self) -> dict:
        return {"title": self.title, "text": self.text, "basis": list(self.basis), "missing": list(self.missing),
                "kind": self.kind, "document_number": self.number, "warnings": list(self.warnings)}


def kinds() -> tuple[str, ...]:
    """Every letter this module drafts: the 21 outcome codes, then the notice codes."""
    return tuple(o.code for o in OUTCOMES) + tuple(NOTICES)


def resolve_kind(kind: str) -> str:
    """An outcome key/code/item or a notice name/code → the template code; UnknownOutcome otherwise."""
    text = kind.strip()
    if text in NOTICES:
        return text
    for name, code in (*NOTICE_ALIASES.items(), *((v, k) for k, v in NOTICES.items())):
        if text == name or text.removesuffix("书") == name.removesuffix("书"):
            return code
    return outcome(text).code


def valid_kinds_help() -> str:
    """The accepted --outcome forms, for error messages."""
    rows = [o.key for o in OUTCOMES]
    return ("可用的办理结果（组/项）：" + "；".join(rows) + "。程序性告知：补正、" + "、".join(NOTICES.values())
            + "（或其代码：" + "、".join(NOTICES) + "）")


def draft_letter(kind: str, facts: LetterFacts, agency: AgencyProfile, prompts_dir: Path) -> Letter:
    """Render the letter for `kind` (outcome or notice) from `facts`, for `agency`."""
    code = resolve_kind(kind)
    env = environment(Path(prompts_dir).resolve())
    name = f"letters/{code}.j2"
    warnings: list[str] = []
    # The applicant's own identifiers may stay in a letter to the applicant — not in one to a third party.
    own = () if code == "third_party_consult" else facts.applicant_ids
    allowed = (*own, agency.phone, agency.address, str(facts.extra.get("holder_contact", "")))
    context = build_context(code, facts, agency, allowed, warnings)
    try:
        unknown = fill_fields(_template_fields(env, name), context, facts.extra)
        template = env.get_template(name)
        rendered = template.render(context)
        reasons = "".join(template.blocks["reasons"](template.new_context(context))) if "reasons" in template.blocks else ""
    except jinja2.UndefinedError as exc:
        raise TemplateFieldMissing(f"模板 {name} 引用了未定义的字段：{exc.message}") from exc
    except jinja2.TemplateError as exc:  # not found, syntax: the installation is broken, not the input
        raise ConfigError(f"文书模板 {name} 无法使用：{exc}") from exc
    if unknown:
        warnings.append("以下事实项不是文书字段，已忽略：" + "、".join(unknown))
    # The letter never carries a third party's identity number, phone or address (条例第十五条).
    findings = privacy.scan(rendered, allowed)
    if findings:
        warnings.append("已隐去第三方个人信息：" + "、".join(f"{f.kind} {f.masked()}" for f in findings))
        rendered = privacy.redact(rendered, allowed)
        reasons = privacy.redact(reasons, allowed)
    warnings.extend(date_warnings(code, facts))
    return _assemble(code, rendered, _clean(reasons), tuple(warnings))


def request_facts(request: Request, calendar: Calendar, *, letter_date: date, received: date | None = None,
                  document_number: str = "", extra: Mapping[str, str] | None = None) -> tuple[LetterFacts, tuple[str, ...]]:
    """The facts a parsed request gives a letter — applicant, received date (第三十一条 from the
    channel and submission date unless `received` is given), deadlines — and the warnings to show."""
    warnings: list[str] = []
    if received is None and request.submitted_date:
        receipt = received_date(request.channel, request.submitted_date)
        received = receipt.date
        warnings.extend(receipt.warnings)
    due: dict[str, date] = {}
    if received is not None:
        d = deadlines(received, calendar)
        due = {"reply": d.reply, "reply_extended": d.reply_extended, "correction_notice": d.correction_notice}
        warnings.extend(d.warnings)
    a = request.applicant
    facts = LetterFacts(
        applicant_name=a.name, applicant_kind=a.applicant_type, received_date=received,
        request_quote=request.description or _quoted_ask(request.text), request_text=request.text,
        document_number=document_number,
        letter_date=letter_date, deadlines=due, correction_items=request.missing,
        applicant_ids=tuple(v for v in (a.id_number, a.phone, a.email, a.address) if v), extra=dict(extra or {}))
    return facts, tuple(dict.fromkeys(warnings))


# Lines that are not the request itself: salutation, sign-off, the applicant's particulars, a date.
_NOT_ASK = re.compile(r"^(?:[^：:]{1,20}[：:]\s*$|此致|敬礼|申请人|姓名|身份证|证件|电话|手机|联系|地址|邮箱|日期|\d{4}[-年./])")


def _quoted_ask(text: str) -> str:
    """When no description could be parsed (a vague request), the applicant's own words, so that a
    补正告知书 quotes what was asked instead of leaving a gap."""
    for line in text.splitlines():
        line = line.strip()
        if len(line) >= 6 and not _NOT_ASK.search(line):
            return line[:80] + ("……" if len(line) > 80 else "")
    return ""


def fill_gaps(letter: Letter, values: Mapping[str, str]) -> Letter:
    """The letter with the clerk's text in place of each 【待填：label】 given a non-blank value."""
    given = {label: v.strip() for label, v in values.items() if v and v.strip()}
    if not given:
        return letter

    def fill(text: str) -> str:
        return GAP_RE.sub(lambda m: given.get(m.group(1), m.group(0)), text)

    paragraphs = tuple(fill(p) for p in letter.paragraphs)
    filled = replace(letter, title=fill(letter.title), number=fill(letter.number), salutation=fill(letter.salutation),
                     paragraphs=paragraphs, signature=tuple(fill(s) for s in letter.signature),
                     notes=tuple(fill(n) for n in letter.notes))
    return replace(filled, missing=tuple(dict.fromkeys(GAP_RE.findall(filled.text))), basis=citations(filled.text))


def citations(text: str) -> tuple[str, ...]:
    """Every provision `text` cites, one `《law》第N条[第M款][第（K）项]` each, in order, deduplicated."""
    out: list[str] = []
    for m in _CITE_RUN.finditer(text):
        law = m.group(1)
        for p in _PROVISION.finditer(m.group(2)):
            c = f"《{law}》{p.group()}"
            if c not in out:
                out.append(c)
    if f"《{FEE_RULES}》" in text and f"《{FEE_RULES}》" not in out:
        out.append(f"《{FEE_RULES}》（{FEE_RULES_NUMBER}）")
    return tuple(out)


_CN = "零〇一二三四五六七八九十百千"
_PROVISION = re.compile(rf"第[{_CN}]+条(?:第[{_CN}]+款)?(?:第（[{_CN}]+）项)?")
_CITE_RUN = re.compile(rf"《([^》]+)》((?:第[{_CN}]+条(?:第[{_CN}]+款)?(?:第（[{_CN}]+）项)?[、和及]?)+)")


# ---------------------------------------------------------------- templates

def _template_fields(env: jinja2.Environment, name: str) -> set[str]:
    """Variables a template (with its parents and includes) reads from the context."""
    seen: set[str] = set()
    names: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        source = env.loader.get_source(env, current)[0]  # type: ignore[union-attr]
        ast = env.parse(source)
        names |= meta.find_undeclared_variables(ast)
        todo.extend(t for t in meta.find_referenced_templates(ast) if t)
    return names


def _clean(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _assemble(code: str, rendered: str, reasons: str, warnings: tuple[str, ...]) -> Letter:
    sections: list[list[str]] = [[]]
    for line in rendered.splitlines():
        line = line.strip()
        if line == _SECTION:
            sections.append([])
        elif line:
            sections[-1].append(line)
    if len(sections) < 3 or len(sections[0]) != 2 or not sections[1]:
        raise TemplateFieldMissing(f"模板 letters/{code}.j2 的版式应为：标题、文号 § 称谓、正文 § 落款 [§ 附注]")
    title, number = sections[0]
    salutation, *paragraphs = sections[1]
    notes = tuple(line for s in sections[3:] for line in s)
    text = "\n".join((*sections[0], *sections[1], *sections[2], *notes))
    missing = tuple(dict.fromkeys(GAP_RE.findall(text)))
    index = paragraphs.index(reasons) if reasons and reasons in paragraphs else -1
    return Letter(code, title, number, salutation, tuple(paragraphs), tuple(sections[2]), notes,
                  citations(text), missing, warnings, index)
