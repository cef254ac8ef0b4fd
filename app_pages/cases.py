"""台账 — the case register: reminders of due and overdue replies, filters, one case's file
(timeline of events, letters, audit trail), and recording the next step of a case.

Status, outcome and deadlines are never typed in: rag.register.store derives them from the events.
The register is opened per run (a SQLite connection is never cached across threads).
"""

from __future__ import annotations

from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from rag.register import schema as s
from rag.core.errors import RagError
from rag.core.outcomes import APPLICANT_TYPES, GROUPS, OUTCOMES
from rag.register.store import Register
from rag.ui.downloads import XLSX, register_export
from rag.ui.session import current

ALL = "全部"
SOON_DAYS = 5  # working days: what "即将到期" means on this page
# What each kind of event asks for, besides its date (the keys rag.register.store stores in `detail`).
EVENT_FIELDS: dict[str, tuple[str, ...]] = {
    s.CORRECTION_SENT: ("deadline",), s.EXTENSION: ("days",), s.THIRD_PARTY_ASKED: ("party",),
    s.THIRD_PARTY_ANSWERED: ("party",), s.AGENCY_ASKED: ("party",), s.AGENCY_ANSWERED: ("party",),
    s.FEE_NOTICE: ("amount", "deadline"), s.FEE_PAID: ("amount",), s.REPLIED: ("outcome", "amend"),
    s.RECONSIDERATION: ("result",), s.LITIGATION: ("result", "after_reconsideration"),
}

ws = current()
today = date.today()
st.title("台账")
st.caption("每件申请从收到到答复的全过程：期限按工作日自动计算（第三十三条），补正、征求意见、缴费期间依法扣除。")

try:
    register = Register(ws.settings, user=ws.user)
except RagError as exc:
    st.error(exc.chinese())
    st.stop()

with register:
    overdue, soon = register.overdue(today), register.due_soon(today, SOON_DAYS)
    open_cases = register.list_cases(status=s.STATUS_OPEN)
    closed_this_year = [c for c in register.list_cases(status=s.STATUS_CLOSED)
                        if c.closed_date and c.closed_date.year == today.year]
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("办理中", len(open_cases), border=True)
    m2.metric(f"{SOON_DAYS}个工作日内到期", len(soon), border=True)
    m3.metric("已超期", len(overdue), border=True)
    m4.metric(f"{today.year}年已办结", len(closed_this_year), border=True)

    if overdue or soon:
        st.subheader("到期提醒")
        for item in overdue:
            st.error(f"**{item.case.ref}** {item.case.applicant_name}：{item.kind}期限 {item.due}，"
                     f"已超期 {-item.remaining} 个工作日 —— {item.case.description[:40]}", icon=":material/alarm:")
        for item in soon:
            left = "今天到期" if item.remaining == 0 else f"还剩 {item.remaining} 个工作日"
            st.warning(f"**{item.case.ref}** {item.case.applicant_name}：{item.kind}期限 {item.due}，{left} —— "
                       f"{item.case.description[:40]}", icon=":material/schedule:")

    st.subheader("案件")
    years = sorted({c.year for c in register.list_cases()}, reverse=True)
    f1, f2, f3, f4, f5 = st.columns([1, 2, 1.2, 1, 1.6])
    status = f1.selectbox("状态", (ALL, *s.STATUSES), key="f_status")
    outcome = f2.selectbox("办理结果", (ALL, *GROUPS, *(o.key for o in OUTCOMES if o.group != o.item)), key="f_outcome")
    kind = f3.selectbox("申请人类型", (ALL, *APPLICANT_TYPES), key="f_type")
    year = f4.selectbox("年度", (ALL, *years), key="f_year")
    text = f5.text_input("查找", placeholder="申请人、所需信息", key="f_text")
    cases = register.list_cases(status=None if status == ALL else status, outcome=None if outcome == ALL else outcome,
                                applicant_type=None if kind == ALL else kind, year=None if year == ALL else int(year),
                                text=text or None, limit=500)
    flags = {i.case.id: f"🔴 超期{-i.remaining}个工作日" for i in overdue}
    flags.update({i.case.id: f"🟠 剩{i.remaining}个工作日" for i in soon})
    if not cases:
        st.info("没有符合条件的案件。新申请请在“收件分拣”页登记。", icon=":material/inbox:")
    else:
        frame = pd.DataFrame([{
            "登记号": c.ref, "收到日期": c.received_date, "申请人": c.applicant_name, "类型": c.applicant_type,
            "所需信息": c.description[:60], "状态": c.status + (f"（等待{c.waiting}）" if c.waiting else ""),
            "办理结果": c.outcome or "", "答复期限": c.due_date, "提醒": flags.get(c.id, ""),
        } for c in cases])
        shade = {"🔴": "background-color: #fdecea", "🟠": "background-color: #fff4e0"}
        exports = st.container(horizontal=True)
        st.dataframe(frame.style.apply(lambda row: [shade.get(row["提醒"][:1], "")] * len(row), axis=1),
                     hide_index=True, width="stretch")
        for suffix, mime in ((".xlsx", XLSX), (".csv", "text/csv")):
            exports.download_button(f"导出 {suffix[1:].upper()}", partial(register_export, ws.settings, suffix),
                                f"政府信息公开申请台账{suffix}", mime, icon=":material/download:", key=f"export{suffix}")

    refs = [c.ref for c in cases]
    wanted = st.session_state.pop("open_case", None)
    if wanted and wanted not in refs:
        refs.insert(0, wanted)
    labels = {c.ref: f"{c.ref} · {c.applicant_name or '（未识别）'} · {c.description[:24]}" for c in cases}
    pick = st.selectbox("打开案件", refs, index=refs.index(wanted) if wanted in refs else None,
                        format_func=lambda r: labels.get(r, r), placeholder="选择登记号查看办理过程", key="case_pick")
    if pick is None:
        st.stop()

    case = register.get_case(pick)
    summary = register.summary(case.id)
    letters = register.letters(case.id)
    audit = register.audit_trail(case.id)

st.divider()
badge = (":green-badge[已办结]" if not case.is_open else
         f":orange-badge[等待{case.waiting}]" if case.waiting else ":blue-badge[办理中]")
alert = flags.get(case.id, "")
st.subheader(f"{case.ref}　{case.applicant_name or '（申请人未识别）'}")
st.markdown(f"{badge} {':red-badge[' + alert[2:] + ']' if alert.startswith('🔴') else ''}"
            f"{':orange-badge[' + alert[2:] + ']' if alert.startswith('🟠') else ''}"
            + (f" :violet-badge[{case.outcome}]" if case.outcome else ""))
left, right = st.columns([3, 2])
with left:
    st.markdown(f"**所需信息**：{case.description or '（未识别）'}")
    st.markdown(f"**申请人**：{case.applicant_name}（{case.applicant_type}）　**证件号**：{case.applicant_id or '—'}")
    st.markdown(f"**联系方式**：{case.applicant_contact or '—'}　**渠道**：{case.channel or '未注明'}　**收到**：{case.received_date}")
    with st.expander("申请原文"):
        st.text(case.request_text)
with right:
    d = summary.deadlines
    st.markdown("**期限**")
    st.markdown(f"- 补正告知：{d.correction_notice}（收到后7个工作日，第三十条）\n"
                f"- 答复：{d.reply}（20个工作日，第三十三条）\n- 延期后：{d.reply_extended}\n"
                f"- 现行期限：**{summary.due or ('暂停，等待' + summary.waiting if summary.waiting else '—')}**")
    for w in summary.warnings:
        st.caption(f":material/info: {w}")

st.markdown("#### 办理过程")
for e in sorted(case.events, key=lambda e: (e.date, e.id)):
    extra = "，".join(f"{k}：{v}" for k, v in e.detail.items() if v not in ("", None))
    st.markdown(f"- **{e.date}**　{e.kind}" + (f"（{extra}）" if extra else "") + f"　<small>{e.user}</small>",
                unsafe_allow_html=True)
if letters:
    st.markdown("#### 文书")
    for x in letters:
        with st.expander(f"{x.title} {x.number}　{x.created_at:%Y-%m-%d %H:%M}　{x.user}"):
            st.text(x.text)
            st.download_button("下载文本", x.text.encode("utf-8"), f"{case.ref}_{x.title}.txt", "text/plain",
                               key=f"letter_{x.id}")
with st.expander("操作记录（审计）"):
    st.dataframe(pd.DataFrame([{"时间": a["at"], "经办人": a["user"], "操作": a["action"]} for a in audit]),
                 hide_index=True, width="stretch")

st.markdown("#### 记录办理事件")
kinds = [k for k in s.EVENT_KINDS if k != s.RECEIVED]
c1, c2 = st.columns([2, 1])
event_kind = c1.selectbox("事件", kinds, key="ev_kind")
event_day = c2.date_input("日期", today, max_value=today, key="ev_day", format="YYYY-MM-DD")
fields = EVENT_FIELDS.get(event_kind, ())
detail: dict = {}
if "outcome" in fields:
    detail["outcome"] = st.selectbox("办理结果（年报表三）", [o.key for o in OUTCOMES], key="ev_outcome")
    if not case.is_open:
        detail["amend"] = st.checkbox("更正已办结案件的办理结果", key="ev_amend")
if "days" in fields:
    detail["days"] = int(st.number_input("延长工作日数（第三十三条第二款，最长20）", 1, 20, 20, key="ev_days"))
if "party" in fields:
    detail["party"] = st.text_input("第三方或其他机关名称", key="ev_party")
if "amount" in fields:
    detail["amount"] = float(st.number_input("金额（元）", 0.0, step=10.0, key="ev_amount"))
if "deadline" in fields:
    limit = st.date_input("给申请人的期限（可不填）", None, min_value=event_day, key="ev_deadline", format="YYYY-MM-DD")
    if limit:
        detail["deadline"] = limit.isoformat()
if "result" in fields:
    detail["result"] = st.selectbox("结果", s.REVIEW_RESULTS, index=len(s.REVIEW_RESULTS) - 1, key="ev_result")
if "after_reconsideration" in fields and st.checkbox("复议后起诉", key="ev_after"):
    detail["after_reconsideration"] = True
note = st.text_input("备注（可不填）", key="ev_note")
if note.strip():
    detail["note"] = note.strip()
if st.button("记录", type="primary", icon=":material/add_task:", key="ev_save"):
    try:
        with Register(ws.settings, user=ws.user) as reg:
            updated = reg.record_event(case.id, event_kind, event_day,
                                       {k: v for k, v in detail.items() if v not in ("", False)})
    except RagError as exc:
        st.error(exc.chinese())
    else:
        st.session_state["open_case"] = updated.ref
        st.toast(f"已记录 {updated.ref} {event_kind}", icon="✅")
        st.rerun()
