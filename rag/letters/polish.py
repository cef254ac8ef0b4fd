"""Optional LLM polish of a letter's reasons paragraph — and the guard that makes it safe.

Only the paragraph the template marks as `reasons` is sent; the decision, the legal basis and
the remedy clause never leave the template. The guard compares what must not change — dates,
numbers and amounts, article numbers (第…条/款/项), titles in 《》, quoted text, 文号, gap
markers, the parties' names and the decision's key terms — between the template text and the
model's text; any difference and the template text stays, with a warning saying why.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from langchain_core.language_models import BaseChatModel

from rag.letters.draft import Letter
from rag.core.templates import render

_CN = "零〇一二三四五六七八九十百千"
_COUNTED = (  # must come back exactly as often as they were
    re.compile(r"\d{4}年\d{1,2}月\d{1,2}日"),
    re.compile(rf"第[{_CN}\d]+[条款项]|第（[{_CN}\d]+）项"),
    re.compile(r"《[^》]+》"),
    re.compile(r"“[^”]*”"),
    re.compile(r"[\u4e00-\u9fa5]*〔\d{4}〕\d+号"),
    re.compile(r"【[^】]+】"),
    re.compile(r"\d+(?:\.\d+)?"),
)
# The decision's key terms: present before ⇔ present after (a polish may not turn 不予公开 into
# 予以公开, nor add a remedy the template does not give here).
_TERMS = ("不予公开", "予以公开", "部分公开", "不予处理", "无法提供", "不予提供", "不存在", "不予重复处理",
          "国家秘密", "商业秘密", "个人隐私", "过程性信息", "内部事务信息", "行政执法案卷", "公开出版物",
          "行政复议", "行政诉讼", "信访", "不应当公开", "可以公开", "不属于")
_THINK = re.compile(r"<think>.*?</think>", re.S)
_MAX_GROWTH = 2.0


def polish_reasons(letter: Letter, chat_model: BaseChatModel, prompts_dir: Path) -> Letter:
    """The letter with its reasons paragraph rewritten by `chat_model` — or unchanged, with a warning."""
    original = letter.reasons
    if not original:
        return letter
    prompt = render("letters/_polish.j2", {"paragraph": original}, prompts_dir)
    reply = chat_model.invoke(prompt)
    candidate = _clean_reply(reply.content if isinstance(reply.content, str) else str(reply.content))
    names = tuple(n for n in (letter.salutation.rstrip("：:"), *letter.signature[:1]) if n)
    problems = check_polish(original, candidate, names)
    if problems:
        return letter.with_reasons(original, "大模型润色改动了" + "、".join(problems) + "，已保留模板原文")
    if candidate == original:
        return letter
    return letter.with_reasons(candidate, "理由段落已由大模型润色，请核对")


def check_polish(original: str, candidate: str, names: tuple[str, ...] = ()) -> tuple[str, ...]:
    """What the rewrite changed that it must not: empty when the rewrite is safe."""
    if not candidate.strip():
        return ("全部内容（结果为空）",)
    problems: list[str] = []
    if len(candidate) > _MAX_GROWTH * len(original) + 20:
        problems.append("篇幅（明显增加了内容）")
    for pattern in _COUNTED:
        before, after = Counter(pattern.findall(original)), Counter(pattern.findall(candidate))
        if before != after:
            changed = sorted((before - after) + (after - before))
            problems.append("“" + "”“".join(changed[:3]) + "”")
    for name in names:
        if name in original and name not in candidate:
            problems.append(f"名称“{name}”")
    for term in _TERMS:
        if (term in original) != (term in candidate):
            problems.append(f"关键表述“{term}”")
    return tuple(dict.fromkeys(problems))


def _clean_reply(text: str) -> str:
    text = _THINK.sub("", text).strip().strip("`").strip()
    text = re.sub(r"^(?:改写后|润色后)?[：:]\s*", "", text)
    if len(text) > 1 and text[0] in "“\"'" and text[-1] in "”\"'":
        text = text[1:-1]
    return "".join(line.strip() for line in text.splitlines() if line.strip())
