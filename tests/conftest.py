"""Shared fixtures: the real corpus, real embedders, temp data dirs — and no network."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"

_real_connect = socket.socket.connect


def _loopback_only(self, address):  # type: ignore[no-untyped-def]
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and host not in ("127.0.0.1", "localhost", "::1") and not host.startswith("/"):
        raise OSError(f"network blocked in tests: {address!r}")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Only loopback: the product must work offline, and tests must prove it."""
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return ROOT / "corpus"


@pytest.fixture()
def settings(tmp_path, corpus_dir):
    """Settings on the real corpus and prompts, with data (Chroma, SQLite) in a temp dir."""
    from rag.settings import Settings

    return Settings(corpus_dir=corpus_dir, data_dir=tmp_path / "data", _env_file=None)


@pytest.fixture(scope="session")
def agency(corpus_dir):
    from rag.agency import load_agency

    return load_agency("瓯海区人民政府办公室", corpus_dir)
