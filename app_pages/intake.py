"""收件分拣 — a new request from pasted text or an uploaded file: the parsed fields (editable), the
proposed handling with its basis, confidence and alternatives, the checklist, the deadlines, the
letter with its gaps, the .docx, and the case saved to the register in one click.

Everything the clerk types lives in session state under kept keys (rag.ui.session), so a bad
upload, an error or a visit to another page loses nothing.
"""

from __future__ import annotations

import html
from datetime import date
from functools import partial

import streamlit as st

from rag.register import schema as s
from rag.core.deadlines import deadlines, remaining
from rag.core.errors import RagError
from rag.letters.draft import GAP_RE, Letter, request_facts
from rag.core.outcomes import APPLICANT_TYPES, CORRECTION
from rag.ui import resources
from rag.ui.downloads import DOCX, letter_docx
from rag.ui.intake_form import DECISIONS, Corrections, corrected, decision_label, draft_with_gaps
from rag.ui.session import current

ws = current()
settings = ws.settings
today = date.today()
MISSING_ITEMS = ("姓名或名称", "身份证明", "联系方式", "所需信息描述", "获取方式", "邮寄地址", "电子邮箱")
_FIELDS = {"in_name": "姓名或名称", "in_id": "身份证件号码", "in_phone": "联系电话", "in_email": "电子邮箱",
           "in_address": "通信地址"}


def _run_triage(text: str) -> None:
    """Triage `text` and reset the form to what it found (the clerk's earlier edits belonged to another request)."""
    from rag.register.store import Register
    from rag.triage.decide import triage

    with st.spinner("正在分拣……"):
        kit = resources.triage_kit(settings)
        with Register(settings, user=ws.user) as history:
            t = triage(text, kit, ws.agency, resources.calendar(settings), today=today, history=history)
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(("gap_", "chk_"))]:
        del st.session_state[key]
    a = t.request.applicant
    st.session_state.update({
        "intake_triage": t, "intake_text_triaged": text, "intake_saved": None,
        "in_name": a.name, "in_id": a.id_number, "in_phone": a.phone, "in_email": a.email, "in_address": a.address,
        "in_type": a.applicant_type if a.applicant_type in APPLICANT_TYPES else APPLICANT_TYPES[0],
        "in_desc": t.request.description, "in_missing": list(dict.fromkeys((*t.correction_items, *t.request.missing))),
        "in_decision": CORRECTION if t.action == CORRECTION or t.outcome is None else t.outcome.key,
        "in_received": min(t.received, today), "in_letter_date": today, "in_sent": True,
    })
    st.session_state.pop("intake_upload_error", None)  # the text now triaged is what counts


def _clear() -> None:
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(("in_", "gap_", "chk_", "intake_"))]:
        del st.session_state[key]
    # An uploader's file cannot be removed through session state: a new key gives an empty uploader.
    st.session_state["uploader_generation"] = st.session_state.get("uploader_generation", 0) + 1


def _letter_html(letter: Letter) -> str:
    """The letter as it will print: title centred, signature right, gaps highlighted."""
    def esc(text: str) -> str:
        return GAP_RE.sub(lambda m: f"<mark class='gap'>{m.group(0)}</mark>", html.escape(text))

    body = "".join(f"<p class='para'>{esc(p)}</p>" for p in letter.paragraphs)
    sign = "".join(f"<p class='sign'>{esc(x)}</p>" for x in letter.signature)
    notes = "".join(f"<p class='note'>{esc(x)}</p>" for x in letter.notes)
    return ("<style>.letter{font-family:'FangSong','STFangsong','Noto Serif CJK SC',serif;font-size:1.05rem;line-height:1.9;"
            "padding:1.2rem 2.2rem}.letter h3{text-align:center;font-family:'Noto Serif CJK SC',serif}"
            ".letter .num{text-align:center;margin-top:-.6rem}.letter .para{text-indent:2em;margin:0}"
            ".letter .sign{text-align:right;margin:0}.letter .note{font-size:.9rem;color:#555;margin-top:1rem}"
            ".letter mark.gap{background:#fff3cd;color:#8a5300;padding:0 .15em;border-radius:3px}</style>"
            f"<div class='letter'><h3>{esc(letter.title)}</h3><p class='num'>{esc(letter.number)}</p>"
            f"<p>{esc(letter.salutation)}</p>{body}<br>{sign}{notes}</div>")


def _save(text: str, request, letter: Letter, decision: str, received: date, sent_on: date | None) -> None:  # type: ignore[no-untyped-def]
    """Register the case, keep the letter, record the step the letter takes — one click."""
    from rag.register.store import Register

    a = request.applicant
    with Register(settings, user=ws.user) as reg:
        case = reg.add_case(text, received=received, request=request, applicant_type=st.session_state["in_type"],
                            applicant_name=a.name, applicant_id=a.id_number,
                            applicant_contact="；".join(x for x in (a.phone, a.email, a.address) if x),
                            description=request.description)
        st.session_state["intake_saved"] = case.ref  # registered: a second click must not register it again
        st.session_state["open_case"] = case.ref
        reg.add_letter(case.id, letter.kind, letter.title, letter.text, letter.number)
        if sent_on is not None and decision == CORRECTION:
            case = reg.record_event(case.id, s.CORRECTION_SENT, sent_on, {"items": list(request.missing)})
        elif sent_on is not None:
            case = reg.close_case(case.id, decision, sent_on)


st.title("收件分拣")
st.caption("粘贴申请书文字或上传文件，自动识别申请要素、判断是否需要补正和可能的办理结果，起草答复书并登记台账。")

left, right = st.columns([3, 2])
with right:
    upload = st.file_uploader("上传申请书", key=f"upload_request{st.session_state.get('uploader_generation') or ''}",
                              help="支持 .docx、.pdf、.txt、.eml（20 MB 以内）")
    st.caption("旧版 .doc/.wps 请先另存为 .docx；扫描图片请粘贴文字。")
    run = False
    if upload is not None and upload.file_id != st.session_state.get("intake_file_id"):
        st.session_state["intake_file_id"] = upload.file_id
        from rag.intake.parse import read_request_file

        try:
            st.session_state["in_text"] = read_request_file(upload.getvalue(), upload.name)
            run = True
        except RagError as exc:
            st.session_state["intake_upload_error"] = f"{upload.name}：{exc.chinese()}"
        else:
            st.session_state.pop("intake_upload_error", None)
    if st.session_state.get("intake_upload_error"):
        st.error(st.session_state["intake_upload_error"], icon=":material/error:")
with left:
    text = st.text_area("申请书内容", key="in_text", height=240, placeholder="在此粘贴申请书全文（含申请人信息、所需信息、获取方式等）")
    with st.container(horizontal=True):
        run = st.button("分拣", type="primary", icon=":material/manage_search:", key="btn_triage") or run
        st.button("清空", on_click=_clear, key="btn_clear", type="tertiary")

if run:
    try:
        _run_triage(text)
    except RagError as exc:
        st.error(exc.chinese(), icon=":material/error:")

t = st.session_state.get("intake_triage")
if t is None:
    st.stop()
if text.strip() != st.session_state.get("intake_text_triaged", "").strip():
    st.info("申请书内容已修改，点“分拣”重新识别。", icon=":material/edit_note:")

st.divider()
fields_col, triage_col = st.columns([1, 1], gap="large")
with fields_col:
    st.subheader("申请要素")
    c1, c2 = st.columns(2)
    for n, (key, label) in enumerate(_FIELDS.items()):
        (c1 if n % 2 == 0 else c2).text_input(label, key=key)
    c2.selectbox("申请人类型（年报表三）", APPLICANT_TYPES, key="in_type",
                 help="、".join(t.request.applicant.type_signals) or None)
    st.text_area("所需信息", key="in_desc", height=90)
    st.multiselect("需补正的事项（第二十九条第二款）", list(dict.fromkeys((*MISSING_ITEMS, *st.session_state["in_missing"]))),
                   key="in_missing", placeholder="无需补正", accept_new_options=True)
    r = t.request
    st.caption(f"渠道：{r.channel or '未写明'}　提交日期：{r.submitted_date or '未写明'}　"
               f"获取方式：{'、'.join(x for x in (r.delivery_form, r.delivery_method) if x) or '未写明'}"
               + (f"　文号：{'、'.join(r.document_numbers)}" if r.document_numbers else ""))
    for w in t.warnings:
        st.caption(f":material/info: {w}")

with triage_col:
    st.subheader("分拣建议")
    if t.action == CORRECTION:
        st.markdown(":orange-badge[:material/edit_document: 先告知补正]" + f" :gray-badge[补正可能性 {t.p_correction:.0%}]")
        st.markdown("需补正：" + "、".join(t.correction_items))
        if t.outcome:
            st.caption(f"补正后可能的结果：{decision_label(t.outcome.key)}")
    elif t.outcome is not None:
        st.markdown(f":blue-badge[答复] **{decision_label(t.outcome.key)}**")
    st.progress(min(1.0, t.confidence), text=f"把握程度 {t.confidence:.0%}")
    st.markdown("**依据**：" + "；".join(t.basis) if t.basis else "**依据**：（本项无条例条文，见说明）")
    if t.responsible_body:
        st.markdown(f"**负责公开的机关**：{t.responsible_body}")
    if t.alternatives:
        st.markdown("**其他可能**：" + "；".join(f"{decision_label(o.key)}（{p:.0%}）" for o, p in t.alternatives))
    with st.expander(f"判断理由（{len(t.signals)}条）"):
        for sig in t.signals:
            st.markdown(f"- {sig.describe()}")
    st.selectbox("办理决定（确认或改选）", DECISIONS, key="in_decision",
                 format_func=lambda k: decision_label(k) + ("　← 建议" if k == (CORRECTION if t.action == CORRECTION or t.outcome is None else t.outcome.key) else ""))

st.subheader("核对清单")
checks = st.columns(2)
for n, item in enumerate(t.checklist):
    checks[n % 2].checkbox(item, key=f"chk_{n}")

st.subheader("期限")
calendar = resources.calendar(settings)
d1, d2 = st.columns([1, 3])
received = d1.date_input("收到申请日期", key="in_received", max_value=today, format="YYYY-MM-DD",
                         help="第三十一条：当面提交为提交之日；邮寄为签收之日；网络提交为双方确认之日")
with d2:
    due = deadlines(received, calendar)
    rows = (("补正告知", due.correction_notice, "7个工作日，第三十条"), ("答复", due.reply, "20个工作日，第三十三条第二款"),
            ("延期后答复", due.reply_extended, "再延长不超过20个工作日"))
    cells = st.columns(3)
    for cell, (label, day, why) in zip(cells, rows):
        left_days = remaining(day, today, calendar)
        cell.metric(label, day.isoformat(), f"剩{left_days}个工作日" if left_days >= 0 else f"已超{-left_days}个工作日",
                    delta_color="off" if left_days > 3 else "inverse", delta_arrow="off", help=why, border=True)
    st.caption(t.received_rule + ("　" + "；".join(due.warnings) if due.warnings else ""))

st.subheader("文书")
decision = st.session_state["in_decision"]
request = corrected(t.request, Corrections(
    st.session_state["in_name"], st.session_state["in_id"], st.session_state["in_phone"], st.session_state["in_email"],
    st.session_state["in_address"], st.session_state["in_type"], st.session_state["in_desc"],
    tuple(st.session_state["in_missing"])))
facts, fact_warnings = request_facts(request, calendar, letter_date=st.session_state["in_letter_date"], received=received)
values = {k[4:]: v for k, v in st.session_state.items() if isinstance(k, str) and k.startswith("gap_")}
try:
    labels, letter = draft_with_gaps(decision, facts, ws.agency, settings.prompts_dir, values)
except RagError as exc:
    st.error(exc.chinese())
    st.stop()
gaps_col, letter_col = st.columns([2, 3], gap="large")
with gaps_col:
    st.date_input("落款日期", key="in_letter_date", format="YYYY-MM-DD")
    if labels:
        st.markdown(f"**待填事项**（{len(letter.missing)}/{len(labels)} 项未填）")
        for label in labels:
            st.text_input(label, key=f"gap_{label}", placeholder="填写后文书即时更新")
    for w in (*fact_warnings, *letter.warnings):
        st.caption(f":material/warning: {w}")
with letter_col:
    with st.container(border=True):
        st.markdown(_letter_html(letter), unsafe_allow_html=True)
    st.caption("依据：" + "；".join(letter.basis))
    st.download_button("下载 Word（公文格式）", partial(letter_docx, letter), f"{letter.title}.docx", DOCX,
                       icon=":material/description:", key="btn_docx", type="secondary")

st.subheader("登记台账")
saved = st.session_state.get("intake_saved")
if saved:
    st.success(f"已登记为 {saved}，文书已存档。", icon="✅")
    st.page_link("app_pages/cases.py", label=f"在台账中查看 {saved}", icon=":material/list_alt:")
    st.stop()
what = "补正告知" if decision == CORRECTION else "答复"
sent = st.checkbox(f"文书已发出：同时记录“{what}”事件（日期为落款日期）", key="in_sent")
if letter.missing:
    st.caption(f":material/warning: 文书还有 {len(letter.missing)} 处待填，保存后可在台账中查看原文。")
if st.button("保存到台账", type="primary", icon=":material/save:", key="btn_save"):
    if sent and st.session_state["in_letter_date"] < received:
        st.error(f"落款日期早于收到申请日期（{received}），请核对")
        st.stop()
    try:
        _save(st.session_state["intake_text_triaged"], request, letter, decision, received,
              st.session_state["in_letter_date"] if sent else None)
    except RagError as exc:
        st.error(exc.chinese(), icon=":material/error:")
    else:
        st.rerun()
