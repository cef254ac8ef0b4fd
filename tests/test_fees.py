"""信息处理费: progressive (超额累进) bands, by count per applicant per month or by pages per request."""

from __future__ import annotations

import pytest

from rag.core.errors import BadInput
from rag.core.fees import BY_COUNT, BY_VOLUME, fee, fee_by_count, fee_by_volume


@pytest.mark.parametrize(("units", "earlier", "amount"), [
    (1, 0, 0),
    (10, 0, 0),  # 1–10 free
    (11, 0, 100),  # only the 11th is charged: marginal, not 11 × 100
    (30, 0, 2000),  # 20 × 100
    (31, 0, 2200),  # the 31st at 200
    (40, 0, 4000),  # 2000 + 10 × 200
    (41, 0, 4300),  # the 41st at 300
    (50, 0, 7000),  # 2000 + 2000 + 3000
    (51, 0, 7400),  # the 51st at 400
    (5, 8, 300),  # 9th–13th of the month: 9, 10 free, 11–13 at 100
    (1, 10, 100),  # the 11th request of the month
    (1, 30, 200),  # the 31st
    (2, 39, 500),  # 40th at 200 + 41st at 300
    (10, 0, 0),
])
def test_fee_by_count_charges_each_request_at_its_own_band(units, earlier, amount):
    assert fee_by_count(units, earlier).amount == amount


@pytest.mark.parametrize(("pages", "amount"), [
    (1, 0),
    (30, 0),  # ≤ 30 free
    (31, 10),  # page 31 only
    (35, 50),  # 5 × 10, not 35 × 10
    (100, 700),  # 70 × 10
    (101, 720),  # + 20
    (200, 2700),  # 700 + 100 × 20
    (201, 2740),  # + 40
    (250, 4700),  # 2700 + 50 × 40
])
def test_fee_by_volume_is_progressive_per_page(pages, amount):
    assert fee_by_volume(pages).amount == amount


def test_bands_add_up_and_explain_names_every_band():
    f = fee_by_count(25, 10)  # 11th–35th: 20 at 100, 5 at 200
    assert [(b.first, b.last, b.rate) for b in f.bands] == [(11, 30, 100), (31, 35, 200)]
    assert f.amount == 3000
    text = f.explain()
    assert "第11—30件每件100元，计2000元" in text and "第31—35件每件200元，计1000元" in text
    assert text.endswith("合计3000元")


def test_volume_explanation_lists_the_free_band():
    text = fee_by_volume(35).explain()
    assert "第1—30页不收费" in text and "第31—35页每页10元，计50元" in text


@pytest.mark.parametrize(("method", "units", "earlier", "expected_method", "amount"), [
    ("按件", 12, 0, BY_COUNT, 200),
    ("件", 12, 0, BY_COUNT, 200),
    ("按量", 35, 0, BY_VOLUME, 50),
    ("页", 35, 0, BY_VOLUME, 50),
])
def test_fee_uses_exactly_one_method(method, units, earlier, expected_method, amount):
    f = fee(method, units, earlier)
    assert (f.method, f.amount) == (expected_method, amount)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: fee("按件和按量", 5), "按件"),
    (lambda: fee("按量", 40, 3), "不累计"),
    (lambda: fee_by_count(0), "不小于1"),
    (lambda: fee_by_count(3, -1), "不小于0"),
    (lambda: fee_by_volume(0), "不小于1"),
    (lambda: fee_by_volume(True), "整数"),
])
def test_bad_fee_input_is_a_clear_error(call, message):
    with pytest.raises(BadInput, match=message):
        call()
