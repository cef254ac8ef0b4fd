import pytest

from rag.core.numerals import article_label, parse_cn, to_cn


@pytest.mark.parametrize("n, cn", [
    (1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (33, "三十三"), (56, "五十六"),
    (100, "一百"), (101, "一百零一"), (103, "一百零三"), (110, "一百一十"), (120, "一百二十"),
])
def test_article_numbers_round_trip_as_laws_write_them(n, cn):
    assert to_cn(n) == cn
    assert parse_cn(cn) == n


@pytest.mark.parametrize("text, n", [("30", 30), ("３０", 30), ("两", 2), ("〇", 0)])
def test_arabic_and_variant_numerals_parse(text, n):
    assert parse_cn(text) == n


@pytest.mark.parametrize("bad", ["", "三x", "abc"])
def test_non_numerals_are_rejected(bad):
    with pytest.raises(ValueError):
        parse_cn(bad)


def test_article_label():
    assert article_label(33) == "第三十三条"
