"""Deadlines across real holidays. Every expected date below was counted by hand from the
国务院办公厅 notices (the day of receipt not counted, 民法典第二百零一条), then checked against
chinese_calendar.find_workday — never computed with the code under test."""

from __future__ import annotations

from datetime import date

import pytest

from rag.core.deadlines import (
    CONSULTATION_DAYS,
    WEEKENDS_ONLY,
    Calendar,
    Receipt,
    add_workdays,
    consultation_due,
    deadlines,
    litigation_due,
    load_calendar,
    missing_year_warning,
    received_date,
    reconsideration_due,
    remaining,
    workdays_between,
)
from rag.core.errors import BadInput, ConfigError, HolidayDataMissing

D = date.fromisoformat
WARN_2027 = "2027年节假日安排未收录，按仅排除周末计算，请核对国务院办公厅放假通知"


@pytest.fixture(scope="module")
def cal(corpus_dir):
    return load_calendar(corpus_dir)


def _cal_with(tmp_path, name: str, body: str) -> Calendar:
    (tmp_path / "holidays").mkdir(exist_ok=True)
    (tmp_path / "holidays" / name).write_text(body, encoding="utf-8")
    return load_calendar(tmp_path)


@pytest.mark.parametrize("day, workday", [
    ("2024-02-04", True),   # Sunday made a working day before 春节 2024
    ("2024-02-09", True),   # 除夕 2024 was officially a working day (only "encouraged" leave)
    ("2024-02-12", False),  # 春节 2024 (2/10–2/17)
    ("2024-02-17", False),  # Saturday inside the holiday
    ("2024-02-18", True),   # Sunday made a working day after 春节 2024
    ("2024-09-29", True),   # Sunday before 国庆 2024
    ("2024-10-07", False),
    ("2024-10-12", True),   # 调休 Saturday after 国庆 2024
    ("2024-10-13", False),  # plain Sunday
    ("2025-01-26", True),   # Sunday before 春节 2025
    ("2025-02-04", False),
    ("2025-02-08", True),   # 调休 Saturday after 春节 2025
    ("2025-09-28", True),   # Sunday before 国庆+中秋 2025
    ("2025-10-08", False),  # 2025: eight days, 10/1–10/8
    ("2025-10-11", True),   # 调休 Saturday
    ("2026-02-14", True),   # 调休 Saturday before 春节 2026
    ("2026-02-23", False),  # last day of 春节 2026 (Monday)
    ("2026-02-28", True),
    ("2027-01-01", True),   # uncovered year: weekends only (the warning comes with any deadline)
    ("2027-01-02", False),  # Saturday
])
def test_calendar_knows_official_holidays_and_swapped_weekends(cal, day, workday):
    assert cal.is_workday(D(day)) is workday


@pytest.mark.parametrize("year, covered", [(2004, True), (2024, True), (2026, True), (2003, False), (2027, False)])
def test_calendar_reports_which_years_have_official_data(cal, year, covered):
    assert cal.covered(year) is covered
    assert bool(cal.source(year)) is covered


@pytest.mark.parametrize("received, notice, reply, extended", [
    # 春节 2024: 2/10–2/17 off, Sun 2/4 and Sun 2/18 worked; 清明 4/4–4/6 comes after.
    ("2024-02-01", "2024-02-09", "2024-03-05", "2024-04-02"),
    # 国庆 2024: 10/1–10/7 off, Sun 9/29 and Sat 10/12 worked.
    ("2024-09-25", "2024-10-10", "2024-10-28", "2024-11-25"),
    # 国庆+中秋 2025: 10/1–10/8 off, Sun 9/28 and Sat 10/11 worked.
    ("2025-09-26", "2025-10-13", "2025-10-30", "2025-11-27"),
    # 春节 2025: 1/28–2/4 off, Sun 1/26 and Sat 2/8 worked.
    ("2025-01-24", "2025-02-10", "2025-02-27", "2025-03-27"),
    # 春节 2026: 2/15–2/23 off, Sat 2/14 and Sat 2/28 worked; 清明 2026 Mon 4/6 off.
    ("2026-02-10", "2026-02-26", "2026-03-16", "2026-04-14"),
])
def test_deadlines_skip_holidays_and_count_swapped_weekends(cal, received, notice, reply, extended):
    d = deadlines(D(received), cal)
    assert (d.correction_notice, d.reply, d.reply_extended) == (D(notice), D(reply), D(extended))
    assert d.warnings == ()
    assert d.to_json()["correction_notice"] == notice
    assert {k: d.to_json()[k] for k in ("correction_notice", "reply", "reply_extended")} == {
        "correction_notice": notice, "reply": reply, "reply_extended": extended}


def test_a_swapped_sunday_is_the_first_working_day_counted(cal):
    # 劳动节 2025: 5/1–5/5 off, Sun 4/27 worked. Received Fri 4/25: 4/27 is day 1, 5/8 day 7.
    assert add_workdays(D("2025-04-25"), 7, cal) == D("2025-05-08")


def test_a_request_received_on_a_holiday_counts_from_the_next_working_day(cal):
    # Received on 元旦 2024: the first working day after it (Tue 1/2) is day 1, not day 0.
    assert add_workdays(D("2024-01-01"), 1, cal) == D("2024-01-02")
    assert add_workdays(D("2024-01-01"), 7, cal) == D("2024-01-10")


@pytest.mark.parametrize("start", ["2024-01-02", "2024-04-03", "2024-09-13", "2024-12-27", "2025-04-30",
                                   "2025-05-30", "2025-12-31", "2026-04-30", "2026-09-24", "2026-09-30"])
@pytest.mark.parametrize("n", [1, 7, 15, 20, 40])
def test_add_workdays_agrees_with_chinese_calendar_find_workday(cal, start, n):
    # Only working-day starts: from a day off, find_workday counts the next working day as day 0.
    import chinese_calendar

    assert chinese_calendar.is_workday(D(start))
    assert add_workdays(D(start), n, cal) == chinese_calendar.find_workday(n, D(start))


def test_december_2026_runs_into_2027_without_crashing_and_warns(cal):
    d = deadlines(D("2026-12-15"), cal)
    # 12/16..12/24 = days 1–7; 12/25, 12/28–31 = 8–12; 2027-01-01 (Fri, no data) = 13; 1/12 = 20.
    assert d.correction_notice == D("2026-12-24")
    assert d.reply == D("2027-01-12")
    assert d.reply_extended == D("2027-02-09")
    assert d.warnings == (WARN_2027,)
    assert d.to_json()["warnings"] == [WARN_2027]


def test_strict_mode_refuses_an_uncovered_year(cal):
    with pytest.raises(HolidayDataMissing, match="2027年"):
        deadlines(D("2026-12-15"), cal, strict=True)


def test_a_2027_holiday_file_changes_the_result_and_drops_the_warning(tmp_path):
    # A test fixture, not the real 2027 arrangement: it only shows that a user file is used.
    cal = _cal_with(tmp_path, "2027.toml", 'holidays = ["2027-01-01"]\nworkdays = []\n')
    d = deadlines(D("2026-12-15"), cal)
    assert d.reply == D("2027-01-13")  # one weekday fewer in the first week of January
    assert d.warnings == ()
    assert cal.source(2027) == "corpus/holidays/2027.toml"


def test_holiday_file_accepts_ranges_and_swapped_weekends(tmp_path):
    cal = _cal_with(tmp_path, "2027.toml",
                    'holidays = ["2027-01-01", "2027-01-04..2027-01-05"]\nworkdays = [2027-01-09]\n')
    assert [cal.is_workday(D(x)) for x in ("2027-01-04", "2027-01-05", "2027-01-06", "2027-01-09")] == [
        False, False, True, True]


def test_holiday_file_replaces_the_package_data_of_its_year(tmp_path):
    # Only the file's days are off in 2025 now: 2025-10-08 (an official holiday) becomes a working day.
    cal = _cal_with(tmp_path, "2025.toml", 'holidays = ["2025-10-01..2025-10-07"]\n')
    assert cal.is_workday(D("2025-10-08")) is True
    assert cal.is_workday(D("2025-10-11")) is False  # the package's 调休 Saturday is gone too
    assert cal.is_workday(D("2024-10-12")) is True  # other years untouched


@pytest.mark.parametrize("name, body, message", [
    ("2027.toml", 'holidays = ["2027-13-01"]', "不是 YYYY-MM-DD"),
    ("2027.toml", 'holidays = ["2027-01-01"]\nworkdays = ["2027-01-06"]', "不是周六或周日"),
    ("2027.toml", 'holidays = ["2027-01-02"]\nworkdays = ["2027-01-02"]', "同时列为放假和上班"),
    ("2027.toml", "holidays = [", "无法读取"),
    ("next.toml", 'holidays = ["2027-01-01"]', "应以年份命名"),
    ("2027.toml", "workdays = []", "没有 holidays"),
    ("2027.toml", 'holidays = ["2027-01-05..2027-01-01"]', "结束早于开始"),
])
def test_a_broken_holiday_file_is_named_in_a_clear_error(tmp_path, name, body, message):
    with pytest.raises(ConfigError, match=message):
        _cal_with(tmp_path, name, body)


def test_the_shipped_holiday_folder_holds_no_invented_dates(corpus_dir):
    assert list((corpus_dir / "holidays").glob("*.toml")) == []
    assert (corpus_dir / "holidays" / "README.md").is_file()


def test_reply_runs_from_the_date_the_correction_arrived(cal):
    d = deadlines(D("2024-02-01"), cal, corrected=D("2024-02-20"))
    assert d.correction_notice == D("2024-02-09")  # still counted from receipt (第三十条)
    assert d.reply_start == D("2024-02-20")
    assert d.reply == D("2024-03-19")
    assert d.reply_extended == D("2024-04-17")  # across 清明 2024 (4/4–4/6 off, Sun 4/7 worked)


def test_consultation_time_is_left_out_of_the_reply_period(cal):
    # Consultation sent Fri 3/8, answered Wed 3/20: the 8 working days 3/11–3/20 do not count.
    d = deadlines(D("2024-03-01"), cal, paused=[(D("2024-03-08"), D("2024-03-20"))])
    assert deadlines(D("2024-03-01"), cal).reply == D("2024-03-29")
    assert d.reply == D("2024-04-11")
    assert d.consultation_dues == (D("2024-03-29"),)
    assert d.warnings == ()


def test_an_open_consultation_assumes_the_partys_full_15_days_and_warns(cal):
    d = deadlines(D("2024-03-01"), cal, paused=[(D("2024-03-08"), None)])
    assert d.paused == ((D("2024-03-08"), D("2024-03-29")),)
    assert d.reply == D("2024-04-22")
    assert any("尚未收到答复" in w for w in d.warnings)


def test_extended_flag_selects_the_extended_reply_date(cal):
    d = deadlines(D("2024-02-01"), cal, extended=True)
    assert d.due == D("2024-04-02") and d.to_json()["due"] == "2024-04-02"
    assert deadlines(D("2024-02-01"), cal).due == D("2024-03-05")


@pytest.mark.parametrize("kwargs, message", [
    ({"corrected": D("2024-01-31")}, "补正日期"),
    ({"paused": [(D("2024-01-20"), D("2024-02-05"))]}, "征求意见日期"),
    ({"paused": [(D("2024-02-05"), D("2024-02-02"))]}, "答复日期"),
])
def test_impossible_dates_are_bad_input(cal, kwargs, message):
    with pytest.raises(BadInput, match=message):
        deadlines(D("2024-02-01"), cal, **kwargs)


@pytest.mark.parametrize("channel, signed, confirmed, expected, warned", [
    ("当面", None, None, "2024-03-01", False),
    ("窗口现场提交", None, "2024-03-04", "2024-03-01", False),   # walk-in: the day handed in
    ("挂号信", "2024-03-06", None, "2024-03-06", False),           # registered mail: day signed for
    ("EMS", "2024-03-07", None, "2024-03-07", False),
    ("快递", None, None, "2024-03-01", True),                      # signed date missing → warn
    ("平信", "2024-03-06", "2024-03-05", "2024-03-05", False),     # ordinary letter: day confirmed
    ("平信", None, None, "2024-03-01", True),
    ("网络", None, "2024-03-04", "2024-03-04", False),             # online: both sides confirmed
    ("在线申请平台", None, "2024-03-04", "2024-03-04", False),
    ("电子邮件", None, "2024-03-02", "2024-03-02", False),
    ("传真", None, "2024-03-05", "2024-03-05", False),
    ("网络", None, None, "2024-03-01", True),
    ("", None, None, "2024-03-01", True),
    ("信鸽", None, None, "2024-03-01", True),
])
def test_received_date_follows_article_31(channel, signed, confirmed, expected, warned):
    r = received_date(channel, D("2024-03-01"), signed and D(signed), confirmed and D(confirmed))
    assert r.date == D(expected)
    assert bool(r.warnings) is warned


def test_receipt_warnings_travel_into_the_deadlines(cal):
    receipt = received_date("挂号信", D("2024-02-01"))
    d = deadlines(receipt, cal)
    assert d.received == D("2024-02-01") and any("签收日期" in w for w in d.warnings)
    assert isinstance(receipt, Receipt)


@pytest.mark.parametrize("a, b, n", [
    ("2024-02-01", "2024-03-05", 20),
    ("2024-03-05", "2024-02-01", -20),
    ("2024-02-09", "2024-02-18", 1),   # the whole 春节 week counts nothing; Sun 2/18 counts
    ("2024-03-01", "2024-03-01", 0),
])
def test_workdays_between_counts_days_after_the_first(cal, a, b, n):
    assert workdays_between(D(a), D(b), cal) == n


@pytest.mark.parametrize("due, today, left", [
    ("2024-03-05", "2024-03-01", 2),   # Mon 3/4 and Tue 3/5 left
    ("2024-03-05", "2024-03-05", 0),   # due today
    ("2024-03-05", "2024-03-06", -1),
    ("2024-03-08", "2024-03-09", -1),  # overdue since Friday: still overdue on Saturday
    ("2024-03-08", "2024-03-12", -2),
    ("2024-02-09", "2024-02-17", -1),  # overdue through the holiday
])
def test_remaining_working_days_go_negative_when_overdue(cal, due, today, left):
    assert remaining(D(due), D(today), cal) == left


def test_consultation_due_is_15_working_days(cal):
    assert CONSULTATION_DAYS == 15
    assert consultation_due(D("2024-09-25"), cal) == D("2024-10-21")  # across 国庆 2024


@pytest.mark.parametrize("known, reconsider, sue", [
    ("2024-09-01", "2024-10-31", "2025-03-03"),  # +6 months = Sat 3/1 → Mon 3/3
    ("2024-08-03", "2024-10-08", "2025-02-05"),  # +60 days = 10/2 (国庆) → Tue 10/8; +6 months = 2/3 (春节) → 2/5
    ("2024-08-31", "2024-10-30", "2025-02-28"),  # no Feb 31: the month's last day
])
def test_remedy_periods_in_calendar_days(cal, known, reconsider, sue):
    assert reconsideration_due(D(known), cal) == D(reconsider)
    assert litigation_due(D(known), cal) == D(sue)


def test_weekends_only_calendar_warns_for_every_year_touched():
    d = deadlines(D("2003-12-20"), WEEKENDS_ONLY)
    assert d.warnings == (missing_year_warning(2003), missing_year_warning(2004))
