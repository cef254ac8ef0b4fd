"""Opening the register's database (engine, SQLite settings, migrations in order); rows as nouns.

Internal to `rag.register.store`. SQLite gets WAL (readers never block the writer), a long busy
timeout (a second clerk's write waits instead of failing), FULL sync (a committed case
survives a power cut) and transactions begun by us, so that migrations are transactional and
writes can take the write lock up front with `BEGIN IMMEDIATE`. Any other SQLAlchemy URL is
used as given (PostgreSQL needs its driver installed, e.g. psycopg).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from rag.register.casefile import Case, Event, ordered
from rag.core.errors import ConfigError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_WAL_TRIES = 400  # × 50 ms
_PG_MIGRATION_LOCK = 727274  # any constant: one migrating process at a time on a server database


def open_engine(url: str) -> tuple[Engine, Engine]:
    """(reader, writer) engines over one pool; the writer's transactions take the write lock at once."""
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise ConfigError(f"数据库地址无法识别：{url!r}（应为 SQLAlchemy URL，如 sqlite:///data/register.sqlite3）") from exc
    sqlite = parsed.get_backend_name() == "sqlite"
    if sqlite:
        db = parsed.database or ""
        if db in ("", ":memory:") or db.startswith("file:"):
            raise ConfigError("登记簿须使用数据库文件（内存数据库在进程结束后即丢失）")
        Path(db).expanduser().parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = sa.create_engine(parsed, pool_pre_ping=not sqlite)
    except (ImportError, sa.exc.NoSuchModuleError) as exc:
        raise ConfigError(f"数据库驱动未安装（{parsed.drivername}）：{exc}") from exc
    if not sqlite:
        return engine, engine
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine, engine.execution_options(sqlite_begin="IMMEDIATE")


def migrate(writer: Engine) -> None:
    """Apply the Alembic migrations in order, under one write lock (no alembic.ini needed)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with writer.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text(f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})"))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def safe_url(url: str) -> str:
    """The URL with its password hidden, for messages."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "（无效地址）"


def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # sqlite3 must not open transactions itself (see _sqlite_begin)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout = 60000")
    # Turning a new file to WAL needs a moment of exclusive access and ignores the busy timeout:
    # when another process is doing the same, wait for it (then the file is WAL already).
    for attempt in range(_WAL_TRIES):
        try:
            cur.execute("PRAGMA journal_mode = WAL")
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == _WAL_TRIES - 1:
                raise
            time.sleep(0.05)
    cur.execute("PRAGMA synchronous = FULL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    # A deferred transaction that read first cannot upgrade to a write while another process
    # writes: it fails at once with "database is locked", whatever the busy timeout.
    conn.exec_driver_sql(f"BEGIN {conn.get_execution_options().get('sqlite_begin', 'DEFERRED')}")


def jsonable(value: Any) -> Any:
    """Dates to ISO strings, tuples to lists, keys to strings: what a JSON column stores."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def now() -> datetime:
    """The office's local time to the second (what the audit trail shows)."""
    return datetime.now().replace(microsecond=0)


def row_case(r: Any, events: Sequence[Event] = ()) -> Case:
    """A `cases` row (and its events) as a Case."""
    return Case(r.id, r.agency, r.year, r.seq, r.request_text, r.fields or {}, r.applicant_name, r.applicant_type,
                r.applicant_id, r.applicant_contact, r.channel, r.received_date, r.description, r.status, r.waiting,
                r.outcome, r.closed_date, r.due_date, r.created_at, r.updated_at, tuple(ordered(list(events))))


def row_event(r: Any) -> Event:
    """An `events` row as an Event."""
    return Event(r.id, r.case_id, r.kind, r.date, r.detail or {}, r.user, r.at)
