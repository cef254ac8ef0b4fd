"""公开助手 — the clerk's workspace (Streamlit multipage app). Run: `make run`.

This entry point only frames the pages: it builds the one `Settings` of this run, signs the
clerk in (RAG_AUTH: none | password | oidc — nothing is shown before sign-in), draws the
sidebar and runs the selected page from app_pages/. Pages map widgets to `rag` calls.
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a model name must never turn into a download
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import streamlit as st  # noqa: E402
from pydantic import ValidationError  # noqa: E402

from rag.core.settings import Settings  # noqa: E402
from rag.ui import session  # noqa: E402

st.set_page_config(page_title="公开助手", page_icon="📄", layout="wide", initial_sidebar_state="expanded")
# Less empty space above the page title than Streamlit's default: a work tool, not a landing page.
st.html("<style>[data-testid='stMainBlockContainer']{padding-top:2.2rem}</style>")

try:
    settings = Settings()  # re-read each run: a value saved on the 设置 page applies at once
except ValidationError as exc:  # a typo in .env or the environment: say which setting, not a traceback
    st.error("配置错误：" + "；".join(f"RAG_{'_'.join(map(str, e['loc'])).upper()}：{e['msg']}" for e in exc.errors())
             + "。请修改 .env 或环境变量后刷新页面。")
    st.stop()
user = session.sign_in(settings)
ws = session.open_workspace(settings, user)
session.keep_widget_state()

pages = {
    "办理": [
        st.Page("app_pages/chat.py", title="问答", icon=":material/forum:", url_path="chat", default=True),
        st.Page("app_pages/intake.py", title="收件分拣", icon=":material/inbox:", url_path="intake"),
        st.Page("app_pages/cases.py", title="台账", icon=":material/list_alt:", url_path="cases"),
    ],
    "统计与设置": [
        st.Page("app_pages/annual.py", title="年报", icon=":material/bar_chart:", url_path="annual"),
        st.Page("app_pages/settings_page.py", title="设置", icon=":material/settings:", url_path="settings"),
    ],
}
page = st.navigation(pages)
st.logo(str(Path(__file__).parent / "assets" / "logo.svg"), size="large")

with st.sidebar:
    st.markdown(f"**{ws.agency.name}**")
    if ws.agency_warning:
        st.warning(ws.agency_warning)
    st.caption(f"经办人：{ws.user}")
    st.markdown(" ".join((
        ":green-badge[:material/smart_toy: 大模型已接入]" if settings.llm_enabled else ":gray-badge[抽取式回答]",
        ":gray-badge[仅关键词检索]" if settings.embedder == "none" else ":blue-badge[向量+关键词检索]",
        ":gray-badge[离线运行]",
    )))
    if settings.auth != "none" and st.button("退出登录", icon=":material/logout:", type="tertiary"):
        session.sign_out()
        st.rerun()

page.run()
