"""公开助手 — the clerk's workspace (Streamlit). Thin: widgets map to `rag` calls.

Run with `make run` (or `streamlit run app.py`). This page is the 问答 chat; the other pages
(收件分拣, 台账, 年报, 设置) live in pages/ when present.
"""

from __future__ import annotations

import os

import streamlit as st

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from rag.errors import RagError  # noqa: E402
from rag.settings import Settings  # noqa: E402

st.set_page_config(page_title="公开助手", page_icon="📄", layout="wide")


@st.cache_resource(show_spinner="正在加载知识库……")
def knowledge_base(settings: Settings):  # type: ignore[no-untyped-def]
    """Load once per process: the embedder (heavy) and the index (built on first start)."""
    from rag.index import open_knowledge_base

    return open_knowledge_base(settings)


settings = Settings()
st.title("公开助手 · 政府信息公开问答")
st.caption("依据《中华人民共和国政府信息公开条例》等法规和已公开的年度报告作答，每条回答附法规出处。")

if "messages" not in st.session_state:
    st.session_state["messages"] = []

for message in st.session_state["messages"]:
    with st.chat_message(message["role"]):
        st.markdown(message["content"])

question = st.chat_input("请输入您的问题，例如：补正告知要在几天内发出？")
if question is not None:
    st.session_state["messages"].append({"role": "user", "content": question})
    with st.chat_message("user"):
        st.markdown(question)
    with st.chat_message("assistant"):
        try:
            from rag.answer import answer

            result = answer(question, knowledge_base(settings), default_agency=settings.agency)
            text = result.answer.replace("\n", "  \n")
        except RagError as exc:
            text = f"⚠️ {exc.chinese()}"
            result = None
        st.markdown(text)
        if result is not None and result.found:
            for n, c in enumerate(result.citations, 1):
                with st.expander(f"[{n}] 《{c.doc}》{c.article or c.path}"):
                    st.text(c.text)
        for flag in (result.flags if result else ()):
            st.caption(f"提示：{flag}")
    st.session_state["messages"].append({"role": "assistant", "content": text})
