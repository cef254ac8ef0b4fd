"""The pure parts of the 收件分拣 page: the clerk's corrections applied to a parsed request, the
choices of the decision box, and a letter whose 【待填：…】 gaps the clerk fills in one by one.

A gap whose label is a template field (`rag.letters.context.FIELDS`) is filled by re-drafting with
that fact — dates and law titles then come out in the letter's own format; any other gap (文号,
a contact detail…) is filled in the text (`rag.letters.draft.fill_gaps`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from rag.core.agency import AgencyProfile
from rag.intake.parse import Request
from rag.letters.context import FIELDS
from rag.letters.draft import Letter, LetterFacts, draft_letter, fill_gaps
from rag.core.outcomes import CORRECTION, OUTCOMES, outcome

# The decisions a clerk can take on a new request: 补正 first (第三十条), then the 21 outcomes.
DECISIONS: tuple[str, ...] = (CORRECTION, *(o.key for o in OUTCOMES))
_FIELD_BY_LABEL = {f.label: key for key, f in FIELDS.items()}


@dataclass(frozen=True)
class Corrections:
    """What the clerk changed in the parsed fields (the request form's own words)."""

    name: str
    id_number: str
    phone: str
    email: str
    address: str
    applicant_type: str
    description: str
    missing: tuple[str, ...]


def corrected(request: Request, c: Corrections) -> Request:
    """The request as the clerk confirmed it."""
    applicant = replace(request.applicant, name=c.name.strip(), id_number=c.id_number.strip(), phone=c.phone.strip(),
                        email=c.email.strip(), address=c.address.strip(), applicant_type=c.applicant_type)
    return replace(request, applicant=applicant, description=c.description.strip(), missing=tuple(c.missing))


def decision_label(key: str) -> str:
    """How a decision reads in the selection box."""
    if key == CORRECTION:
        return "补正 —— 告知申请人补正（第二十九条、第三十条）"
    o = outcome(key)
    return o.group if o.group == o.item else f"{o.group} / {o.item}"


def draft_with_gaps(kind: str, facts: LetterFacts, agency: AgencyProfile, prompts_dir: Path,
                    values: Mapping[str, str]) -> tuple[tuple[str, ...], Letter]:
    """(every gap label of the blank letter, the letter with the clerk's `values` by label filled in)."""
    blank = draft_letter(kind, facts, agency, prompts_dir)
    given = {label: v.strip() for label, v in values.items() if v and v.strip() and label in blank.missing}
    extra = {**facts.extra, **{_FIELD_BY_LABEL[label]: v for label, v in given.items() if label in _FIELD_BY_LABEL}}
    letter = draft_letter(kind, replace(facts, extra=extra), agency, prompts_dir) if extra != dict(facts.extra) else blank
    rest = {label: v for label, v in given.items() if label not in _FIELD_BY_LABEL}
    return blank.missing, fill_gaps(letter, rest)
