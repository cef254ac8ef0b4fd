"""rag.feedback: 👍/👎 on answers in a real SQLite file, one rating per answer and session."""

from __future__ import annotations

import json
import threading

import pytest

from rag.core.errors import BadInput, ConfigError
from rag.feedback import DOWN, UP, FeedbackStore, feedback_path


def _rate(store: FeedbackStore, score: int | None, *, message: str = "m1", session: str = "s1") -> None:
    store.rate(session=session, message_id=message, user="张三", question="答复期限是多久？",
               answer="20个工作日（第三十三条）", found=True, score=score,
               citations=["《中华人民共和国政府信息公开条例》第三十三条"])


def test_a_rating_is_stored_with_question_answer_and_citations(tmp_path):
    store = FeedbackStore(tmp_path / "f.sqlite3")
    _rate(store, UP)
    [r] = store.ratings()
    assert (r.user, r.question, r.score, r.found) == ("张三", "答复期限是多久？", UP, True)
    assert r.citations == ("《中华人民共和国政府信息公开条例》第三十三条",)


@pytest.mark.parametrize("clicks, expected", [
    ([UP], {"up": 1, "down": 0}),
    ([UP, DOWN], {"up": 0, "down": 1}),  # changing one's mind changes the rating, not adds one
    ([DOWN, None], {"up": 0, "down": 0}),  # un-clicking clears it
    ([DOWN, None, UP], {"up": 1, "down": 0}),
])
def test_clicking_again_changes_or_clears_the_rating(tmp_path, clicks, expected):
    store = FeedbackStore(tmp_path / "f.sqlite3")
    for score in clicks:
        _rate(store, score)
    assert store.counts() == expected
    assert len(store.ratings()) == sum(expected.values())


def test_same_answer_rated_in_two_sessions_counts_twice(tmp_path):
    store = FeedbackStore(tmp_path / "f.sqlite3")
    _rate(store, UP, session="a")
    _rate(store, DOWN, session="b")
    assert store.counts() == {"up": 1, "down": 1}


def test_ratings_survive_reopening_the_file(tmp_path):
    _rate(FeedbackStore(tmp_path / "f.sqlite3"), DOWN)
    assert FeedbackStore(tmp_path / "f.sqlite3").counts() == {"up": 0, "down": 1}


def test_export_writes_one_json_line_per_rating(tmp_path):
    store = FeedbackStore(tmp_path / "f.sqlite3")
    _rate(store, UP, message="a")
    _rate(store, DOWN, message="b")
    assert store.export_jsonl(tmp_path / "out.jsonl") == 2
    lines = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [x["rating"] for x in lines] == ["up", "down"]
    assert lines[0]["question"] == "答复期限是多久？"


@pytest.mark.parametrize("score", [2, -1, 5])
def test_a_score_other_than_thumbs_is_refused(tmp_path, score):
    with pytest.raises(BadInput):
        _rate(FeedbackStore(tmp_path / "f.sqlite3"), score)


def test_unusable_location_is_a_config_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ConfigError, match="无法打开评价记录"):
        FeedbackStore(blocker / "f.sqlite3")


def test_concurrent_sessions_can_rate_at_once(tmp_path):
    store = FeedbackStore(tmp_path / "f.sqlite3")
    threads = [threading.Thread(target=_rate, args=(store, UP), kwargs={"message": f"m{i}", "session": f"s{i}"})
               for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.counts()["up"] == 8


def test_feedback_lives_in_the_data_directory(settings):
    assert feedback_path(settings).parent == settings.data_dir
