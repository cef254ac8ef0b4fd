"""年报 — this office's 政府信息公开工作年度报告 of a year, generated from the register (tables
二/三/四, every 勾稽关系 check, charts, Markdown/.docx), and checking a published report.
"""

from __future__ import annotations

from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from rag.annual import COLUMNS, T4_PARTS, T4_ROWS, TABLE2_LAYOUT, build_annual_report, row_labels, to_markdown
from rag.core.errors import RagError
from rag.register.store import Register
from rag.reports import Check
from rag.ui.downloads import DOCX, report_docx
from rag.ui.session import current

ws = current()
today = date.today()


def _checks(checks: list[Check] | tuple[Check, ...]) -> None:
    """Every check with its result: ✅ passed, ❌ failed, ⚠️ a warning that does not fail the report."""
    failed = [c for c in checks if c.failed]
    if failed:
        st.error(f"勾稽关系核对：{len(checks)} 项中 {len(failed)} 项未通过", icon="❌")
    else:
        st.success(f"勾稽关系核对：{len(checks)} 项全部通过", icon="✅")
    ordered = sorted(checks, key=lambda c: (not c.failed, c.ok))  # what needs attention first
    st.dataframe(pd.DataFrame([{"结果": "✅" if c.ok else ("❌" if c.failed else "⚠️"), "规则": c.rule, "说明": c.detail}
                               for c in ordered]), hide_index=True, width="stretch")


def _table3(t3: dict[str, list[int]]) -> pd.DataFrame:
    return pd.DataFrame([[label, *t3[key]] for key, label in row_labels() if key in t3],
                        columns=["项目", *COLUMNS]).set_index("项目")


def _table4(t4: dict[str, list[int]]) -> pd.DataFrame:
    return pd.DataFrame([[k, *t4[k]] for k in T4_ROWS if k in t4], columns=["项目", *T4_PARTS]).set_index("项目")


st.title("年报")
st.caption("按《政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）由台账生成表二、表三、表四，并核对勾稽关系。")

try:
    with Register(ws.settings, user=ws.user) as register:
        years = sorted({c.year for c in register.list_cases()} | {today.year - 1, today.year}, reverse=True)
        year = st.columns([1, 3])[0].selectbox("年度", years, index=years.index(today.year - 1), key="report_year",
                            format_func=lambda y: f"{y}年度")
        inputs = register.annual_inputs(year)
        facts = register.case_facts()
except RagError as exc:
    st.error(exc.chinese())
    st.stop()
report = build_annual_report(inputs, today)

st.subheader(report.title)
st.markdown((":green-badge[✅ 勾稽关系全部通过]" if report.ok else ":red-badge[❌ 勾稽关系未通过]")
            + f" :gray-badge[本年新收 {report.table3['本年新收'][-1]} 件]"
            + f" :gray-badge[办结 {report.table3['总计'][-1]} 件]"
            + f" :gray-badge[结转下年度 {report.table3['结转下年度继续办理'][-1]} 件]")
for note in report.notes:
    st.caption(f":material/info: {note}")
markdown = to_markdown(report)
with st.container(horizontal=True):
    st.download_button("下载 Markdown", markdown.encode("utf-8"), f"{report.title}.md", "text/markdown",
                       icon=":material/download:", key="dl_md")
    st.download_button("下载 Word", partial(report_docx, report), f"{report.title}.docx", DOCX,
                       icon=":material/description:", key="dl_docx")

tables, checks, charts, full = st.tabs(["表格", "勾稽关系", "图表", "全文预览"])
with tables:
    st.markdown("##### 二、主动公开政府信息情况")
    for heading, columns, rows in TABLE2_LAYOUT:
        st.dataframe(pd.DataFrame([[r, *(report.table2.get(r, {}).get(c, "【待填】") for c in columns)] for r in rows],
                                  columns=[f"{heading}", *columns]).astype(str), hide_index=True, width="stretch")
    st.markdown("##### 三、收到和处理政府信息公开申请情况")
    st.dataframe(_table3(report.table3), width="stretch", height=36 * 26)
    st.markdown("##### 四、政府信息公开行政复议、行政诉讼情况")
    st.dataframe(_table4(report.table4), width="stretch")
with checks:
    _checks(report.checks)
with charts:
    from rag import charts as ch

    st.caption("全部年度的台账数据；本年度数字截至今天。")
    for column, (frame, title) in zip(st.columns(3), ((ch.by_outcome_group(facts), ch.TITLES["outcomes"]),
                                                      (ch.by_applicant_type(facts), ch.TITLES["applicants"]),
                                                      (ch.deadline_counts(facts, today), ch.TITLES["deadlines"]))):
        with column:
            st.markdown(f"###### {title}")
            if frame.empty:
                st.caption("暂无数据")
            else:
                st.bar_chart(frame.set_index(frame.index.astype(str)), x_label="年度", y_label="件数", stack=True,
                             height=320)
with full:
    st.markdown(markdown)

st.divider()
st.subheader("核对已发布的年度报告")
st.caption("上传本机关或其他机关已发布的年度报告（.docx、.pdf、.html、.md、.txt），读取表三、表四并核对勾稽关系。")
upload = st.file_uploader("年度报告文件", key="published_report")
if upload is not None:
    from rag.report_files import report_text
    from rag.reports import check_report, parse_report

    try:
        parsed = parse_report(report_text(upload.getvalue(), upload.name), source_name=upload.name)
    except RagError as exc:
        st.error(exc.chinese(), icon=":material/error:")
    else:
        st.markdown(f"**{parsed.title or upload.name}**　机关：{parsed.agency or '未识别'}　年度：{parsed.year or '未识别'}"
                    f"　格式：{parsed.format}")
        for problem in parsed.problems:
            st.caption(f":material/info: {problem}")
        _checks(check_report(parsed))
        with st.expander("读取到的表三、表四"):
            st.dataframe(_table3(parsed.table3), width="stretch")
            if parsed.table4:
                st.dataframe(_table4(parsed.table4), width="stretch")
