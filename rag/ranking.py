"""The pure ranking pieces of retrieval (plain functions of plain data, used by `rag.index`).

BM25 tokens (character uni+bigrams, no segmenter), weighted reciprocal rank fusion of the
keyword and dense rankings, per-document priors, the names clerks use for laws, and the test
that sends figure questions to the annual reports rather than to the law.
"""

from __future__ import annotations

import re

from rag.corpus import Chunk

PRIMARY_LAW = "中华人民共和国政府信息公开条例"
# Short names clerks use for the texts they cite most; other laws get aliases derived from titles.
_ALIASES = {
    "条例": PRIMARY_LAW, "信息公开条例": PRIMARY_LAW, "政府信息公开条例": PRIMARY_LAW,
    "复议法": "中华人民共和国行政复议法", "诉讼法": "中华人民共和国行政诉讼法", "行诉法": "中华人民共和国行政诉讼法",
    "保密法": "中华人民共和国保守国家秘密法", "个保法": "中华人民共和国个人信息保护法",
    "司法解释": "最高人民法院关于审理政府信息公开行政案件适用法律若干问题的解释",
    "法释〔2025〕8号": "最高人民法院关于审理政府信息公开行政案件适用法律若干问题的解释",
    "法释〔2011〕17号": "最高人民法院关于审理政府信息公开行政案件若干问题的规定",
    "复议法实施条例": "中华人民共和国行政复议法实施条例", "保密法实施条例": "中华人民共和国保守国家秘密法实施条例",
}
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_ASCII_WORD = re.compile(r"[A-Za-z]+|\d+")
_STOP = set("的了是在和与或等及其之也就都而且对把被所以为吗呢吧啊么怎么这那个请问我们你们他们它有没")
_RRF_K = 60


def tokenize(text: str) -> list[str]:
    """Character unigrams (minus function characters) and bigrams; ASCII words and numbers whole.

    No segmenter needed, and legal terms such as 过程性 or 补正 match in any inflection.
    """
    tokens: list[str] = []
    for run in _PUNCT.split(text):
        if not run:
            continue
        ascii_words = _ASCII_WORD.findall(run)
        tokens.extend(w.lower() for w in ascii_words)
        han = _ASCII_WORD.sub(" ", run).replace(" ", "")
        tokens.extend(ch for ch in han if ch not in _STOP)
        tokens.extend(han[i:i + 2] for i in range(len(han) - 1))
    return tokens


_REPORT_Q = re.compile(r"(?:19|20)\d{2}\s*年.{0,40}?(?:多少|几件|几个|数量|总计|合计|共|总共|一共|占|比例|增|减|变化)"
                       r"|(?:多少|几件|数量).{0,30}(?:19|20)\d{2}\s*年|近[一二三四五两\d]年.{0,20}(?:申请|复议|诉讼|公开)")


def is_report_question(query: str) -> bool:
    """Does the question ask about a published annual report's figures (not about the law)?"""
    return bool(_REPORT_Q.search(query))


def doc_prior(chunk: Chunk) -> float:
    """How likely a clerk's question is about this text, before reading the question.

    The product answers questions about handling disclosure requests: the texts named after
    政府信息公开 (the 条例, the court interpretation, the national guidance) come first, the
    remedy laws next, the neighbouring laws (secrets, personal data, archives, petitions) last.
    """
    if chunk.kind == "report" or chunk.kind == "law" and "政府信息公开" in chunk.doc:
        return 1.0
    # Guidance (the 江苏 规范, the report formats) explains the law; the law itself is cited first.
    if chunk.kind == "guide" or re.search(r"行政复议法|行政诉讼法", chunk.doc):
        return PRIOR_REMEDY
    return PRIOR_OTHER


PRIOR_REMEDY, PRIOR_OTHER = 1.0, 0.95


def fuse(rankings: list[tuple[list[tuple[int, float]], float]]) -> list[tuple[int, float]]:
    """Weighted reciprocal rank fusion, normalised so that rank 1 everywhere scores 1.0."""
    active = [(r, w) for r, w in rankings if r]
    if not active:
        return []
    best = sum(w / (_RRF_K + 1) for _, w in active)
    total: dict[int, float] = {}
    for ranking, weight in active:
        for rank, (idx, _) in enumerate(ranking, 1):
            total[idx] = total.get(idx, 0.0) + weight / (_RRF_K + rank)
    return sorted(((i, s / best) for i, s in total.items()), key=lambda x: -x[1])


def law_aliases(titles: set[str]) -> dict[str, str]:
    """Every name a law goes by: full title, without 中华人民共和国, curated short names."""
    out: dict[str, str] = {}
    for title in titles:
        out[title] = title
        short = title.removeprefix("中华人民共和国")
        out[short] = title
    for alias, title in _ALIASES.items():
        if title in titles:
            out[alias] = title
    return out
