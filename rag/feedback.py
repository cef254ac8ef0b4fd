"""The clerks' 👍/👎 on answers, kept for later evaluation of retrieval and answering.

One SQLite file under the data directory (`feedback.sqlite3`), separate from the register: a
rating is not part of any case file. Each answer is rated at most once per session; clicking
again changes the rating, clearing it deletes it. `export_jsonl` writes the evaluation set
(question, answer, citations, rating) in the shape of `tests/data/eval`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rag.core.errors import BadInput, ConfigError
from rag.core.settings import Settings

UP, DOWN = 1, 0  # st.feedback("thumbs") returns 1 for 👍 and 0 for 👎

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    session TEXT NOT NULL,
    message_id TEXT NOT NULL,
    user TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    found INTEGER NOT NULL,
    citations TEXT NOT NULL,
    score INTEGER NOT NULL,
    UNIQUE (session, message_id)
)"""


@dataclass(frozen=True)
class Rating:
    """One clerk's verdict on one answer."""

    id: int
    at: datetime
    session: str
    message_id: str
    user: str
    question: str
    answer: str
    found: bool
    citations: tuple[str, ...]  # 《doc》article labels, best first
    score: int  # UP or DOWN

    def to_json(self) -> dict:
        return {"at": self.at.isoformat(timespec="seconds"), "user": self.user, "question": self.question,
                "answer": self.answer, "found": self.found, "citations": list(self.citations),
                "rating": "up" if self.score == UP else "down"}


def feedback_path(settings: Settings) -> Path:
    """Where the ratings of this deployment live."""
    return settings.data_dir / "feedback.sqlite3"


class FeedbackStore:
    """Ratings in one SQLite file; a connection per call (never shared between threads)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as conn:
                conn.execute(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(f"无法打开评价记录 {self.path}：{exc}") from exc

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=10)) as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            with conn:  # one transaction, committed on success
                yield conn

    def rate(self, *, session: str, message_id: str, user: str, question: str, answer: str, found: bool,
             citations: Sequence[str], score: int | None) -> None:
        """Store (or change) the rating of one answer; `score` None clears it."""
        if score is None:
            with self._connect() as conn:
                conn.execute("DELETE FROM feedback WHERE session = ? AND message_id = ?", (session, message_id))
            return
        if score not in (UP, DOWN):
            raise BadInput(f"评价应为 1（👍）或 0（👎），收到：{score!r}")
        row = (datetime.now().isoformat(timespec="seconds"), session, message_id, user, question, answer,
               int(found), json.dumps(list(citations), ensure_ascii=False), score)
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO feedback (at, session, message_id, user, question, answer, found, citations, score) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (session, message_id) DO UPDATE SET "
                "at = excluded.at, user = excluded.user, score = excluded.score", row)

    def ratings(self) -> list[Rating]:
        """Every rating, oldest first."""
        with self._connect() as conn:
            rows = conn.execute("SELECT id, at, session, message_id, user, question, answer, found, citations, score "
                                "FROM feedback ORDER BY id").fetchall()
        return [Rating(r[0], datetime.fromisoformat(r[1]), r[2], r[3], r[4], r[5], r[6], bool(r[7]),
                       tuple(json.loads(r[8])), r[9]) for r in rows]

    def counts(self) -> dict[str, int]:
        """How many 👍 and 👎 so far."""
        with self._connect() as conn:
            up, down = conn.execute("SELECT COALESCE(SUM(score = 1), 0), COALESCE(SUM(score = 0), 0) "
                                    "FROM feedback").fetchone()
        return {"up": int(up), "down": int(down)}

    def export_jsonl(self, path: Path) -> int:
        """Write every rating as one JSON line; returns how many."""
        ratings = self.ratings()
        Path(path).write_text("".join(json.dumps(r.to_json(), ensure_ascii=False) + "\n" for r in ratings),
                              encoding="utf-8")
        return len(ratings)
