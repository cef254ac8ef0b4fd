"""The optional LLM polish: only the reasons paragraph changes, and only if nothing that matters did."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.messages import AIMessage

from rag.core.agency import load_agency
from rag.letters.polish import check_polish, polish_reasons
from rag.letters.draft import LetterFacts, draft_letter
from rag.core.templates import render

ROOT = Path(__file__).resolve().parent.parent
PROMPTS = ROOT / "prompts"


@pytest.fixture(scope="module")
def letter():
    facts = LetterFacts(applicant_name="张三", received_date=date(2024, 3, 5), letter_date=date(2024, 3, 20),
                        request_quote="区政府常务会议关于旧村改造的讨论记录",
                        extra={"previous_reply_date": "2024-01-10", "previous_document_number": "瓯政办公开〔2024〕2号"})
    return draft_letter("不予处理/重复申请", facts, load_agency("瓯海区人民政府办公室", ROOT / "corpus"), PROMPTS)


ORIGINAL = "经查，本机关已于2024年1月10日就您申请公开的相同政府信息作出答复（瓯政办公开〔2024〕2号），您本次申请系重复申请公开相同政府信息。"
POLITE = "经核查，本机关已于2024年1月10日就您所申请公开的相同政府信息作出过答复（瓯政办公开〔2024〕2号），您此次申请属于重复申请公开相同政府信息。"


def test_the_reasons_paragraph_is_the_one_the_template_marks(letter):
    assert letter.reasons == ORIGINAL


def test_a_polite_rewrite_is_accepted_and_nothing_else_changes(letter):
    polished = polish_reasons(letter, FakeListChatModel(responses=[POLITE]), PROMPTS)
    assert polished.reasons == POLITE
    assert polished.text == letter.text.replace(ORIGINAL, POLITE)
    assert polished.basis == letter.basis and polished.missing == letter.missing
    assert any("润色" in w for w in polished.warnings)


@pytest.mark.parametrize(("rewrite", "what"), [
    (POLITE.replace("2024年1月10日", "2024年1月11日"), "2024年1月1"),  # a date
    (POLITE.replace("〔2024〕2号", "〔2024〕3号"), "〔2024〕"),  # the 文号
    (POLITE + "根据《中华人民共和国政府信息公开条例》第三十六条第（五）项的规定。", "第三十六条"),  # an article added
    (POLITE + "如不服，可以申请行政复议。", "行政复议"),  # a remedy slipped in
    ("", "结果为空"),
])
def test_a_rewrite_that_changes_protected_content_is_rejected(letter, rewrite, what):
    problems = check_polish(ORIGINAL, rewrite, ("张三", "温州市瓯海区人民政府办公室"))
    assert problems and any(what in p for p in problems)
    kept = polish_reasons(letter, FakeListChatModel(responses=[rewrite]), PROMPTS)
    assert kept.text == letter.text
    assert any("已保留模板原文" in w for w in kept.warnings)


def test_a_changed_article_number_is_rejected():
    original = "经审查，该信息属于过程性信息，依据第十六条第二款不予公开。"
    assert check_polish(original, original.replace("第十六条第二款", "第十六条第一款"))


def test_a_dropped_name_or_flipped_decision_is_rejected():
    original = "经审查，张三申请公开的信息不予公开。"
    assert check_polish(original, "经审查，申请人申请公开的信息不予公开。", ("张三",))
    assert check_polish(original, "经审查，张三申请公开的信息予以公开。", ("张三",))


def test_generic_fake_model_messages_and_think_tags_are_handled(letter):
    model = GenericFakeChatModel(messages=iter([AIMessage(content=f"<think>想一想</think>\n“{POLITE}”")]))
    assert polish_reasons(letter, model, PROMPTS).reasons == POLITE


def test_the_prompt_carries_the_paragraph_and_the_rules():
    prompt = render("letters/_polish.j2", {"paragraph": ORIGINAL}, PROMPTS)
    assert ORIGINAL in prompt and "原样保留" in prompt and "不得" in prompt
