"""The closed vocabulary: 21 table-三 rows, their keys, and bases that exist in the corpus."""

import re

import pytest

from rag.corpus import load_corpus
from rag.core.errors import UnknownOutcome
from rag.core.numerals import parse_cn
from rag.core.outcomes import OUTCOMES, REMEDY_BASIS, RECONSIDERATION_FIRST_BASIS, outcome, report_keys


def test_there_are_21_outcomes_in_report_order():
    assert len(OUTCOMES) == 21
    assert [o.group for o in OUTCOMES].count("不予公开") == 8
    assert [o.group for o in OUTCOMES].count("无法提供") == 3
    assert [o.group for o in OUTCOMES].count("不予处理") == 5
    assert [o.group for o in OUTCOMES].count("其他处理") == 3


def test_report_keys_are_the_25_keys_of_the_cli_contract():
    keys = report_keys()
    assert len(keys) == 25 and len(set(keys)) == 25
    assert keys[:4] == ("本年新收", "上年结转", "予以公开", "部分公开")
    assert "不予公开/危及“三安全一稳定”" in keys
    assert "其他处理/申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请" in keys
    assert keys[-2:] == ("总计", "结转下年度继续办理")


@pytest.mark.parametrize("given, code", [
    ("不予公开/属于四类过程性信息", "process"),
    ("予以公开/予以公开", "disclose"),
    ("予以公开", "disclose"),
    ("部分公开", "partial"),
    ("部分公开/部分公开（区分处理的，只计这一情形，不计其他情形）", "partial"),
    ('不予公开/危及"三安全一稳定"', "security"),
    ("不予公开/危及“三安全一稳定”", "security"),
    ("third_party", "third_party"),
    ("重复申请", "repeat"),
])
def test_outcome_lookup_accepts_the_forms_clerks_and_scripts_use(given, code):
    assert outcome(given).code == code


@pytest.mark.parametrize("bad", ["", "不予公开", "不予公开/不存在的项", "xyz"])
def test_unknown_outcome_is_a_clear_error(bad):
    with pytest.raises(UnknownOutcome):
        outcome(bad)


def test_every_basis_names_an_article_that_exists_in_the_corpus_with_that_many_parts(corpus_dir):
    chunks = {(c.doc, c.article): c for c in load_corpus(corpus_dir).chunks if c.article}
    bases = [b for o in OUTCOMES for b in o.basis] + [*REMEDY_BASIS, RECONSIDERATION_FIRST_BASIS]
    for basis in bases:
        chunk = chunks.get((basis.law, basis.article))
        assert chunk is not None, basis.cite()
        kuan = re.match(r"第([一二三四五六七八九十]+)款", basis.part)
        if kuan:  # paragraphs of the article: the part must exist
            paragraphs = [p for p in chunk.text.split("\n") if p.strip()]
            assert len(paragraphs) >= parse_cn(kuan.group(1)), basis.cite()
        xiang = re.search(r"第（?([一二三四五六七八九十]+)）?项", basis.part)
        if xiang:
            assert f"（{xiang.group(1)}）" in chunk.text, basis.cite()


def test_refusals_are_exactly_the_withholding_rows():
    assert {o.code for o in OUTCOMES if o.refusal} == {o.code for o in OUTCOMES if o.group == "不予公开"} | {"partial"}
