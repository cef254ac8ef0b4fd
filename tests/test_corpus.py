"""Structure-aware splitting on the real corpus and on the layouts users add."""

from pathlib import Path

import pytest

from rag.corpus import STATUS_IN_FORCE, STATUS_REPEALED, load_corpus, split_document


@pytest.fixture(scope="module")
def loaded(corpus_dir):
    return load_corpus(corpus_dir)


def _chunk(loaded, doc, article):
    return next(c for c in loaded.chunks if c.doc == doc and c.article == article)


REG = "中华人民共和国政府信息公开条例"


def test_the_regulation_is_split_one_chunk_per_article(loaded):
    articles = [c for c in loaded.chunks if c.doc == REG]
    assert [c.number for c in articles] == list(range(1, 57))
    assert {c.article for c in articles} >= {"第一条", "第三十三条", "第五十六条"}


def test_paragraphs_and_items_stay_with_their_article(loaded):
    art33 = _chunk(loaded, REG, "第三十三条")
    assert "20个工作日" in art33.text and "征求第三方和其他机关意见所需时间不计算" in art33.text
    art36 = _chunk(loaded, REG, "第三十六条")
    assert "（一）" in art36.text and "（七）" in art36.text
    assert art36.path == "第四章 依申请公开"


def test_the_2011_court_rule_is_marked_repealed_and_the_2025_one_in_force(loaded):
    old = [c for c in loaded.chunks if "若干问题的规定" in c.doc]
    new = [c for c in loaded.chunks if "适用法律若干问题的解释" in c.doc]
    assert old and all(c.status == STATUS_REPEALED for c in old)
    assert new and all(c.status == STATUS_IN_FORCE for c in new)


def test_chapters_and_sections_form_the_path(loaded):
    c = next(c for c in loaded.chunks if c.doc == "中华人民共和国个人信息保护法" and c.number == 33)
    assert c.path == "第二章 个人信息处理规则 第三节 国家机关处理个人信息的特别规定"


def test_reports_carry_agency_and_year_and_keep_tables_whole(loaded):
    ouhai = [c for c in loaded.chunks if c.source == "reports/温州市瓯海区人民政府办公室_2023.md"]
    assert {c.doc for c in ouhai} == {"瓯海区人民政府办公室2023年政府信息公开工作年度报告"}
    assert all(c.agency == "瓯海区人民政府办公室" and c.year == 2023 for c in ouhai)
    table3 = [c for c in ouhai if "本年新收" in c.text]
    assert len(table3) == 1 and "结转下年度继续办理" in table3[0].text
    pingtan = [c for c in loaded.chunks if c.source == "reports/平潭综合实验区_2021.md"]
    assert all(c.agency == "平潭综合实验区" and c.year == 2021 for c in pingtan)
    t3 = [c for c in pingtan if "一、本年新收政府信息公开申请数量" in c.text]
    assert len(t3) == 1 and "（七）总计" in t3[0].text


def test_guides_are_split_by_section(loaded):
    js = [c for c in loaded.chunks if "江苏省政府信息公开申请办理答复规范" in c.doc]
    assert js and all(c.kind == "guide" and not c.article for c in js)
    assert any(c.path.endswith("一、申请审查明确“补不补”") for c in js)


@pytest.mark.parametrize("layout", [
    "# 某某条例\n\n## 第一章 总则\n\n第一条 为了规范工作，制定本条例。\n\n第二条 本条例适用于本市。\n\n（一）甲；\n\n（二）乙。\n\n第三条 本条例自公布之日起施行。\n",
    "# 某某条例\n\n第一章 总则\n\n第一条\n为了规范工作，制定本条例。\n\n第二条\n本条例适用于本市。\n（一）甲；\n（二）乙。\n\n第三条\n本条例自公布之日起施行。\n",
    "# 某某条例\n\n## 第一章 总则\n\n**第一条**　为了规范工作，制定本条例。\n\n**第二条**　本条例适用于本市。\n（一）甲；\n（二）乙。\n\n**第三条**　本条例自公布之日起施行。\n",
])
def test_article_on_the_same_line_or_the_next_both_split(layout):
    chunks = split_document(layout, "laws/x.md")
    assert [c.article for c in chunks] == ["第一条", "第二条", "第三条"]
    assert "（二）乙" in chunks[1].text and chunks[0].path == "第一章 总则"
    assert chunks[1].doc == "某某条例"


def test_a_repeal_note_in_the_header_marks_every_article():
    text = "# 旧办法\n\n本办法已于2020年1月1日废止。\n\n第一条 甲。\n\n第二条 乙。\n\n第三条 丙。\n"
    assert {c.status for c in split_document(text, "laws/old.md")} == {STATUS_REPEALED}


@pytest.mark.parametrize("name, content, reason", [
    ("laws/empty.md", b"", "空文件"),
    ("laws/binary.md", b"\x00\x01\x02PK\x03\x04" * 50, "二进制"),
    ("laws/latin1.md", "caf\xe9 ".encode("latin-1") * 3 + b"\xff\xfe\xfd", "编码"),
])
def test_unreadable_corpus_files_are_named_and_skipped(tmp_path, name, content, reason):
    (tmp_path / "laws").mkdir()
    (tmp_path / "laws" / "good.md").write_text("# 某规定\n\n第一条 甲。\n\n第二条 乙。\n\n第三条 丙。\n", encoding="utf-8")
    (tmp_path / name).write_bytes(content)
    result = load_corpus(tmp_path)
    assert [c.article for c in result.chunks] == ["第一条", "第二条", "第三条"]
    assert len(result.errors) == 1 and result.errors[0][0] == name and reason in result.errors[0][1]


def test_gbk_corpus_files_are_read(tmp_path):
    (tmp_path / "laws").mkdir()
    (tmp_path / "laws" / "gbk.txt").write_bytes("# 某办法\n\n第一条 甲。\n\n第二条 乙。\n\n第三条 丙。\n".encode("gbk"))
    assert [c.doc for c in load_corpus(tmp_path).chunks] == ["某办法"] * 3


def test_hints_point_at_provisions(loaded):
    assert loaded.hints, "corpus/hints/ ships clerk-language hints"
    assert all(h.kind == "hint" and h.doc and (h.article or h.path) for h in loaded.hints)
