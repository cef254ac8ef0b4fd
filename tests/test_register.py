"""The case register on real SQLite files: schema migrations, cases and events, deadlines from
events across real holidays, repeat detection, CSV/XLSX round trips, and the reliability
promises (two writing processes, a process killed mid-write, a reopened database).

Expected dates were counted by hand on the 2024 国庆 notice (10/1–10/7 off; Sunday 9/29 and
Saturday 10/12 working days), the day of receipt not counted — never with the code under test.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import time
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from rag.core.deadlines import load_calendar
from rag.core.errors import BadInput, ConfigError
from rag.register.store import Register
from rag.register.repeats import MASS_MONTHLY_THRESHOLD, REPEAT_THRESHOLD, similarity

D = date.fromisoformat
AGENCY = "温州市瓯海区人民政府办公室"
ROOT = Path(__file__).resolve().parent.parent


def id_number(serial: int, birth: str = "19900101", region: str = "330304") -> str:
    """A resident identity number with a correct ISO 7064 mod 11-2 check character."""
    body = f"{region}{birth}{serial % 1000:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]


def request_text(name: str, ident: str, description: str) -> str:
    return (f"政府信息公开申请表\n申请人姓名：{name}\n身份证号码：{ident}\n联系电话：13800000000\n"
            f"通讯地址：温州市瓯海区某某路1号\n所需政府信息的内容描述：{description}\n获取方式：纸质 邮寄\n")


@pytest.fixture(scope="module")
def cal():
    return load_calendar(ROOT / "corpus")


@pytest.fixture()
def reg(tmp_path, cal):
    with Register(f"sqlite:///{tmp_path / 'register.sqlite3'}", calendar=cal, agency=AGENCY, user="张三") as r:
        yield r


def add(reg: Register, received: str, name: str = "王小明", serial: int = 1,
        description: str = "瓯海区2023年城中村改造项目征收补偿方案", **kw):
    return reg.add_case(request_text(name, id_number(serial), description), received=D(received), **kw)


# ---------------------------------------------------------------- schema and database


def test_new_database_is_migrated_to_the_last_revision(reg):
    assert reg.schema_revision() == "0002"
    names = set(sa.inspect(reg._engine).get_table_names())
    assert {"cases", "events", "letters", "audit", "reviews", "table2_figures", "alembic_version"} <= names


def test_migrated_schema_matches_the_tables_the_code_uses(reg):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from rag.register.schema import metadata

    with reg._engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_database_at_the_first_revision_is_upgraded_in_order_and_keeps_its_cases(tmp_path, cal):
    from alembic import command
    from alembic.config import Config

    from rag.register.db import MIGRATIONS

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = sa.create_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == "0001"
        assert "reviews" not in sa.inspect(conn).get_table_names()
    engine.dispose()
    with Register(url, calendar=cal, agency=AGENCY) as r:
        case = add(r, "2024-03-05")
        assert r.schema_revision() == "0002"
        r.add_review("行政复议", D("2024-05-01"), case=case.id)
        assert [x.kind for x in r.reviews()] == ["行政复议"]


def test_sqlite_register_uses_wal_and_waits_for_a_busy_writer(reg, tmp_path):
    with reg._engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 30000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_settings_give_a_sqlite_file_under_the_data_dir(settings, cal):
    with Register(settings, calendar=cal) as r:
        case = r.add_case(request_text("李四", id_number(7), "某某路改造工程立项批复"), received=D("2024-04-01"))
        assert case.agency == settings.agency
    assert (settings.data_dir / "register.sqlite3").is_file()


def test_any_url_opens_its_own_database(tmp_path, cal):
    # The URL path (as PostgreSQL would take it), exercised with a second SQLite file.
    with Register(f"sqlite:///{tmp_path / 'a.sqlite3'}", calendar=cal, agency=AGENCY) as a, \
            Register(f"sqlite:///{tmp_path / 'b' / 'b.sqlite3'}", calendar=cal, agency=AGENCY) as b:
        add(a, "2024-03-05")
        assert len(a.list_cases()) == 1 and b.list_cases() == []


def test_postgresql_register_round_trip(cal, postgres_url):
    url = postgres_url
    agency = f"测试局{os.getpid()}"
    with Register(url, calendar=cal, agency=agency) as r:
        case = add(r, "2024-09-27")
        assert r.get_case(case.id).due_date == D("2024-10-30")
        r.close_case(case.id, "予以公开", D("2024-10-10"))
        assert r.annual_inputs(2024).cases[0].outcome == "予以公开/予以公开"


@pytest.mark.parametrize("url", ["not a url", "sqlite://", "sqlite:///:memory:", "nosuchdb://x/y",
                                 "postgresql+psycopg://u:secret@127.0.0.1:1/none"])
def test_unusable_database_url_is_a_config_error(url, cal):
    with pytest.raises(ConfigError) as err:
        Register(url, calendar=cal)
    assert "secret" not in str(err.value)


# ---------------------------------------------------------------- cases and events


def test_new_case_takes_the_applicant_and_description_from_the_request(reg):
    case = add(reg, "2024-09-27", name="王小明", serial=5)
    assert (case.ref, case.applicant_name, case.applicant_id, case.applicant_type) == (
        "2024-0001", "王小明", id_number(5), "自然人")
    assert case.description == "瓯海区2023年城中村改造项目征收补偿方案"
    assert case.status == "办理中" and case.outcome is None
    assert [e.kind for e in case.events] == ["收到"]
    assert [(a["action"], a["user"]) for a in reg.audit_trail(case.id)] == [("登记", "张三")]


def test_case_numbers_run_per_year_of_receipt(reg):
    refs = [add(reg, d).ref for d in ("2023-12-29", "2024-01-02", "2024-01-03", "2023-12-30")]
    assert refs == ["2023-0001", "2024-0001", "2024-0002", "2023-0002"]
    assert reg.get_case("2024-0002").received_date == D("2024-01-03")


@pytest.mark.parametrize("overrides, message", [
    ({"applicant_type": "个体户"}, "申请人类型"),
    ({"received": date(2999, 1, 1)}, "晚于今天"),
])
def test_bad_case_fields_are_refused(reg, overrides, message):
    kw = {"received": D("2024-03-05"), **overrides}
    with pytest.raises(BadInput, match=message):
        reg.add_case(request_text("王小明", id_number(1), "某文件"), **kw)
    assert reg.list_cases() == []


@pytest.mark.parametrize("events, due, waiting", [
    ([], "2024-10-30", ""),  # 20 working days over 国庆 2024: 9/29 and 10/12 count, 10/1–10/7 do not
    ([("补正告知", "2024-10-08", {})], None, "补正"),  # 第三十条: the clock waits for the applicant
    ([("补正告知", "2024-10-08", {}), ("补正收到", "2024-10-10", {})], "2024-11-06", ""),  # runs anew from 10/10
    ([("延期", "2024-10-20", {})], "2024-11-27", ""),  # 第三十三条第二款: 20 more working days
    ([("延期", "2024-10-20", {"days": 10})], "2024-11-13", ""),  # a shorter extension
    ([("征求第三方意见", "2024-10-08", {}), ("第三方回复", "2024-10-15", {})], "2024-11-07", ""),  # 10/9–10/15 paused
    ([("征求其他机关意见", "2024-10-08", {}), ("其他机关回复", "2024-10-15", {})], "2024-11-07", ""),
    ([("缴费通知", "2024-10-08", {"amount": 100}), ("缴费", "2024-10-15", {"amount": 100})], "2024-11-07", ""),
    ([("缴费通知", "2024-10-08", {"amount": 100})], None, "缴费"),
])
def test_deadline_is_recomputed_from_the_events_across_the_national_day_holiday(reg, events, due, waiting):
    case = add(reg, "2024-09-27")
    for kind, day, detail in events:
        case = reg.record_event(case.id, kind, D(day), detail)
    assert case.due_date == (D(due) if due else None)
    assert case.waiting == waiting
    assert reg.summary(case.id).deadlines.correction_notice == D("2024-10-12")  # 7th working day: 调休 Saturday


def test_open_consultation_assumes_the_partys_fifteen_days_and_says_so(reg):
    case = reg.record_event(add(reg, "2024-09-27").id, "征求第三方意见", D("2024-10-08"), {"party": "某公司"})
    # (10/8, 10/28] paused: the third party's 15 working days (第三十二条); 17 more after 10/28.
    assert case.due_date == D("2024-11-20")
    assert any("15个工作日" in w for w in reg.summary(case.id).warnings)


@pytest.mark.parametrize("events, kind, detail, message", [
    ([], "补正收到", {}, "没有待补正"),
    ([("补正告知", {})], "补正告知", {}, "一次性"),
    ([], "延期", {"days": 25}, "不得超过20"),
    ([("延期", {"days": 15})], "延期", {"days": 10}, "已延长15"),
    ([], "第三方回复", {}, "征求第三方意见"),
    ([], "缴费", {"amount": 100}, "缴费通知"),
    ([("缴费通知", {})], "缴费", {}, "金额"),
    ([], "答复", {}, "办理结果"),
    ([], "答复", {"outcome": "同意公开"}, "未知的办理结果|年报表三行名"),
    ([("答复", {"outcome": "予以公开"})], "补正告知", {}, "已办结"),
    ([], "行政复议", {}, "尚未答复"),
    ([], "逾期不补正", {}, "补正告知"),
    ([], "答复", {"outcome": "无法提供/补正后申请内容仍不明确"}, "补正收到"),
    ([], "逾期未缴费", {}, "缴费通知"),
    ([], "收到", {}, "自动记录"),
    ([], "补正告知", {"deadline": "下周五"}, "deadline"),
    ([], "补正告知", {"deadline": "2024-10-01"}, "不早于事件日期"),
    ([], "催办", {}, "未知的事件类型"),
])
def test_event_out_of_the_legal_order_is_refused_and_nothing_is_written(reg, events, kind, detail, message):
    case = add(reg, "2024-09-27")
    for k, d in events:
        reg.record_event(case.id, k, D("2024-10-08"), d)
    before = reg.get_case(case.id)
    with pytest.raises(BadInput, match=message):
        reg.record_event(case.id, kind, D("2024-10-09"), detail)
    assert reg.get_case(case.id) == before
    assert len(reg.audit_trail(case.id)) == 1 + len(events)


def test_late_correction_notice_is_recorded_with_a_warning(reg):
    case = reg.record_event(add(reg, "2024-09-27").id, "补正告知", D("2024-10-14"))
    assert any("晚于收到申请后7个工作日" in w and "2024-10-12" in w for w in reg.summary(case.id).warnings)


def test_event_before_receipt_is_refused(reg):
    with pytest.raises(BadInput, match="早于收到申请日期"):
        reg.record_event(add(reg, "2024-09-27").id, "补正告知", D("2024-09-26"))


@pytest.mark.parametrize("steps, outcome", [
    ([("撤回", {})], "其他处理/其他"),
    ([("补正告知", {}), ("逾期不补正", {})], "其他处理/申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ([("缴费通知", {}), ("逾期未缴费", {})], "其他处理/申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ([("答复", {"outcome": "属于四类过程性信息"})], "不予公开/属于四类过程性信息"),
    ([("答复", {"outcome": "部分公开"})], "部分公开/部分公开"),
])
def test_closing_event_sets_the_table_three_outcome(reg, steps, outcome):
    case = add(reg, "2024-09-27")
    for kind, detail in steps:
        case = reg.record_event(case.id, kind, D("2024-10-09"), detail)
    assert (case.status, case.outcome, case.closed_date) == ("已办结", outcome, D("2024-10-09"))


def test_closing_outcome_can_be_amended_only_explicitly(reg):
    case = reg.close_case(add(reg, "2024-09-27").id, "予以公开", D("2024-10-09"))
    with pytest.raises(BadInput, match="已办结"):
        reg.close_case(case.id, "部分公开", D("2024-10-10"))
    case = reg.close_case(case.id, "部分公开", D("2024-10-10"), amend=True)
    assert (case.outcome, case.closed_date) == ("部分公开/部分公开", D("2024-10-10"))


def test_reconsideration_after_the_reply_is_recorded_for_table_four(reg):
    case = reg.close_case(add(reg, "2024-09-27").id, "不予公开/属于四类过程性信息", D("2024-10-09"))
    reg.record_event(case.id, "行政复议", D("2024-11-20"))
    reg.record_event(case.id, "行政诉讼", D("2025-01-10"), {"after_reconsideration": True, "result": "维持",
                                                           "decided": "2025-03-01"})
    reviews = reg.reviews()
    assert [(r.kind, r.result, r.case_id) for r in reviews] == [("行政复议", "尚未审结", case.id), ("复议后起诉", "维持", case.id)]
    decided = reg.decide_review(reviews[0].id, "纠正", D("2024-12-30"))
    assert (decided.result, decided.decided_date) == ("纠正", D("2024-12-30"))


def test_every_write_leaves_its_audit_row(reg):
    case = add(reg, "2024-09-27")
    reg.record_event(case.id, "征求第三方意见", D("2024-10-08"), {"party": "某公司"})
    reg.record_event(case.id, "第三方回复", D("2024-10-15"), {"party": "某公司"})
    reg.close_case(case.id, "部分公开", D("2024-10-20"), user="李四")
    reg.add_letter(case.id, "partial", "政府信息公开申请答复书", "王小明：……", "瓯政办公开〔2024〕12号")
    trail = reg.audit_trail(case.id)
    assert [t["action"] for t in trail] == ["登记", "记录征求第三方意见", "记录第三方回复", "记录答复", "存档文书"]
    assert trail[3]["user"] == "李四"
    assert [x.number for x in reg.letters(case.id)] == ["瓯政办公开〔2024〕12号"]


def test_due_soon_and_overdue_lists(reg):
    late = add(reg, "2024-09-02", serial=1)  # due 2024-09-30
    soon = add(reg, "2024-09-27", serial=2)  # due 2024-10-30
    waiting = reg.record_event(add(reg, "2024-09-27", serial=3).id, "补正告知", D("2024-10-08"),
                               {"deadline": "2024-10-22"})
    answered = add(reg, "2024-09-03", serial=4)
    reg.close_case(answered.id, "予以公开", D("2024-09-20"))
    today = D("2024-10-24")
    assert [(i.case.id, i.kind, i.due, i.remaining) for i in reg.overdue(today)] == [
        (late.id, "答复", D("2024-09-30"), -14), (waiting.id, "补正期限", D("2024-10-22"), -2)]
    assert [(i.case.id, i.remaining) for i in reg.due_soon(today, 5)] == [(soon.id, 4)]
    assert reg.due_soon(today, 3) == []


@pytest.mark.parametrize("filters, expected", [
    ({}, ["c", "a", "b"]),
    ({"status": "已办结"}, ["a"]),
    ({"status": "open"}, ["c", "b"]),
    ({"outcome": "不予公开"}, ["a"]),
    ({"outcome": "属于四类过程性信息"}, ["a"]),
    ({"outcome": "予以公开"}, []),
    ({"applicant_type": "商业企业"}, ["c"]),
    ({"year": 2023}, ["b"]),
    ({"text": "拆迁"}, ["b"]),
])
def test_list_filters(reg, filters, expected):
    ids = {"a": add(reg, "2024-03-01", description="区政府常务会议纪要").id,
           "b": add(reg, "2023-12-01", description="某村拆迁补偿方案").id,
           "c": add(reg, "2024-05-01", description="某路改造立项批复", applicant_type="商业企业").id}
    reg.close_case(ids["a"], "不予公开/属于四类过程性信息", D("2024-03-20"))
    names = {v: k for k, v in ids.items()}
    assert [names[c.id] for c in reg.list_cases(**filters)] == expected


# ---------------------------------------------------------------- repeats


@pytest.mark.parametrize("a, b, same", [
    ("西乡塘区2024年城乡居民最低生活保障标准调整的通知", "请公开西乡塘区2024年城乡居民最低生活保障标准调整通知", True),
    ("某某街道某某村2023年征地拆迁补偿安置方案", "申请公开2023年某某街道某某村的征地拆迁补偿安置方案及附件", True),
    ("瓯政办发〔2023〕15号文件全文", "贵单位瓯政办发〔2023〕15号文件", True),
    ("2024年度区财政局部门预算和三公经费预算", "区财政局2024年度部门预算、三公经费预算信息", True),
    ("关于某某路改造工程的立项批复文件", "某某路改造工程立项批复", True),
    ("本人房屋所在地块的国有土地上房屋征收决定及征收补偿方案", "我房屋所在地块的房屋征收决定和征收补偿方案", True),
    ("二〇二三年度区政府工作报告", "2023年区政府工作报告", True),
    ("西乡塘区2024年城乡居民最低生活保障标准调整的通知", "西乡塘区2023年城乡居民最低生活保障标准调整的通知", False),
    ("某某街道某某村2023年征地拆迁补偿安置方案", "某某街道某某村2023年土地征收成片开发方案的批复", False),
    ("瓯政办发〔2023〕15号文件全文", "瓯政办发〔2023〕16号文件全文", False),
    ("2024年度区财政局部门预算和三公经费预算", "区财政局2024年政府采购项目中标结果", False),
    ("关于某某路改造工程的立项批复文件", "某某路改造工程的施工许可证及竣工验收备案", False),
    ("本人房屋所在地块的国有土地上房屋征收决定及征收补偿方案", "本人房屋的不动产登记簿及产权档案", False),
    ("对某某公司作出的行政处罚决定书", "某某公司的营业执照及年报信息", False),
    ("瓯海区2023年城中村改造项目征收补偿方案", "瓯海区2023年城中村改造项目的施工许可证", False),
])
def test_description_similarity_separates_rewordings_from_other_information(a, b, same):
    assert (similarity(a, b) >= REPEAT_THRESHOLD) is same


def test_same_applicant_asking_again_for_answered_information_is_a_repeat_candidate(reg):
    first = add(reg, "2024-03-01", name="王小明", serial=1, description="瓯海区2023年城中村改造项目征收补偿方案")
    reg.close_case(first.id, "予以公开", D("2024-03-15"))
    withdrawn = add(reg, "2024-04-01", name="王小明", serial=1, description="请公开2023年瓯海区城中村改造项目的征收补偿方案")
    reg.record_event(withdrawn.id, "撤回", D("2024-04-02"))
    add(reg, "2024-04-03", name="王小明", serial=1, description="瓯海区2023年城中村改造项目的施工许可证")
    add(reg, "2024-04-03", name="王小明", serial=2, description="瓯海区2023年城中村改造项目征收补偿方案")  # another person
    new = {"name": "王小明", "id_number": id_number(1), "description": "申请公开瓯海区2023年城中村改造项目征收补偿方案"}
    found = reg.repeat_candidates(new)
    assert [(c.case_id, c.answered, c.answer_date) for c in found] == [
        (first.id, True, D("2024-03-15")), (withdrawn.id, False, None)]


@pytest.mark.parametrize("applicant, expected", [
    ({"name": "王小明", "id_number": ""}, True),  # no number: the name decides
    ({"name": "", "id_number": id_number(1).lower()}, True),  # the number decides, whatever its case
    ({"name": "王小明", "id_number": id_number(9)}, False),  # same name, another person
    ({"name": "王小红", "id_number": ""}, False),
])
def test_repeat_needs_the_same_applicant(reg, applicant, expected):
    reg.close_case(add(reg, "2024-03-01").id, "予以公开", D("2024-03-15"))
    found = reg.repeat_candidates({**applicant, "description": "瓯海区2023年城中村改造项目征收补偿方案"})
    assert bool(found) is expected


@pytest.mark.parametrize("count, mass, next_fee", [
    (3, False, 0), (MASS_MONTHLY_THRESHOLD, False, 100), (MASS_MONTHLY_THRESHOLD + 1, True, 100), (30, True, 200),
])
def test_monthly_count_flags_mass_requests_and_prices_the_next_one(reg, count, mass, next_fee):
    for i in range(count):
        add(reg, f"2024-03-{1 + i % 28:02d}", description=f"某文件{i}")
    add(reg, "2024-04-01", description="四月的申请")
    m = reg.monthly_counts(id_number(1), "2024-03")
    assert (m.count, m.mass_candidate, m.next_fee.amount) == (count, mass, next_fee)
    assert reg.monthly_counts("王小明", date(2024, 3, 9)).count == count


@pytest.mark.parametrize("month", ["2024-13", "March", "24-03"])
def test_bad_month_is_refused(reg, month):
    with pytest.raises(BadInput, match="月份"):
        reg.monthly_counts("王小明", month)


# ---------------------------------------------------------------- export and import


def _filled(reg: Register) -> list[int]:
    a = add(reg, "2024-09-27", description="=HYPERLINK(\"http://x\")某文件")  # a formula must stay text
    reg.record_event(a.id, "补正告知", D("2024-10-08"), {"deadline": "2024-10-22"})
    reg.record_event(a.id, "补正收到", D("2024-10-10"))
    reg.close_case(a.id, "部分公开", D("2024-10-30"))
    b = add(reg, "2024-10-09", name="某某科技有限公司", serial=2, applicant_type="商业企业")
    reg.record_event(b.id, "延期", D("2024-11-01"), {"days": 15})
    c = add(reg, "2024-11-01", serial=3)
    reg.record_event(c.id, "缴费通知", D("2024-11-05"), {"amount": 300})
    reg.record_event(c.id, "缴费", D("2024-11-08"), {"amount": 300})
    return [a.id, b.id, c.id]


def _comparable(case):
    out = case.to_json(with_text=True)
    for key in ("id",):
        out.pop(key)
    for e in out["events"]:
        e.pop("at")
    return out


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_imports_back_to_the_same_cases(reg, tmp_path, cal, suffix):
    ids = _filled(reg)
    path = tmp_path / f"export{suffix}"
    assert (reg.export_csv(path) if suffix == ".csv" else reg.export_xlsx(path)) == 3
    with Register(f"sqlite:///{tmp_path / 'copy.sqlite3'}", calendar=cal, agency=AGENCY) as other:
        result = other.import_csv(path) if suffix == ".csv" else other.import_xlsx(path)
        assert result["added"] == 3 and result["skipped"] == []
        assert [_comparable(c) for c in other.all_cases()] == [_comparable(reg.get_case(i)) for i in ids]
        again = other.import_csv(path) if suffix == ".csv" else other.import_xlsx(path)
        assert (again["added"], again["skipped"]) == (0, ["2024-0001", "2024-0002", "2024-0003"])


def test_xlsx_export_never_writes_a_formula(reg, tmp_path):
    from openpyxl import load_workbook

    _filled(reg)
    reg.export_xlsx(tmp_path / "x.xlsx")
    ws = load_workbook(tmp_path / "x.xlsx").active
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)


def test_hand_kept_ledger_imports_with_its_outcomes(reg, tmp_path):
    path = tmp_path / "台账.csv"
    path.write_text("收到日期,申请人,申请人类型,所需信息,办理结果,办结日期\n"
                    "2024-01-05,张三,自然人,某路立项批复,予以公开,2024-01-20\n"
                    "2024-02-05,某律师事务所,法律服务机构,某案卷宗,不予公开/属于行政执法案卷,2024-02-27\n"
                    "2024-12-20,李四,自然人,某会议纪要,,\n", encoding="gbk")
    assert reg.import_csv(path)["added"] == 3
    got = [(c.ref, c.applicant_type, c.outcome, c.status) for c in reg.all_cases()]
    assert got == [("2024-0001", "自然人", "予以公开/予以公开", "已办结"),
                   ("2024-0002", "法律服务机构", "不予公开/属于行政执法案卷", "已办结"),
                   ("2024-0003", "自然人", None, "办理中")]


@pytest.mark.parametrize("body, message", [
    ("申请人,所需信息\n张三,某文件\n", "收到日期"),
    ("收到日期,申请人类型,所需信息\n2024-13-01,自然人,某文件\n", "第1条记录.*收到日期"),
    ("收到日期,申请人类型,所需信息\n2024-01-01,自然人,某文件\n2024-01-02,个人,某文件\n", "第2条记录.*申请人类型"),
    ("收到日期,所需信息,办理结果,办结日期\n2024-01-01,某文件,同意,2024-01-05\n", "第1条记录"),
    ("收到日期,所需信息,事件\n2024-01-01,某文件,\"[{\"\"kind\"\": \"\"补正收到\"\", \"\"date\"\": \"\"2024-01-03\"\"}]\"\n", "没有待补正"),
])
def test_bad_import_names_the_row_and_imports_nothing(reg, tmp_path, body, message):
    path = tmp_path / "bad.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(BadInput, match=message):
        reg.import_csv(path)
    assert reg.list_cases() == []


@pytest.mark.parametrize("name, content", [("x.txt", b"a"), ("missing.csv", None), ("broken.xlsx", b"not a zip")])
def test_unreadable_import_file_is_bad_input(reg, tmp_path, name, content):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(BadInput):
        reg.import_xlsx(path) if name.endswith(".xlsx") else reg.import_csv(path)


# ---------------------------------------------------------------- reliability


def _register_many(url: str, tag: str, n: int, barrier) -> None:  # runs in a spawned process
    barrier.wait()  # both open the new database at the same moment: the migration races too
    with Register(url, calendar=load_calendar(ROOT / "corpus"), agency=AGENCY, user=tag) as r:
        for i in range(n):
            r.add_case(request_text(f"{tag}{i}", id_number(i), f"{tag}的第{i}件申请"), received=date(2024, 3, 1))


def test_two_processes_registering_at_once_lose_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    procs = [ctx.Process(target=_register_many, args=(url, tag, 200, barrier)) for tag in ("甲", "乙")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=300)
    assert [p.exitcode for p in procs] == [0, 0]
    with Register(url, agency=AGENCY) as r:
        cases = list(r.all_cases())
    assert len(cases) == 400
    assert len({c.id for c in cases}) == 400 and sorted(c.seq for c in cases) == list(range(1, 401))
    assert {c.applicant_name[0] for c in cases} == {"甲", "乙"}
    assert all([e.kind for e in c.events] == ["收到"] for c in cases)


def _write_forever(url: str, log: str) -> None:  # runs in a spawned process until killed
    with Register(url, calendar=load_calendar(ROOT / "corpus"), agency=AGENCY, user="写入进程") as r:
        i = 0
        while True:
            case = r.add_case(request_text(f"申请人{i}", id_number(i), f"第{i}件"), received=date(2024, 3, 1))
            r.record_event(case.id, "延期", date(2024, 3, 20), {"days": 5})
            with open(log, "a", encoding="utf-8") as f:  # written only after the commit
                f.write(f"{case.id}\n")
            i += 1


def test_process_killed_mid_write_leaves_a_consistent_database(tmp_path):
    db, log = tmp_path / "killed.sqlite3", tmp_path / "committed.txt"
    url = f"sqlite:///{db}"
    ctx = multiprocessing.get_context("spawn")
    proc = ctx.Process(target=_write_forever, args=(url, str(log)))
    proc.start()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not log.exists() or len(log.read_text().split()) < 25):
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(timeout=30)
    assert proc.exitcode == -signal.SIGKILL
    committed = {int(x) for x in log.read_text().split()}
    assert len(committed) >= 25
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        no_receipt = raw.execute("SELECT count(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM events e "
                                 "WHERE e.case_id = c.id AND e.kind = '收到')").fetchone()[0]
        no_audit = raw.execute("SELECT count(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM audit a "
                               "WHERE a.case_id = c.id AND a.action = '登记')").fetchone()[0]
        events = raw.execute("SELECT count(*) FROM events WHERE kind = '延期'").fetchone()[0]
        event_audits = raw.execute("SELECT count(*) FROM audit WHERE action = '记录延期'").fetchone()[0]
    assert (no_receipt, no_audit, events) == (0, 0, event_audits)
    with Register(url, agency=AGENCY) as r:  # reopened: every committed case is there
        ids = {c.id for c in r.all_cases()}
        assert committed <= ids
        for case_id in committed:
            assert r.get_case(case_id).due_date == D("2024-04-08")  # 20 + 5 working days after 2024-03-01
