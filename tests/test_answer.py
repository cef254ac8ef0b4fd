"""Cited answers: extractive without an LLM, honest when there is no basis, LLM citations checked."""

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.messages import AIMessage

from rag.answer import NOT_FOUND, answer, clean_question, stream_llm_answer
from rag.core.errors import BadQuestion

REG = "中华人民共和国政府信息公开条例"


@pytest.mark.parametrize("question, doc, article, phrase", [
    ("补正告知要在几天内发出？", REG, "第三十条", "7个工作日"),
    ("答复期限是多久？", REG, "第三十三条", "20个工作日"),
    ("申请人要我们做统计分析再提供，必须做吗？", REG, "第三十八条", "加工、分析"),
])
def test_extractive_answers_quote_the_provision_and_the_answering_sentence(small_kb, question, doc, article, phrase):
    result = answer(question, small_kb)
    assert result.found
    assert (result.citations[0].doc, result.citations[0].article) == (doc, article)
    assert result.answer.startswith("要点：") and phrase in result.answer.split("\n")[0]
    assert f"《{doc}》{article}" in result.answer
    assert article in [c.article for c in result.citations]


def test_an_explicit_reference_quotes_only_that_article(small_kb):
    result = answer("条例第三十三条", small_kb)
    assert result.citations[0].article == "第三十三条"
    assert result.answer.count("《中华人民共和国政府信息公开条例》") == 1


@pytest.mark.parametrize("question", ["今天天气怎么样", "怎么做红烧肉", "世界杯谁夺冠了", "帮我写一首诗"])
def test_off_topic_questions_get_no_basis_and_no_invented_article(small_kb, question):
    result = answer(question, small_kb)
    assert not result.found and result.answer.startswith(NOT_FOUND)
    assert "要点" not in result.answer


def test_citation_json_matches_the_cli_contract(small_kb):
    data = answer("复议申请期限是多少天", small_kb).to_json()
    assert set(data) >= {"answer", "citations"}
    first = data["citations"][0]
    assert set(first) >= {"doc", "article", "text", "score"}
    assert first["doc"] == "中华人民共和国行政复议法" and first["article"] == "第二十条"
    assert "六十日" in first["text"] and 0 < first["score"] <= 1


@pytest.mark.parametrize("question, figure, title", [
    ("2023年瓯海区政府办公室受理了多少件申请？", "51件", "瓯海区人民政府办公室2023年政府信息公开工作年度报告"),
    ("瓯海区政府办公室2023年部分公开多少件？", "25件", "瓯海区人民政府办公室2023年政府信息公开工作年度报告"),
    ("平潭综合实验区2021年新收申请多少件", "70件", "平潭综合实验区2021年度政府信息公开工作年度报告"),
    ("瓯海区政府办公室2023年行政复议被纠正几件", "3件", "瓯海区人民政府办公室2023年政府信息公开工作年度报告"),
])
def test_figure_questions_answer_with_the_number_and_cite_the_report(small_kb, question, figure, title):
    result = answer(question, small_kb)
    assert figure in result.answer
    assert result.citations[0].doc == title and result.citations[0].article == ""


def test_a_figure_question_without_an_agency_uses_the_clerks_own_agency(small_kb):
    result = answer("2023年部分公开多少件？", small_kb, default_agency="瓯海区人民政府办公室")
    assert "25件" in result.answer and "平潭" not in result.answer


@pytest.mark.parametrize("bad", ["", "   ", "\x00\x01\x02\x03", "？？？！！"])
def test_unusable_questions_are_rejected_clearly(bad):
    with pytest.raises(BadQuestion):
        clean_question(bad)


def test_a_huge_question_is_answered_from_its_start_with_a_flag(small_kb):
    result = answer("补正告知要在几天内发出？" + "啊" * 20000, small_kb)
    assert result.citations and any("问题过长" in f for f in result.flags)


def test_an_english_question_gets_a_best_effort_answer_with_a_flag(small_kb):
    result = answer("How many working days do we have to reply to a disclosure request?", small_kb)
    assert any("不含中文" in f for f in result.flags)


def test_llm_answer_keeps_verified_citations(small_kb, tmp_path):
    model = FakeListChatModel(responses=[
        "应当自收到申请之日起20个工作日内答复，依据《中华人民共和国政府信息公开条例》第三十三条。"])
    result = answer("答复期限是多久？", small_kb, chat_model=model)
    assert "第三十三条" in result.answer and not result.flags


def test_llm_answer_removes_and_flags_an_invented_article(small_kb):
    model = FakeListChatModel(responses=[
        "依据《中华人民共和国政府信息公开条例》第九十九条，应在3日内答复；另见条例第三十三条。"])
    result = answer("答复期限是多久？", small_kb, chat_model=model)
    assert "第九十九条" not in result.answer and "〔引用未核实，已删除〕" in result.answer
    assert "第三十三条" in result.answer
    assert any("第九十九条" in f for f in result.flags)


def test_llm_answer_flags_an_unknown_law(small_kb):
    model = FakeListChatModel(responses=["依据《某某省政府信息公开办法》第十条办理。"])
    result = answer("答复期限是多久？", small_kb, chat_model=model)
    assert "〔引用未核实，已删除〕" in result.answer and result.flags


def test_streaming_yields_text_then_the_verified_answer(small_kb, corpus_dir):
    model = GenericFakeChatModel(messages=iter([AIMessage(content="依据《中华人民共和国政府信息公开条例》第三十条，7个工作日内。")]))
    parts = list(stream_llm_answer("补正告知要在几天内发出？", small_kb, model, corpus_dir.parent / "prompts"))
    *pieces, final = parts
    assert "".join(pieces).startswith("依据") and final.found and "第三十条" in final.answer


def test_the_prompt_contains_the_retrieved_passages_only(small_kb):
    seen = []

    class Spy(FakeListChatModel):
        def invoke(self, messages, *args, **kwargs):  # type: ignore[override]
            seen.append(messages)
            return super().invoke(messages, *args, **kwargs)

    answer("补正告知要在几天内发出？", small_kb, chat_model=Spy(responses=["知识库中没有找到依据"]))
    user = seen[0][1].content
    assert "第三十条" in user and "检索到的条文" in user
    assert "只能依据" in seen[0][0].content


def test_keyword_only_mode_still_answers_with_the_hints(tmp_path, corpus_dir):
    from rag.index import KnowledgeBase
    from rag.core.settings import Settings
    from tests.conftest import copy_corpus

    corpus = copy_corpus(corpus_dir, tmp_path / "corpus", files=("laws/中华人民共和国政府信息公开条例_2019修订.md",))
    kb = KnowledgeBase.open(Settings(corpus_dir=corpus, data_dir=tmp_path / "d", embedder="none", _env_file=None))
    kb.build()
    result = answer("补正告知要在几天内发出？", kb)
    assert result.found and result.citations[0].article == "第三十条"
    assert not answer("今天天气怎么样", kb).found
