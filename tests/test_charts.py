"""Charts of the register: the frames Streamlit draws, and PNGs with Chinese labels when a CJK
font is installed (English labels and a warning when none is)."""

from __future__ import annotations

import shutil
import subprocess
import warnings
from datetime import date

import pytest

from rag import charts
from rag.annual import CaseFacts
from rag.core.outcomes import APPLICANT_TYPES, GROUPS

D = date.fromisoformat
PNG = b"\x89PNG\r\n\x1a\n"


def fact(received: str, closed: str | None = None, outcome: str | None = None, kind: str = "自然人",
         due: str | None = None) -> CaseFacts:
    return CaseFacts(D(received), D(closed) if closed else None, outcome, kind, D(due) if due else None)


FACTS = [
    fact("2023-03-01", "2023-03-20", "予以公开/予以公开", due="2023-03-29"),
    fact("2023-12-20", "2024-01-30", "不予公开/属于四类过程性信息", "商业企业", due="2024-01-19"),  # late
    fact("2024-02-01", "2024-02-20", "不予公开/属于国家秘密", "法律服务机构", due="2024-03-01"),
    fact("2024-05-06", "2024-05-30", "其他处理/其他", due="2024-06-03"),
    fact("2024-11-04", None, None, "其他", due="2024-12-02"),  # open, overdue on 2025-01-10
    fact("2024-12-30", None, None, "科研机构", due="2025-01-27"),  # open, not yet due
]


def test_outcome_frame_counts_cases_by_the_year_they_were_closed():
    frame = charts.by_outcome_group(FACTS)
    assert list(frame.columns) == list(GROUPS) and frame.index.name == "年度"
    assert frame.loc[2023].tolist() == [1, 0, 0, 0, 0, 0]
    assert frame.loc[2024].tolist() == [0, 0, 2, 0, 0, 1]


def test_applicant_frame_counts_cases_by_the_year_they_were_received():
    frame = charts.by_applicant_type(FACTS)
    assert list(frame.columns) == list(APPLICANT_TYPES)
    assert frame.loc[2023, "自然人"] == 1 and frame.loc[2023, "商业企业"] == 1
    assert frame.loc[2024].sum() == 4


@pytest.mark.parametrize("today, year, row", [
    ("2025-01-10", 2024, [2, 1, 1]),  # two on time, one late (1/30 for 1/19), one open past 12/02
    ("2024-11-20", 2024, [2, 1, 0]),  # the open case is not yet due
    ("2025-01-10", 2023, [1, 0, 0]),
])
def test_deadline_frame_separates_on_time_late_and_open_overdue(today, year, row):
    frame = charts.deadline_counts(FACTS, D(today))
    assert list(frame.columns) == [charts.ON_TIME, charts.LATE, charts.OPEN_LATE]
    assert frame.loc[year].tolist() == row


def test_empty_register_gives_empty_frames_and_still_a_png():
    frame = charts.by_outcome_group([])
    assert frame.empty and list(frame.columns) == list(GROUPS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", charts.ChartFontWarning)
        assert charts.render_png(frame, charts.TITLES["outcomes"]).startswith(PNG)


def test_without_a_cjk_font_the_chart_warns_and_uses_english_labels():
    with pytest.warns(charts.ChartFontWarning, match="中文字体"):
        png = charts.render_png(charts.by_applicant_type(FACTS), charts.TITLES["applicants"], font=None)
    assert png.startswith(PNG) and len(png) > 5000


def _fc_list_zh() -> list[str]:
    if not shutil.which("fc-list"):
        return []
    out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=10).stdout
    return [line.split(":")[0] for line in out.splitlines() if line.strip()]


def test_cjk_font_is_found_exactly_when_fontconfig_lists_one():
    found = charts.cjk_font()
    listed = _fc_list_zh()
    if listed:
        assert found is not None and charts._covers(found, "政府信息公开申请")
    else:
        assert found is None or charts._covers(found, "政府信息公开申请")


@pytest.mark.skipif(charts.cjk_font() is None, reason="no CJK font installed (fonts-wqy-microhei / fonts-noto-cjk)")
def test_with_a_cjk_font_charts_draw_chinese_without_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pngs = charts.all_charts(FACTS, D("2025-01-10"))
    assert set(pngs) == {"outcomes", "applicants", "deadlines"}
    assert all(p.startswith(PNG) for p in pngs.values())


def test_a_font_file_without_chinese_glyphs_is_not_taken():
    from matplotlib import font_manager

    dejavu = font_manager.findfont("DejaVu Sans")
    assert not charts._covers(dejavu, "政府")
