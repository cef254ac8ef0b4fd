"""Charts of the register: requests per year by outcome group and by applicant type, and deadlines missed.

The data are pandas DataFrames (index 年度, one column per series) that Streamlit charts
natively (`st.bar_chart(frame)`); `render_png` draws one as a PNG with matplotlib (Agg, no
pyplot state, safe in a web server). Chinese labels need a CJK font: the first installed font
that really has the glyphs is used (fc-list :lang=zh, then matplotlib's own list). Without
one the chart is drawn with English labels and a `ChartFontWarning` — never as tofu boxes.
"""

from __future__ import annotations

import functools
import io
import shutil
import subprocess
import warnings
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pandas as pd

from rag.annual import CaseFacts
from rag.core.outcomes import APPLICANT_TYPES, GROUPS

YEAR = "年度"
ON_TIME, LATE, OPEN_LATE = "按期答复", "超期答复", "超期未办结"
TITLES = {"outcomes": "各年度办结申请（按办理结果）", "applicants": "各年度新收申请（按申请人类型）",
          "deadlines": "各年度答复期限执行情况"}
_PROBE = "政府信息公开申请年度自然人"  # glyphs a usable font must have
_ENGLISH = {
    "予以公开": "Disclosed", "部分公开": "Partly disclosed", "不予公开": "Withheld", "无法提供": "Cannot provide",
    "不予处理": "Not handled", "其他处理": "Other", "自然人": "Individual", "商业企业": "Business",
    "科研机构": "Research", "社会公益组织": "Non-profit", "法律服务机构": "Legal services", "其他": "Other org.",
    ON_TIME: "Answered on time", LATE: "Answered late", OPEN_LATE: "Open, overdue", YEAR: "Year",
    TITLES["outcomes"]: "Requests closed per year, by outcome",
    TITLES["applicants"]: "Requests received per year, by applicant type",
    TITLES["deadlines"]: "Reply deadlines per year", "件数": "Requests",
}


class ChartFontWarning(UserWarning):
    """No installed font can draw Chinese: the chart falls back to English labels."""


def by_outcome_group(facts: Sequence[CaseFacts]) -> pd.DataFrame:
    """Cases closed per year (year of closing), one column per outcome group of table 三."""
    rows: dict[int, dict[str, int]] = {}
    for f in facts:
        if f.closed is not None and f.outcome:
            group = f.outcome.split("/")[0]
            rows.setdefault(f.closed.year, dict.fromkeys(GROUPS, 0))[group] += 1
    return _frame(rows, GROUPS)


def by_applicant_type(facts: Sequence[CaseFacts]) -> pd.DataFrame:
    """Cases received per year, one column per applicant type (the columns of table 三)."""
    rows: dict[int, dict[str, int]] = {}
    for f in facts:
        kind = f.applicant_type if f.applicant_type in APPLICANT_TYPES else "其他"
        rows.setdefault(f.received.year, dict.fromkeys(APPLICANT_TYPES, 0))[kind] += 1
    return _frame(rows, APPLICANT_TYPES)


def deadline_counts(facts: Sequence[CaseFacts], today: date) -> pd.DataFrame:
    """Per year: answered by the reply date in force, answered after it, and still open past it on `today`."""
    rows: dict[int, dict[str, int]] = {}
    columns = (ON_TIME, LATE, OPEN_LATE)
    for f in facts:
        if f.closed is not None and f.due is not None:
            rows.setdefault(f.closed.year, dict.fromkeys(columns, 0))[LATE if f.closed > f.due else ON_TIME] += 1
        elif f.closed is None and f.due is not None and f.due < today:
            rows.setdefault(f.received.year, dict.fromkeys(columns, 0))[OPEN_LATE] += 1
    return _frame(rows, columns)


def _frame(rows: dict[int, dict[str, int]], columns: Sequence[str]) -> pd.DataFrame:
    frame = pd.DataFrame([{YEAR: y, **rows[y]} for y in sorted(rows)], columns=[YEAR, *columns])
    return frame.set_index(YEAR).astype(int)


@functools.cache
def cjk_font() -> Path | None:
    """An installed font file that has Chinese glyphs, or None."""
    for path in _candidates():
        if _covers(path, _PROBE):
            return path
    return None


def _candidates() -> list[Path]:
    found: list[Path] = []
    if shutil.which("fc-list"):
        try:
            out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=10).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        found += [Path(line.split(":")[0].strip()) for line in out.splitlines() if line.strip()]
    from matplotlib import font_manager

    hints = ("cjk", "wenquanyi", "wqy", "hei", "song", "kai", "fang", "ming", "source han", "yahei", "pingfang",
             "droid sans fallback")
    found += [Path(f.fname) for f in font_manager.fontManager.ttflist if any(h in f.name.lower() for h in hints)]
    # Sans-serif faces read best in charts; keep fc-list's order otherwise.
    return sorted(dict.fromkeys(found), key=lambda p: ("sans" not in p.name.lower() and "hei" not in p.name.lower()))


def _covers(path: Path, text: str) -> bool:
    from matplotlib.ft2font import FT2Font

    try:
        font = FT2Font(str(path))
    except (OSError, RuntimeError, ValueError):
        return False
    return all(font.get_char_index(ord(ch)) for ch in text)


def render_png(frame: pd.DataFrame, title: str = "", *, stacked: bool = True, font: Path | None | str = "auto",
               width: float = 8.0, height: float = 4.5) -> bytes:
    """A bar chart of `frame` (index = years) as PNG bytes; English labels when no CJK font exists."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    path = cjk_font() if font == "auto" else (Path(font) if font else None)
    if path is None:
        warnings.warn("未找到中文字体（可安装 fonts-noto-cjk 或 fonts-wqy-microhei）：图表改用英文标签",
                      ChartFontWarning, stacklevel=2)
        label = _english
        props = FontProperties()
    else:
        label = str
        props = FontProperties(fname=str(path))
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    years = [str(y) for y in frame.index]
    bottom = [0] * len(years)
    series = list(frame.columns)
    step = 0.6 / (1 if stacked else max(1, len(series)))
    for n, column in enumerate(series):
        values = [int(v) for v in frame[column]]
        xs = [i if stacked else i - 0.3 + step * (n + 0.5) for i in range(len(years))]
        ax.bar(xs, values, width=step, bottom=bottom if stacked else None, label=label(column))
        if stacked:
            bottom = [b + v for b, v in zip(bottom, values)]
    ax.set_xticks(range(len(years)), years)
    ax.set_xlim(-0.5 if len(years) > 1 else -1.5, len(years) - (0.5 if len(years) > 1 else -0.5))
    ax.set_xlabel(label(YEAR), fontproperties=props)
    ax.set_ylabel(label("件数"), fontproperties=props)
    if title:
        ax.set_title(label(title), fontproperties=props)
    if series:
        fig.legend(prop=props, ncols=min(6 if path else 3, len(series)), loc="outside lower center", frameon=False)
    ax.yaxis.get_major_locator().set_params(integer=True)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def _english(text: str) -> str:
    return _ENGLISH.get(text, text if text.isascii() else "?")


def all_charts(facts: Sequence[CaseFacts], today: date, *, font: Path | None | str = "auto") -> dict[str, bytes]:
    """The three charts of the register as PNG bytes, keyed outcomes / applicants / deadlines."""
    frames = {"outcomes": by_outcome_group(facts), "applicants": by_applicant_type(facts),
              "deadlines": deadline_counts(facts, today)}
    return {key: render_png(frame, TITLES[key], stacked=True, font=font) for key, frame in frames.items()}
