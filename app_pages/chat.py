"""问答 — questions about the law and the published reports, answered with citations.

The conversation lives in st.session_state["messages"] (one per browser session). Each answer
shows its basis (expandable to read the provision), an explicit "no basis found" state, and a
👍/👎 that goes to rag.feedback for later evaluation.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace

import streamlit as st

from rag.core.errors import RagError
from rag.feedback import FeedbackStore, feedback_path
from rag.ui import resources
from rag.ui.session import Workspace, current

EXAMPLES = ("补正告知要在几天内发出？", "答复期限是多久？可以延长吗？", "申请公开会议纪要能否不予公开？",
            "条例第三十六条")
NO_BASIS = "知识库中没有找到依据"

ws = current()
messages: list[dict] = st.session_state.setdefault("messages", [])
session_id: str = st.session_state.setdefault("session_id", uuid.uuid4().hex)


def _rate(msg: dict, workspace: Workspace) -> None:
    """st.feedback's callback: store (or clear) the rating of one answer."""
    score = st.session_state.get(f"fb_{msg['id']}")
    try:
        FeedbackStore(feedback_path(workspace.settings)).rate(
            session=session_id, message_id=msg["id"], user=workspace.user, question=msg["question"],
            answer=msg["content"], found=msg["found"], score=score,
            citations=[f"《{c['doc']}》{c['article'] or c['path']}" for c in msg["citations"]])
    except RagError as exc:
        st.toast(exc.chinese(), icon="⚠️")
        return
    msg["rated"] = score
    st.toast("已记录评价，谢谢！" if score is not None else "已撤销评价")


def _show_citations(citations: list[dict]) -> None:
    for n, c in enumerate(citations, 1):
        where = c["article"] or c["path"] or "全文"
        repealed = "（已废止）" if c.get("status") == "repealed" else ""
        with st.expander(f"[{n}] 《{c['doc']}》{where}{repealed}"):
            st.markdown(c["text"].replace("\n", "  \n") if c["text"] else "（原文未收录）")


def _show(msg: dict, workspace: Workspace) -> None:
    """One assistant message: the answer or the no-basis state, its basis, warnings, rating."""
    if msg.get("error"):
        st.error(msg["content"])
        return
    if msg["found"]:
        st.markdown(":green-badge[:material/verified: 有法规依据]")
        st.markdown(msg["content"].replace("\n", "  \n"))
        if msg["citations"]:
            st.caption("依据（点击展开阅读原文）")
            _show_citations(msg["citations"])
    else:
        st.markdown(":orange-badge[:material/search_off: 无依据]")
        st.warning(f"**{NO_BASIS}。** 请换一种说法，或写明法规名称和条号（如“条例第三十三条”）。")
        if msg["citations"]:
            st.caption("最接近的条文（相关性不足，仅供参考，不作为依据）")
            _show_citations(msg["citations"])
    for flag in msg["flags"]:
        st.caption(f":material/info: {flag}")
    st.feedback("thumbs", key=f"fb_{msg['id']}", on_change=_rate, args=(msg, workspace))


def _pieces(stream: Iterator, holder: dict) -> Iterator[str]:
    """The text pieces of `stream_llm_answer`, keeping the final verified Answer aside."""
    for item in stream:
        if isinstance(item, str):
            yield item
        else:
            holder["answer"] = item


def _ask(question: str, workspace: Workspace) -> dict:
    """Answer one question; streams when an LLM is configured."""
    from rag.answer import answer, stream_llm_answer

    settings = workspace.settings
    msg = {"id": uuid.uuid4().hex, "role": "assistant", "question": question, "flags": [], "citations": [],
           "found": False}
    try:
        with st.spinner("正在检索法规和年报……"):
            kb = resources.knowledge_base(settings)
        model = resources.chat_model(settings)
        result, streamed, failed = None, False, ""
        if model is not None:
            from openai import OpenAIError

            holder: dict = {}
            try:
                text = st.write_stream(_pieces(stream_llm_answer(question, kb, model, settings.prompts_dir,
                                                                 workspace.agency.name), holder))
                result, streamed = holder.get("answer"), bool(text)
            except (OpenAIError, OSError) as exc:  # endpoint down or refusing: the clerk still gets an answer
                failed = f"大模型调用失败（{type(exc).__name__}），已改用抽取式回答"
        if result is None:
            result = answer(question, kb, default_agency=workspace.agency.name, k=settings.top_k)
            if failed:
                result = replace(result, flags=result.flags + (failed,))
    except RagError as exc:
        return {**msg, "content": exc.chinese(), "error": True}
    msg.update(content=result.answer, found=result.found, flags=list(result.flags),
               citations=[c.to_json() for c in result.citations], streamed=streamed)
    return msg


st.title("问答")
st.caption("依据《中华人民共和国政府信息公开条例》等法律法规、司法解释和已公开的年度报告作答；每条回答附出处，可展开阅读原文。")

pending = st.session_state.pop("pending_question", None)
if not messages and pending is None:
    st.markdown("###### 可以这样问")
    for col, example in zip(st.columns(len(EXAMPLES)), EXAMPLES):
        col.button(example, key=f"ex_{example}", width="stretch",
                   on_click=st.session_state.__setitem__, args=("pending_question", example))

for message in messages:
    with st.chat_message(message["role"]):
        if message["role"] == "user":
            st.markdown(message["content"])
        else:
            _show(message, ws)

question = st.chat_input("请输入问题，例如：补正告知要在几天内发出？") or pending
if question:
    messages.append({"role": "user", "content": question})
    with st.chat_message("user"):
        st.markdown(question)
    with st.chat_message("assistant"):
        reply = _ask(question, ws)
        messages.append(reply)
        if not reply.get("streamed"):
            _show(reply, ws)
        else:  # the text is already on screen: add what follows it
            st.rerun()

if messages:
    with st.sidebar:
        if st.button("清空对话", icon=":material/delete_sweep:", type="tertiary"):
            messages.clear()
            st.rerun()

# Load the knowledge base once the page is on screen, so the first question does not wait for it
# (on a fresh data directory this builds the index, with a progress bar).
try:
    resources.knowledge_base(ws.settings)
except RagError as exc:
    st.error(exc.chinese() + "（可在“设置 → 知识库索引”中重建）", icon=":material/error:")
