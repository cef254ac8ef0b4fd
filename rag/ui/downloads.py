"""Files the clerk downloads, produced only when the download button is clicked (Streamlit calls
these without a script context: no st.* here, and a fresh register per call)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from rag.core.settings import Settings

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _via_file(suffix: str, write) -> bytes:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"out{suffix}"
        write(path)
        return path.read_bytes()


def letter_docx(letter) -> bytes:  # type: ignore[no-untyped-def]
    """A drafted `rag.letters.draft.Letter` as a .docx in 公文 format."""
    from rag.letters.word import write_docx

    return _via_file(".docx", lambda p: write_docx(letter, p))


def report_docx(report) -> bytes:  # type: ignore[no-untyped-def]
    """A generated `rag.annual.AnnualReport` as a .docx."""
    from rag.annual_docx import write_report_docx

    return _via_file(".docx", lambda p: write_report_docx(report, p))


def register_export(settings: Settings, suffix: str) -> bytes:
    """The agency's whole register as .xlsx or .csv (the CLI's `case export`)."""
    from rag.register.store import Register

    with Register(settings) as reg:
        export = reg.export_xlsx if suffix == ".xlsx" else reg.export_csv
        return _via_file(suffix, lambda p: export(p, reg.agency))
