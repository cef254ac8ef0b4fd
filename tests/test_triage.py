"""Triage on realistic requests written for these tests (tests/data/triage/requests.toml), the
receiving agency's duties, deadlines across the year end, the register's history, the JSON object."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from rag.core.agency import load_agency
from rag.core.deadlines import load_calendar
from rag.core.errors import BadRequestText
from rag.core.outcomes import CORRECTION_BASIS, OUTCOMES, outcome
from rag.triage.decide import load_triage, triage

DATA = Path(__file__).resolve().parent / "data" / "triage"
CASES = tomllib.loads((DATA / "requests.toml").read_text(encoding="utf-8"))["case"]
TODAY = date(2025, 6, 30)


@pytest.fixture(scope="session")
def kit(tmp_path_factory, corpus_dir):
    return load_triage(corpus_dir, tmp_path_factory.mktemp("triage-data"))


@pytest.fixture(scope="session")
def calendar(corpus_dir):
    return load_calendar(corpus_dir)


def _run(text, kit, calendar, corpus_dir, agency="瓯海区人民政府办公室", today=TODAY, history=None):
    return triage(text.strip("\n"), kit, load_agency(agency, corpus_dir), calendar, today=today, history=history)


def _decision(result) -> str:
    return "补正" if result.action == "补正" else result.outcome.key


def test_the_examples_cover_every_outcome_and_the_correction_action():
    assert {c["expected"] for c in CASES} == {o.key for o in OUTCOMES} | {"补正"}


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_a_realistic_request_gets_its_outcome(case, kit, calendar, corpus_dir):
    result = _run(case["text"], kit, calendar, corpus_dir, case["agency"])
    assert _decision(result) == case["expected"], [s.describe() for s in result.signals]


@pytest.mark.parametrize("case_id, items", [
    ("correction_vague", ("所需信息描述",)),
    ("correction_no_id", ("身份证明",)),
    ("correction_all_files", ("所需信息描述",)),
])
def test_a_correction_names_exactly_what_to_supplement(case_id, items, kit, calendar, corpus_dir):
    case = next(c for c in CASES if c["id"] == case_id)
    result = _run(case["text"], kit, calendar, corpus_dir, case["agency"])
    assert result.action == "补正"
    assert result.correction_items == items
    assert result.basis == tuple(b.cite() for b in CORRECTION_BASIS)
    assert any("7个工作日" in item for item in result.checklist)


def test_a_correction_still_carries_a_provisional_outcome(kit, calendar, corpus_dir):
    case = next(c for c in CASES if c["id"] == "correction_no_id")
    payload = _run(case["text"], kit, calendar, corpus_dir, case["agency"]).to_json()
    assert payload["action"] == "补正"
    assert payload["outcome"] == {"group": "予以公开", "item": "予以公开"}


SCHOOLS = """温州市{agency}：
本人潘丽君，身份证330302198603152022，电话13758812345，住温州市鹿城区某小区。
孩子今年上小学，申请公开鹿城区2025年义务教育阶段公办小学招生入学实施方案和学区划分表。
请邮寄到上述地址。
2025年4月10日"""


@pytest.mark.parametrize("agency, not_held", [
    ("鹿城区教育局", False),
    ("自然资源和规划局", True),
    ("鹿城区市场监督管理局", True),
])
def test_the_receiving_agency_decides_whether_the_information_is_its_own(agency, not_held, kit, calendar, corpus_dir):
    name = f"温州市{agency}"
    result = _run(SCHOOLS.format(agency=agency), kit, calendar, corpus_dir, name)
    assert (result.outcome.code == "not_held") is not_held
    if not_held:
        assert result.responsible_body == "教育行政部门"
        assert any("教育行政部门" in c for c in result.checklist)


def test_the_profile_elsewhere_table_names_the_body_that_holds_it(kit, calendar, corpus_dir):
    text = """瓯海区人民政府办公室：
我叫周丽（身份证330304198805062026，电话13967712233，住瓯海区娄桥街道某村），
申请公开我家在娄桥街道的房屋产权登记档案。请邮寄。
2025年5月6日"""
    result = _run(text, kit, calendar, corpus_dir)
    elsewhere = [s for s in result.signals if s.code == "profile_elsewhere"]
    assert elsewhere and "不动产登记中心" in elsewhere[0].detail
    assert result.outcome.code in ("not_held", "special_query")


@pytest.mark.parametrize("case_id", [c["id"] for c in CASES[:6]])
def test_basis_is_the_outcomes_own_citation(case_id, kit, calendar, corpus_dir):
    case = next(c for c in CASES if c["id"] == case_id)
    result = _run(case["text"], kit, calendar, corpus_dir, case["agency"])
    assert result.basis == outcome(result.outcome.key).citations


def test_confidence_and_alternatives_are_probabilities_best_first(kit, calendar, corpus_dir):
    for case in CASES:
        result = _run(case["text"], kit, calendar, corpus_dir, case["agency"])
        ps = [p for _, p in result.alternatives]
        assert 0.0 <= result.confidence <= 1.0
        assert ps == sorted(ps, reverse=True)
        assert all(o.key != result.outcome.key for o, _ in result.alternatives)
        if result.action == "答复":
            assert all(p <= result.confidence + 1e-9 for p in ps)


@pytest.mark.parametrize("dated, received, reply", [
    ("2026年12月21日", date(2026, 12, 21), date(2027, 1, 18)),  # 2027 holidays unknown: weekends only, with a warning
    ("2025年9月26日", date(2025, 9, 26), date(2025, 10, 30)),  # National Day + Mid-Autumn; 调休 Sunday 9/28, Saturday 10/11
])
def test_deadlines_run_from_the_date_in_the_request(dated, received, reply, kit, calendar, corpus_dir):
    text = f"""瓯海区人民政府办公室：
本人申请公开瓯海区2025年民生实事项目计划。
申请人：林晓，身份证330304199001011238，电话13857712345，地址温州市瓯海区娄桥街道1号。请邮寄。
（窗口当面递交）
{dated}"""
    result = _run(text, kit, calendar, corpus_dir, today=date(2027, 3, 1))
    assert result.received == received
    assert result.deadlines.reply == reply
    if received.year == 2026 and received.month == 12:
        assert any("2027年节假日安排未收录" in w for w in result.warnings)


def test_a_request_without_a_date_counts_from_today_and_asks_to_confirm(kit, calendar, corpus_dir):
    text = "瓯海区人民政府办公室：本人林晓（身份证330304199001011238，电话13857712345），申请公开瓯海区2025年民生实事项目计划，请电子邮件发送至 linx@163.com。"
    result = _run(text, kit, calendar, corpus_dir, today=date(2025, 3, 3))
    assert result.received == date(2025, 3, 3)
    assert result.checklist[0] == "确认收到申请日期（第三十一条）"


@pytest.mark.parametrize("text", ["", "   \n ", "啊啊啊啊啊啊啊啊", "asdf qwer zxcv 1234", "鑫龘靐齉爩麤龘鱻驫羴猋龘"])
def test_text_that_cannot_be_a_request_is_refused(text, kit, calendar, corpus_dir):
    with pytest.raises(BadRequestText):
        _run(text, kit, calendar, corpus_dir)


@pytest.fixture()
def register(settings):
    from rag.register.store import Register

    reg = Register(settings)
    yield reg
    reg.close()


REQUEST = """瓯海区人民政府办公室：
本人林晓，身份证330304199001011238，电话13857712345，地址温州市瓯海区娄桥街道1号。
申请公开娄桥街道古岸头村旧村改造项目的立项批复。请邮寄。
{dated}"""


def test_the_register_reveals_a_repeat_the_text_does_not_mention(register, kit, calendar, corpus_dir):
    earlier = register.add_case(REQUEST.format(dated="2025年1月6日"), received=date(2025, 1, 6))
    register.close_case(earlier.id, "予以公开/予以公开", date(2025, 1, 20))
    text = REQUEST.format(dated="2025年5月6日")
    plain = _run(text, kit, calendar, corpus_dir)
    known = _run(text, kit, calendar, corpus_dir, history=register)
    assert plain.outcome.code != "repeat"
    assert known.outcome.code == "repeat"
    assert any(s.code == "register_repeat" and earlier.ref in s.span for s in known.signals)


def test_a_request_still_in_progress_is_no_repeat(register, kit, calendar, corpus_dir):
    register.add_case(REQUEST.format(dated="2025年5月2日"), received=date(2025, 5, 2))  # not answered yet
    result = _run(REQUEST.format(dated="2025年5月6日"), kit, calendar, corpus_dir, history=register)
    assert not any(s.code == "register_repeat" for s in result.signals)


def test_the_register_month_count_raises_a_mass_request_signal(register, kit, calendar, corpus_dir):
    for day in range(1, 13):
        register.add_case(REQUEST.format(dated=f"2025年5月{day}日").replace("立项批复", f"第{day}号文件"),
                          received=date(2025, 5, day))
    result = _run(REQUEST.format(dated="2025年5月20日").replace("立项批复", "规划批复"), kit, calendar, corpus_dir,
                  history=register)
    volume = [s for s in result.signals if s.code == "register_volume"]
    assert volume and "13件" in volume[0].label


def test_the_json_object_has_the_contract_keys(kit, calendar, corpus_dir):
    payload = _run(CASES[0]["text"], kit, calendar, corpus_dir, CASES[0]["agency"]).to_json()
    for key in ("action", "outcome", "alternatives", "confidence", "basis", "applicant_type", "applicant",
                "received_date", "deadlines", "checklist", "signals"):
        assert key in payload
    assert set(payload["applicant"]) >= {"name", "id_number", "phone", "address"}
    assert set(payload["deadlines"]) >= {"correction_notice", "reply", "reply_extended"}
    assert payload["applicant_type"] == "自然人"
    assert payload["applicant"]["name"] == "陈志强"
