"""Working-day deadlines of a 政府信息公开申请: the calendar, the received date, every due date.

The core is pure: a `Calendar` is plain data (official holidays, 调休 working weekend days, the
years the data covers) and every function takes it as an argument. Only `load_calendar` reads
anything: the `chinese_calendar` package (2004–2026 in 1.11.0) plus the clerk's own tables in
`corpus/holidays/*.toml` (next year's 国务院办公厅 notice, added by hand; see its README.md).

Counting rule, used everywhere: the day a period starts is not counted (民法典第二百零一条:
开始的当日不计入，自下一日开始计算), so "within N working days of receipt" ends on the Nth
working day after the receipt date; a 调休 Saturday is a working day. A year without official
data counts weekends only, and every result computed across it carries a visible warning.
"""

from __future__ import annotations

import calendar as _monthcal
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from rag.core.errors import BadInput, ConfigError, HolidayDataMissing

# 第三十条: the 补正 notice goes out within 7 working days of receipt.
CORRECTION_NOTICE_DAYS = 7
# 第三十三条第二款: reply within 20 working days; extension by at most 20 more.
REPLY_DAYS = 20
EXTENSION_DAYS = 20
# 第三十二条 (third party) and 第三十四条 (co-author agency): 15 working days to give an opinion.
CONSULTATION_DAYS = 15
# Remedy periods quoted in every decision (第五十一条). Calendar days / months, not working days.
RECONSIDERATION_DAYS = 60  # 行政复议法第二十条第一款：自知道或者应当知道之日起六十日内
RECONSIDERATION_BASIS = "《中华人民共和国行政复议法》第二十条第一款"
LITIGATION_MONTHS = 6  # 行政诉讼法第四十六条第一款：自知道或者应当知道之日起六个月内
LITIGATION_BASIS = "《中华人民共和国行政诉讼法》第四十六条第一款"

_PACKAGE_SOURCE = "chinese_calendar"


def missing_year_warning(year: int) -> str:
    """The visible warning carried by every date computed across a year without official data."""
    return f"{year}年节假日安排未收录，按仅排除周末计算，请核对国务院办公厅放假通知"


@dataclass(frozen=True)
class Calendar:
    """Official working-day data: holidays, 调休 working weekend days, and the years covered.

    A date in a covered year is a working day when it is a 调休 day, or a weekday that is not
    a holiday. In an uncovered year only weekends are days off (see `covered`).
    """

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()  # 调休: Saturdays/Sundays that are working days
    years: frozenset[int] = frozenset()
    sources: tuple[tuple[int, str], ...] = ()  # (year, where its data came from), for the UI

    def is_workday(self, day: date) -> bool:
        """True on a working day (a 调休 Saturday counts; holidays and plain weekends do not)."""
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def covered(self, year: int) -> bool:
        """True when official holiday data for `year` is loaded (else: weekends only)."""
        return year in self.years

    def source(self, year: int) -> str:
        """Where the data of `year` came from ("" when uncovered)."""
        return next((s for y, s in self.sources if y == year), "")

    def uncovered_years(self, first: date, last: date) -> tuple[int, ...]:
        """Years between two dates (inclusive, either order) that have no official data."""
        lo, hi = sorted((first.year, last.year))
        return tuple(y for y in range(lo, hi + 1) if not self.covered(y))

    def require(self, year: int) -> None:
        """Raise HolidayDataMissing when a caller insists on official data for `year`."""
        if not self.covered(year):
            raise HolidayDataMissing(missing_year_warning(year))


WEEKENDS_ONLY = Calendar()


def load_calendar(corpus_dir: Path) -> Calendar:
    """Build the calendar from `chinese_calendar` and `corpus_dir/holidays/*.toml` (the files win).

    A holiday file for a year replaces the package's data of that year: it holds the notice the
    clerk copied in, which is newer than any package release.
    """
    holidays, workdays, years, sources = _package_tables()
    folder = corpus_dir / "holidays"
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else ():
        year, file_holidays, file_workdays = _read_holiday_file(path)
        holidays = {d for d in holidays if d.year != year} | file_holidays
        workdays = {d for d in workdays if d.year != year} | file_workdays
        years.add(year)
        sources[year] = f"corpus/holidays/{path.name}"
    return Calendar(frozenset(holidays), frozenset(workdays), frozenset(years), tuple(sorted(sources.items())))


def _package_tables() -> tuple[set[date], set[date], set[int], dict[int, str]]:
    import chinese_calendar

    holidays = set(chinese_calendar.holidays)
    workdays = set(chinese_calendar.workdays)
    years: set[int] = set()
    for year in range(min(holidays).year, max(holidays).year + 1):
        try:  # the package's own range check decides what it covers (1.11.0: 2004–2026)
            chinese_calendar.is_workday(date(year, 6, 1))
        except NotImplementedError:
            continue
        years.add(year)
    version = getattr(chinese_calendar, "__version__", "")
    label = f"{_PACKAGE_SOURCE} {version}".strip()
    return holidays, workdays, years, {y: label for y in years}


def _read_holiday_file(path: Path) -> tuple[int, set[date], set[date]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"节假日文件 {path.name} 无法读取：{exc}") from exc
    year = data.get("year", path.stem)
    try:
        year = int(year)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"节假日文件 {path.name} 应以年份命名（如 2027.toml）或写明 year = 2027") from exc
    holidays = _date_list(data.get("holidays", []), path.name, "holidays")
    workdays = _date_list(data.get("workdays", []), path.name, "workdays")
    if not holidays:
        raise ConfigError(f"节假日文件 {path.name} 没有 holidays 列表")
    for d in sorted(workdays):
        if d.weekday() < 5:  # a 调休 day is always a weekend day made a working day
            raise ConfigError(f"节假日文件 {path.name}：调休上班日 {d} 不是周六或周日")
    both = holidays & workdays
    if both:
        raise ConfigError(f"节假日文件 {path.name}：{min(both)} 同时列为放假和上班")
    return year, holidays, workdays


def _date_list(items: object, name: str, key: str) -> set[date]:
    """TOML dates, "YYYY-MM-DD" strings, or "YYYY-MM-DD..YYYY-MM-DD" ranges (both ends included)."""
    if not isinstance(items, list):
        raise ConfigError(f"节假日文件 {name}：{key} 应为日期列表")
    out: set[date] = set()
    for item in items:
        if isinstance(item, date):
            out.add(item)
            continue
        first, _, last = str(item).partition("..")
        try:
            lo = date.fromisoformat(first.strip())
            hi = date.fromisoformat(last.strip()) if last else lo
        except ValueError as exc:
            raise ConfigError(f"节假日文件 {name}：{key} 中的 {item!r} 不是 YYYY-MM-DD 日期") from exc
        if hi < lo:
            raise ConfigError(f"节假日文件 {name}：区间 {item!r} 的结束早于开始")
        out.update(lo + timedelta(days=i) for i in range((hi - lo).days + 1))
    return out


# ---------------------------------------------------------------- working-day arithmetic

def add_workdays(start: date, n: int, calendar: Calendar, *, skip: Iterable[tuple[date, date]] = ()) -> date:
    """The Nth working day after `start` (start not counted); days in any (a, b] of `skip` don't count."""
    if n < 0:
        raise ValueError("n must be >= 0")
    spans = tuple(skip)
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        if calendar.is_workday(day) and not _in_spans(day, spans):
            counted += 1
    return day


def workdays_between(a: date, b: date, calendar: Calendar) -> int:
    """Working days in (a, b]; negative when b < a — so workdays_between(a, add_workdays(a, n)) == n."""
    if b < a:
        return -workdays_between(b, a, calendar)
    return sum(1 for i in range(1, (b - a).days + 1) if calendar.is_workday(a + timedelta(days=i)))


def remaining(due: date, today: date, calendar: Calendar) -> int:
    """Working days left until `due` (0 = due today); negative once overdue, never 0 after `due`."""
    if today <= due:
        return workdays_between(today, due, calendar)
    return min(-1, -workdays_between(due, today, calendar))  # overdue since a Friday: still -1 on Sunday


def consultation_due(sent: date, calendar: Calendar) -> date:
    """When the third party (第三十二条) or the other agency (第三十四条) must answer: 15 working days."""
    return add_workdays(sent, CONSULTATION_DAYS, calendar)


def _in_spans(day: date, spans: tuple[tuple[date, date], ...]) -> bool:
    return any(a < day <= b for a, b in spans)


# ---------------------------------------------------------------- 第三十一条: the received date

# How the request arrived → which rule of 第三十一条 fixes the received date.
_IN_PERSON = ("当面", "现场", "窗口", "面交", "当场", "口头")
_SIGNED_MAIL = ("挂号", "EMS", "ems", "快递", "特快", "邮政", "邮寄", "信函", "邮件快件")
_PLAIN_MAIL = ("平信", "平常信函", "普通信件", "平邮", "普通信函")
_ONLINE = ("网络", "在线", "网上", "互联网", "门户", "平台", "政务网", "电子邮件", "邮箱", "email", "e-mail", "微信", "传真")


@dataclass(frozen=True)
class Receipt:
    """The received date of a request and the 第三十一条 rule that fixed it."""

    date: date
    channel: str  # 当面 | 邮寄签收 | 平信 | 网络 | 传真 | "" (unknown)
    rule: str  # the rule applied, in Chinese, for the case file
    warnings: tuple[str, ...] = ()


def received_date(channel: str, submitted: date, signed: date | None = None,
                  confirmed: date | None = None) -> Receipt:
    """Apply 第三十一条 to how the request arrived; a missing needed date falls back to `submitted` with a warning."""
    kind = _channel_kind(channel)
    if kind == "当面":
        return Receipt(submitted, kind, "当面提交，以提交之日为收到申请之日（第三十一条第（一）项）")
    if kind == "平信":
        rule = "以平常信函等无需签收的方式邮寄，以与申请人确认之日为收到申请之日（第三十一条第（二）项）"
        return _pick(kind, rule, confirmed, submitted, "与申请人确认的日期")
    if kind == "邮寄签收":
        rule = "以邮寄方式提交，以行政机关签收之日为收到申请之日（第三十一条第（二）项）"
        return _pick(kind, rule, signed, submitted, "签收日期")
    if kind in ("网络", "传真"):
        rule = f"通过{'传真' if kind == '传真' else '互联网渠道'}提交，以双方确认之日为收到申请之日（第三十一条第（三）项）"
        return _pick(kind, rule, confirmed, submitted, "双方确认的日期")
    given = f"“{channel}”" if channel.strip() else "未注明"
    return Receipt(submitted, "", "申请方式不明，暂按提交日期计算",
                   (f"申请方式{given}，无法确定第三十一条的收到日期规则，暂按提交日期 {submitted.isoformat()} 计算，请核对",))


def _pick(kind: str, rule: str, needed: date | None, submitted: date, what: str) -> Receipt:
    if needed is not None:
        return Receipt(needed, kind, rule)
    return Receipt(submitted, kind, rule, (f"缺少{what}，暂按提交日期 {submitted.isoformat()} 计算收到日期，请核对（第三十一条）",))


def _channel_kind(channel: str) -> str:
    text = channel.strip()
    if not text:
        return ""
    for words, kind in ((_PLAIN_MAIL, "平信"), (_IN_PERSON, "当面"), (("传真",), "传真"),
                        (_ONLINE, "网络"), (_SIGNED_MAIL, "邮寄签收")):
        if any(w in text for w in words):
            return kind
    return ""


# ---------------------------------------------------------------- all deadlines of one request

@dataclass(frozen=True)
class Deadlines:
    """Every due date of one request, with the warnings the clerk must see next to them."""

    received: date
    reply_start: date  # the received date, or the date the 补正 arrived (第三十条)
    correction_notice: date  # 第三十条: 补正告知 within 7 working days of receipt
    reply: date  # 第三十三条第二款: 20 working days, consultation time excluded (第三款)
    reply_extended: date  # 第三十三条第二款: at most 20 more working days
    extended: bool = False
    paused: tuple[tuple[date, date], ...] = ()  # consultations (sent, answered or assumed due)
    consultation_dues: tuple[date, ...] = ()  # when each consulted party must answer
    warnings: tuple[str, ...] = ()

    @property
    def due(self) -> date:
        """The reply date in force: the extended one once the extension was notified."""
        return self.reply_extended if self.extended else self.reply

    def to_json(self) -> dict:
        """The CLI's `deadlines` object: ISO dates plus `warnings`."""
        return {
            "correction_notice": self.correction_notice.isoformat(),
            "reply": self.reply.isoformat(),
            "reply_extended": self.reply_extended.isoformat(),
            "received": self.received.isoformat(),
            "reply_start": self.reply_start.isoformat(),
            "due": self.due.isoformat(),
            "extended": self.extended,
            "paused": [[a.isoformat(), b.isoformat()] for a, b in self.paused],
            "consultation_dues": [d.isoformat() for d in self.consultation_dues],
            "warnings": list(self.warnings),
        }


def deadlines(received: date | Receipt, calendar: Calendar, *, corrected: date | None = None,
              extended: bool = False, paused: Iterable[tuple[date, date | None]] = (),
              strict: bool = False) -> Deadlines:
    """All deadlines of a request received on `received` (a date or a `Receipt`, whose warnings are kept).

    `corrected`: the date the supplemented request arrived — the reply period runs from it
    (第三十条). `paused`: consultations as (sent, answered) pairs, `answered` None while still
    open (then the party's own 15-day limit is assumed); their working days do not count
    towards the reply (第三十三条第三款). `strict`: raise HolidayDataMissing instead of warning.
    """
    warnings: list[str] = []
    if isinstance(received, Receipt):
        warnings.extend(received.warnings)
        received = received.date
    if corrected is not None and corrected < received:
        raise BadInput(f"补正日期 {corrected} 早于收到申请日期 {received}")
    start = corrected or received
    spans: list[tuple[date, date]] = []
    dues: list[date] = []
    for sent, answered in paused:
        if sent < received:
            raise BadInput(f"征求意见日期 {sent} 早于收到申请日期 {received}")
        due = consultation_due(sent, calendar)
        dues.append(due)
        if answered is None:
            answered = due
            warnings.append(f"{sent.isoformat()}发出的征求意见尚未收到答复，按对方15个工作日期限（{due.isoformat()}）推算，"
                            "收到意见后请重新计算（第三十二条、第三十四条）")
        elif answered < sent:
            raise BadInput(f"征求意见的答复日期 {answered} 早于发出日期 {sent}")
        spans.append((sent, answered))
    # The day a consultation letter goes out still counts for the agency (its period starts the
    # next day, 民法典第二百零一条); from the next day to the day the opinion arrives is
    # consultation time, which 第三十三条第三款 leaves out of the reply period.
    reply = add_workdays(start, REPLY_DAYS, calendar, skip=spans)
    reply_ext = add_workdays(start, REPLY_DAYS + EXTENSION_DAYS, calendar, skip=spans)
    notice = add_workdays(received, CORRECTION_NOTICE_DAYS, calendar)
    last = max([reply_ext, notice, *dues])
    for year in calendar.uncovered_years(received, last):
        if strict:
            calendar.require(year)
        warnings.append(missing_year_warning(year))
    return Deadlines(received, start, notice, reply, reply_ext, extended, tuple(spans), tuple(dues),
                     tuple(dict.fromkeys(warnings)))


# ---------------------------------------------------------------- remedy periods (calendar days)

def reconsideration_due(known: date, calendar: Calendar) -> date:
    """Last day to apply for 行政复议: 60 days after knowing, moved past a closing day off."""
    return _roll_forward(known + timedelta(days=RECONSIDERATION_DAYS), calendar)


def litigation_due(known: date, calendar: Calendar) -> date:
    """Last day to sue (行政诉讼法第四十六条): the corresponding day 6 months on, moved past a day off."""
    # 民法典第二百零二条: 到期月的对应日为期间的最后一日；没有对应日的，为月末日.
    month = known.month - 1 + LITIGATION_MONTHS
    year, month = known.year + month // 12, month % 12 + 1
    day = min(known.day, _monthcal.monthrange(year, month)[1])
    return _roll_forward(date(year, month, day), calendar)


def _roll_forward(day: date, calendar: Calendar) -> date:
    # 民法典第二百零三条: 期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日.
    while not calendar.is_workday(day):
        day += timedelta(days=1)
    return day
