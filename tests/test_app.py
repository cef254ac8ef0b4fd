"""The Streamlit workspace driven by streamlit.testing.v1.AppTest: each page's main flow on a real
register (SQLite), a real keyword index and the real triage model, in a temp data directory.

The index (keyword-only: RAG_EMBEDDER=none) and the triage model are built once per session and
copied into each test's data directory; each test runs in its own working directory, so a
developer's .env is never read and the 设置 page writes its .env there.
"""

from __future__ import annotations

import os
import shutil
import socket
from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from rag.register.store import Register
from rag.core.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
TODAY = date.today()

REQUEST = """政府信息公开申请表
受理机关：瓯海区人民政府办公室
姓名：王建国
证件类型：身份证
证件号码：330381196507071237
联系电话：13968812345
通讯地址：温州市瓯海区仙岩街道竹溪村78号
所需信息内容描述：瓯海区人民政府2023年第12次常务会议关于仙岩街道旧村改造的会议纪要
获取信息的方式：纸质，自行领取
申请方式：当面提交
申请日期：2024年5月20日
"""


@pytest.fixture(scope="session")
def prebuilt(tmp_path_factory):
    """A data directory with the keyword index and the trained triage model, made once."""
    from rag.index import open_knowledge_base
    from rag.triage.decide import load_triage

    data = tmp_path_factory.mktemp("prebuilt") / "data"
    open_knowledge_base(Settings(data_dir=data, embedder="none", _env_file=None))
    load_triage(ROOT / "corpus", data)
    return data


@pytest.fixture()
def settings(tmp_path, monkeypatch, prebuilt):
    """The settings the app will build: RAG_ variables of the test only, data in tmp_path."""
    monkeypatch.chdir(tmp_path)
    for key in [k for k in os.environ if k.upper().startswith("RAG_")]:
        monkeypatch.delenv(key)
    shutil.copytree(prebuilt, tmp_path / "data")
    monkeypatch.setenv("RAG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RAG_EMBEDDER", "none")
    return Settings()


def run_app(page: str = "", user: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    if user is not None:
        at.user = user
    at.run()
    if page:
        at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    """Everything shown as markdown, captions, alerts and subheaders, for assertions on content."""
    parts = [e.value for kind in ("markdown", "caption", "error", "warning", "success", "info", "subheader", "title")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def add_case(settings: Settings, received: date, name: str = "张三", what: str = "本街道2023年防汛物资采购合同",
             user: str = "经办人甲"):
    text = f"姓名：{name}\n身份证号：330381196507071237\n联系电话：13968812345\n申请公开：{what}\n获取方式：电子邮件\n"
    with Register(settings, user=user) as reg:
        return reg.add_case(text, received=received)


# ---------------------------------------------------------------- frame and sign-in


def test_first_page_is_the_chat_with_the_agency_in_the_sidebar(settings):
    at = run_app()
    assert [t.value for t in at.title] == ["问答"]
    assert len(at.chat_input) == 1
    sidebar = "\n".join(m.value for m in at.sidebar.markdown)
    assert "温州市瓯海区人民政府办公室" in sidebar and "抽取式回答" in sidebar


@pytest.mark.parametrize("page, title", [("chat", "问答"), ("intake", "收件分拣"), ("cases", "台账"), ("annual", "年报"),
                                         ("settings_page", "设置")])
def test_every_page_opens_without_error(settings, page, title):
    at = run_app(page)
    assert at.title[0].value == title


@pytest.fixture()
def with_users(settings, monkeypatch, tmp_path):
    from rag.auth import save_user

    save_user(tmp_path / "users.txt", "zhangsan", "zhang-pass-1", "张三")
    monkeypatch.setenv("RAG_AUTH", "password")
    monkeypatch.setenv("RAG_USERS_FILE", str(tmp_path / "users.txt"))
    return Settings()


def _nothing_but_sign_in(at: AppTest) -> None:
    assert [t.label for t in at.text_input] == ["用户名", "密码"]
    assert not at.chat_input and not at.title and not at.sidebar.children
    assert "问答" not in texts(at)


def test_password_mode_shows_nothing_before_sign_in(with_users):
    _nothing_but_sign_in(run_app())


def test_wrong_password_is_refused_and_right_one_opens_the_workspace(with_users):
    at = run_app()
    at.text_input(key="sign_in_user").set_value("zhangsan")
    at.text_input(key="sign_in_password").set_value("wrong-password")
    at.button[0].click().run()
    assert "用户名或密码不正确" in at.error[0].value
    _nothing_but_sign_in(at)
    at.text_input(key="sign_in_password").set_value("zhang-pass-1")
    at.button[0].click().run()
    assert not at.exception
    assert at.title[0].value == "问答"
    assert "经办人：张三" in [c.value for c in at.sidebar.caption]


def test_signed_in_clerk_is_written_to_the_audit_trail(with_users):
    at = run_app()
    at.text_input(key="sign_in_user").set_value("zhangsan")
    at.text_input(key="sign_in_password").set_value("zhang-pass-1")
    at.button[0].click().run()
    at.switch_page("app_pages/intake.py").run()
    at.text_area(key="in_text").set_value(REQUEST)
    at.button(key="btn_triage").click().run()
    at.button(key="btn_save").click().run()
    with Register(with_users) as reg:
        trail = reg.audit_trail()
    assert trail and {row["user"] for row in trail} == {"张三"}


def test_too_many_wrong_passwords_pause_sign_in(with_users):
    at = run_app()
    at.text_input(key="sign_in_user").set_value("zhangsan")
    at.text_input(key="sign_in_password").set_value("wrong-password")
    for _ in range(5):
        at.button[0].click().run()
    at.text_input(key="sign_in_password").set_value("zhang-pass-1")
    at.button[0].click().run()
    assert "次数过多" in at.error[0].value
    _nothing_but_sign_in(at)


def test_password_mode_without_users_file_says_how_to_add_clerks(settings, monkeypatch, tmp_path):
    monkeypatch.setenv("RAG_AUTH", "password")
    monkeypatch.setenv("RAG_USERS_FILE", str(tmp_path / "missing.txt"))
    at = run_app()
    at.text_input(key="sign_in_user").set_value("zhangsan")
    at.text_input(key="sign_in_password").set_value("whatever-1")
    at.button[0].click().run()
    assert "python -m rag.auth add" in at.error[0].value


def test_oidc_mode_asks_for_the_identity_provider_then_uses_its_name(settings, monkeypatch):
    monkeypatch.setenv("RAG_AUTH", "oidc")
    at = run_app(user={"is_logged_in": False})
    assert [b.label for b in at.button] == ["统一身份认证登录"]
    assert not at.chat_input and not at.sidebar.children
    at = run_app(user={"is_logged_in": True, "name": "李四", "email": "lisi@example.gov.cn"})
    assert at.title[0].value == "问答"
    assert "经办人：李四" in [c.value for c in at.sidebar.caption]


# ---------------------------------------------------------------- 问答


def test_question_gets_an_answer_with_expandable_citations(settings):
    at = run_app()
    at.chat_input[0].set_value("答复期限是多久？").run()
    assert [m.name for m in at.chat_message] == ["user", "assistant"]
    shown = "\n".join(m.value for m in at.chat_message[1].markdown)
    assert "有法规依据" in shown and "第三十三条" in shown
    labels = [e.label for e in at.expander]
    assert labels[0] == "[1] 《中华人民共和国政府信息公开条例》第三十三条"
    assert "20个工作日内予以答复" in at.expander[0].markdown[0].value  # the article itself


def test_question_without_basis_says_so_explicitly(settings):
    at = run_app()
    at.chat_input[0].set_value("今天中午食堂吃什么").run()
    assert "知识库中没有找到依据" in at.chat_message[1].warning[0].value
    assert "无依据" in at.chat_message[1].markdown[0].value


def test_rating_an_answer_stores_it_with_the_clerk(settings):
    from rag.feedback import FeedbackStore, feedback_path

    at = run_app()
    at.chat_input[0].set_value("答复期限是多久？").run()
    at.feedback[0].set_value(0).run()
    [rating] = FeedbackStore(feedback_path(settings)).ratings()
    assert (rating.score, rating.question, rating.found) == (0, "答复期限是多久？", True)
    assert rating.citations and rating.user
    at.feedback[0].set_value(1).run()
    assert FeedbackStore(feedback_path(settings)).counts() == {"up": 1, "down": 0}


def test_conversation_is_kept_for_the_session_across_pages(settings):
    at = run_app()
    at.chat_input[0].set_value("答复期限是多久？").run()
    at.chat_input[0].set_value("条例第三十六条").run()
    at.switch_page("app_pages/cases.py").run()
    at.switch_page("app_pages/chat.py").run()
    assert [m.name for m in at.chat_message] == ["user", "assistant", "user", "assistant"]
    assert at.chat_message[2].markdown[0].value == "条例第三十六条"


def test_example_question_button_asks_it(settings):
    at = run_app()
    at.button(key="ex_答复期限是多久？可以延长吗？").click().run()
    assert at.chat_message[0].markdown[0].value == "答复期限是多久？可以延长吗？"
    assert "有法规依据" in at.chat_message[1].markdown[0].value


def test_unreachable_llm_falls_back_to_the_extractive_answer(settings, monkeypatch):
    with socket.socket() as s:  # a local port nobody listens on: connection refused at once
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("RAG_LLM_BASE_URL", f"http://127.0.0.1:{port}/v1")
    monkeypatch.setenv("RAG_LLM_MODEL", "qwen")
    monkeypatch.setenv("RAG_LLM_TIMEOUT", "5")
    at = run_app()
    at.chat_input[0].set_value("答复期限是多久？").run()
    shown = "\n".join(m.value for m in at.chat_message[1].markdown)
    assert "第三十三条" in shown
    assert any("已改用抽取式回答" in c.value for c in at.chat_message[1].caption)


REPLY = ("根据《中华人民共和国政府信息公开条例》第三十三条，不能当场答复的，应当自收到申请之日起20个工作日内予以答复；"
         "另见《中华人民共和国政府信息公开条例》第八十条。")


@pytest.fixture()
def fake_llm(settings, monkeypatch):
    """An OpenAI-compatible endpoint on 127.0.0.1 that streams REPLY in pieces (the LLM cannot run here)."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append(body)
            head = {"id": "x", "created": 0, "model": body["model"]}
            if not body.get("stream"):
                payload = json.dumps({**head, "object": "chat.completion", "choices": [{"index": 0, "finish_reason": "stop",
                                      "message": {"role": "assistant", "content": "连接正常"}}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for i in range(0, len(REPLY), 7):
                chunk = {**head, "object": "chat.completion.chunk",
                         "choices": [{"index": 0, "delta": {"content": REPLY[i:i + 7]}, "finish_reason": None}]}
                self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
            self.wfile.write(b"data: [DONE]\n\n")

        def log_message(self, *args):  # keep pytest output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("RAG_LLM_BASE_URL", f"http://127.0.0.1:{server.server_port}/v1")
    monkeypatch.setenv("RAG_LLM_MODEL", "qwen-test")
    yield seen
    server.shutdown()


def test_llm_answer_is_streamed_then_shown_with_checked_citations(fake_llm):
    at = run_app()
    at.chat_input[0].set_value("答复期限是多久？").run()
    assert fake_llm and fake_llm[-1]["stream"] is True
    assert "第三十三条" in "".join(m["content"] for m in fake_llm[-1]["messages"])  # the retrieved passage was sent
    reply = at.session_state["messages"][-1]
    assert reply["streamed"] and reply["found"]
    assert "20个工作日内予以答复" in reply["content"]
    assert "〔引用未核实，已删除〕" in reply["content"]  # the 条例 has 56 articles: 第八十条 removed, flagged
    assert any("无法在知识库中核实" in c.value for c in at.chat_message[1].caption)
    assert at.expander[0].label.startswith("[1] 《中华人民共和国政府信息公开条例》")
    assert "大模型已接入" in "\n".join(m.value for m in at.sidebar.markdown)


def test_connection_test_reports_the_models_reply(fake_llm):
    at = run_app("settings_page")
    at.button(key="llm_test").click().run()
    assert "连接正常" in at.success[0].value


# ---------------------------------------------------------------- 收件分拣


def triaged(text: str = REQUEST) -> AppTest:
    at = run_app("intake")
    at.text_area(key="in_text").set_value(text)
    at.button(key="btn_triage").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at


def letter_html(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "class='letter'" in m.value)


def test_pasted_request_is_parsed_into_editable_fields(settings):
    at = triaged()
    state = at.session_state
    assert (state["in_name"], state["in_id"], state["in_phone"]) == ("王建国", "330381196507071237", "13968812345")
    assert state["in_type"] == "自然人" and "会议纪要" in state["in_desc"]
    assert state["in_received"] == date(2024, 5, 20)  # 当面提交 (第三十一条)
    shown = texts(at)
    assert "分拣建议" in shown and "依据" in shown and "把握程度" in at.get("progress")[0].proto.text
    assert at.checkbox, "the checklist"
    assert [m.label for m in at.metric] == ["补正告知", "答复", "延期后答复"]
    assert at.metric[1].value == "2024-06-18"  # 20 working days, 端午 off


def test_whole_request_from_paste_to_saved_letter_in_the_register(settings):
    at = triaged()
    at.selectbox(key="in_decision").set_value("不予公开/属于四类过程性信息").run()
    assert "第十六条第二款" in letter_html(at)
    gap = "过程性信息类型（讨论记录、过程稿、磋商信函或请示报告）"
    at.text_input(key=f"gap_{gap}").set_value("讨论记录").run()
    at.text_input(key="gap_文号序号").set_value("8").run()
    html = letter_html(at)
    assert "讨论记录" in html and f"〔{TODAY.year}〕8号" in html and "【待填：文号序号】" not in html
    assert at.text_input(key=f"gap_{gap}").value == "讨论记录"  # the input stays to be corrected
    assert at.download_button(key="btn_docx")
    at.button(key="btn_save").click().run()
    assert at.success[0].value.startswith("已登记为 2024-0001")
    with Register(settings) as reg:
        case = reg.get_case("2024-0001")
        letters = reg.letters(case.id)
    assert case.outcome == "不予公开/属于四类过程性信息" and case.status == "已办结"
    assert (case.applicant_name, case.received_date) == ("王建国", date(2024, 5, 20))
    assert [e.kind for e in case.events] == ["收到", "答复"]
    assert letters[0].title == "政府信息公开申请答复书" and "讨论记录" in letters[0].text


def test_saving_twice_registers_the_case_once(settings):
    at = triaged()
    at.button(key="btn_save").click().run()
    assert not any(b.key == "btn_save" for b in at.button)  # replaced by the link to the case
    at.run()
    with Register(settings) as reg:
        assert len(reg.list_cases()) == 1


def test_correction_decision_drafts_the_notice_and_stops_the_clock(settings):
    at = triaged()
    at.multiselect(key="in_missing").set_value(["所需信息描述"])
    at.selectbox(key="in_decision").set_value("补正").run()
    html = letter_html(at)
    assert "补正告知书" in html and "所需政府信息的名称、文号" in html  # says exactly what to supplement
    at.button(key="btn_save").click().run()
    with Register(settings) as reg:
        [case] = reg.list_cases()
        case = reg.get_case(case.id)
    assert [e.kind for e in case.events] == ["收到", "补正告知"]
    assert case.events[-1].detail["items"] == ["所需信息描述"]
    assert case.waiting == "补正" and case.is_open


def test_clerk_can_correct_the_applicant_type_and_received_date(settings):
    at = triaged()
    at.selectbox(key="in_type").set_value("法律服务机构")
    at.date_input(key="in_received").set_value(date(2024, 5, 22)).run()
    assert at.metric[1].value == "2024-06-20"
    at.button(key="btn_save").click().run()
    with Register(settings) as reg:
        [case] = reg.list_cases()
    assert (case.applicant_type, case.received_date) == ("法律服务机构", date(2024, 5, 22))


def test_letter_dated_before_receipt_is_refused_before_anything_is_saved(settings):
    at = triaged()
    at.date_input(key="in_letter_date").set_value(date(2024, 5, 1)).run()
    at.button(key="btn_save").click().run()
    assert "落款日期早于收到申请日期" in at.error[0].value
    with Register(settings) as reg:
        assert reg.list_cases() == []


def test_uploaded_docx_is_read_into_the_text_box_and_triaged(settings):
    import io

    from docx import Document

    doc = Document()
    for line in REQUEST.splitlines():
        doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    at = run_app("intake")
    at.file_uploader(key="upload_request").set_value(("申请.docx", buf.getvalue(), "application/octet-stream")).run()
    assert "王建国" in at.text_area(key="in_text").value
    assert at.session_state["in_name"] == "王建国"


@pytest.mark.parametrize("name, data, message", [
    ("申请.xlsx", b"PK\x03\x04 not a workbook", "不支持 .xlsx 文件"),
    ("空.txt", b"", "文件为空"),
    ("大.pdf", b"%PDF-" + b"0" * (21 * 1024 * 1024), "文件过大"),
    ("坏.docx", b"PK\x03\x04garbage", "Word 文件已损坏"),
    ("扫描件.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "图片无法识别文字"),
    ("乱码.txt", bytes(range(256)) * 16, "二进制"),
])
def test_bad_upload_gives_a_chinese_message_and_loses_nothing(settings, name, data, message):
    at = run_app("intake")
    typed = "申请人：周某\n身份证号：330381196507071237\n申请公开：本街道2024年防汛物资采购合同\n获取方式：电子邮件 zhou@example.com"
    at.text_area(key="in_text").set_value(typed).run()
    at.file_uploader(key="upload_request").set_value((name, data, "application/octet-stream")).run()
    assert not at.exception
    assert message in at.error[0].value and name in at.error[0].value
    assert at.text_area(key="in_text").value == typed
    at.button(key="btn_triage").click().run()  # the page keeps working
    assert at.session_state["in_name"] == "周某"


def test_noise_instead_of_a_request_is_refused_in_chinese(settings):
    at = run_app("intake")
    at.text_area(key="in_text").set_value("asdf qwer 1234 !!!!").run()
    at.button(key="btn_triage").click().run()
    assert not at.exception and at.error
    assert "intake_triage" not in at.session_state


def test_typed_request_survives_a_visit_to_another_page(settings):
    at = triaged()
    at.text_input(key="in_phone").set_value("0577-12345678").run()
    at.switch_page("app_pages/cases.py").run()
    at.switch_page("app_pages/intake.py").run()
    assert at.text_area(key="in_text").value == REQUEST
    assert at.text_input(key="in_phone").value == "0577-12345678"


# ---------------------------------------------------------------- 台账


@pytest.fixture()
def register_with_cases(settings):
    late = add_case(settings, TODAY - timedelta(days=60), "张三", "2023年防汛物资采购合同")
    soon = add_case(settings, TODAY - timedelta(days=24), "李四", "2024年老旧小区改造计划")
    done = add_case(settings, TODAY - timedelta(days=10), "王五", "某路段拆迁补偿标准")
    with Register(settings, user="经办人乙") as reg:
        reg.close_case(done.id, "予以公开", TODAY)
    return late, soon, done


def test_register_highlights_overdue_and_due_soon_cases(settings, register_with_cases):
    late, soon, done = register_with_cases
    at = run_app("cases")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["办理中"] == "2" and metrics["已超期"] == "1"
    assert late.ref in at.error[0].value and "已超期" in at.error[0].value
    frame = at.dataframe[0].value
    assert set(frame["登记号"]) == {late.ref, soon.ref, done.ref}
    assert frame.set_index("登记号").loc[late.ref, "提醒"].startswith("🔴")


@pytest.mark.parametrize("key, value, expected", [
    ("f_status", "已办结", {"王五"}),
    ("f_status", "办理中", {"张三", "李四"}),
    ("f_outcome", "予以公开", {"王五"}),
    ("f_text", "防汛", {"张三"}),
])
def test_register_filters(settings, register_with_cases, key, value, expected):
    at = run_app("cases")
    widget = at.text_input(key=key) if key == "f_text" else at.selectbox(key=key)
    widget.set_value(value).run()
    assert set(at.dataframe[0].value["申请人"]) == expected


def test_case_page_shows_timeline_and_records_an_extension(settings, register_with_cases):
    _, soon, _ = register_with_cases
    at = run_app("cases")
    at.selectbox(key="case_pick").set_value(soon.ref).run()
    assert f"{soon.ref}　李四" in [s.value for s in at.subheader]
    at.selectbox(key="ev_kind").set_value("延期").run()
    at.number_input(key="ev_days").set_value(10)
    at.button(key="ev_save").click().run()
    assert all(e.icon == ":material/alarm:" for e in at.error)  # only the deadline reminders
    with Register(settings) as reg:
        case = reg.get_case(soon.id)
    assert [e.kind for e in case.events][-1] == "延期" and case.events[-1].detail["days"] == 10
    assert any("延期" in m.value for m in at.markdown)  # the timeline shows it


def test_event_out_of_order_is_refused_with_the_rule(settings, register_with_cases):
    late, _, _ = register_with_cases
    at = run_app("cases")
    at.selectbox(key="case_pick").set_value(late.ref).run()
    at.selectbox(key="ev_kind").set_value("补正收到").run()
    at.button(key="ev_save").click().run()
    assert "没有待补正的补正告知" in at.error[-1].value
    assert at.selectbox(key="case_pick").value == late.ref  # still on the case


def test_closing_a_case_from_its_page(settings, register_with_cases):
    late, _, _ = register_with_cases
    at = run_app("cases")
    at.selectbox(key="case_pick").set_value(late.ref).run()
    at.selectbox(key="ev_kind").set_value("答复").run()
    at.selectbox(key="ev_outcome").set_value("无法提供/本机关不掌握相关政府信息").run()
    at.button(key="ev_save").click().run()
    with Register(settings) as reg:
        assert reg.get_case(late.id).outcome == "无法提供/本机关不掌握相关政府信息"


# ---------------------------------------------------------------- 年报


def test_annual_report_for_a_year_has_tables_checks_and_downloads(settings):
    year = TODAY.year - 1
    for n, outcome in enumerate(("予以公开", "不予公开/属于四类过程性信息", None)):
        case = add_case(settings, date(year, 3, 2 + n), f"申请人{n}")
        if outcome:
            with Register(settings) as reg:
                reg.close_case(case.id, outcome, date(year, 3, 20))
    at = run_app("annual")
    assert at.selectbox(key="report_year").value == year
    assert at.success[0].value.endswith("项全部通过")
    table3 = at.dataframe[4].value
    assert table3.loc["一、本年新收政府信息公开申请数量", "总计"] == 3
    assert table3.loc["四、结转下年度继续办理", "总计"] == 1
    assert {b.key for b in at.download_button} >= {"dl_md", "dl_docx"}
    assert any(m.value.startswith(f"# 瓯海区人民政府办公室{year}年政府信息公开工作年度报告") for m in at.markdown)


PUBLISHED = ROOT / "corpus" / "reports" / "温州市瓯海区人民政府办公室_2023.md"


@pytest.mark.parametrize("text, verdict", [
    (PUBLISHED.read_text(encoding="utf-8"), "全部通过"),
    # 本年新收 46 → 47: 新收 + 结转 no longer equals 办理结果 + 结转下年度 in the 自然人 column
    (PUBLISHED.read_text(encoding="utf-8").replace("数量 | 46 | 5 |", "数量 | 47 | 5 |"), "未通过"),
])
def test_published_report_upload_is_parsed_and_checked(settings, text, verdict):
    at = run_app("annual")
    at.file_uploader(key="published_report").set_value(("报告.md", text.encode("utf-8"), "text/markdown")).run()
    assert any("2023" in m.value and "瓯海" in m.value for m in at.markdown)
    uploaded = [e.value for e in (*at.success, *at.error) if "勾稽关系核对" in e.value][-1]
    assert verdict in uploaded
    if verdict == "未通过":
        marks = [set(d.value["结果"]) for d in at.dataframe if "结果" in d.value.columns]
        assert "❌" in marks[-1] and "❌" not in marks[0]  # the upload's checks, not the register's


@pytest.mark.parametrize("name, data", [("空.md", b""), ("不是年报.txt", "申请公开本村财务账目".encode())])
def test_unusable_report_upload_gives_a_message(settings, name, data):
    at = run_app("annual")
    at.file_uploader(key="published_report").set_value((name, data, "text/plain")).run()
    assert not at.exception
    assert "年度报告无法解析" in at.error[-1].value


# ---------------------------------------------------------------- 设置


def test_llm_settings_are_saved_to_env_and_apply_on_the_next_run(settings, tmp_path):
    at = run_app("settings_page")
    at.text_input(key="llm_url").set_value("http://127.0.0.1:11434/v1")
    at.text_input(key="llm_model").set_value("qwen2.5:7b-instruct")
    at.button(key="llm_save").click().run()
    assert at.success and "RAG_LLM_MODEL=\"qwen2.5:7b-instruct\"" in (tmp_path / ".env").read_text(encoding="utf-8")
    at.run()
    assert "大模型已接入" in "\n".join(m.value for m in at.sidebar.markdown)


def test_connection_test_to_a_dead_endpoint_gives_a_chinese_message(settings):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    at = run_app("settings_page")
    at.text_input(key="llm_url").set_value(f"http://127.0.0.1:{port}/v1")
    at.text_input(key="llm_model").set_value("qwen")
    at.button(key="llm_test").click().run()
    assert "无法连接大模型" in at.error[0].value


def test_index_can_be_rebuilt_from_the_settings_page(settings):
    at = run_app("settings_page")
    assert "已建立" in texts(at)
    at.button(key="rebuild").click().run()
    assert "索引已更新" in at.success[0].value


def test_agency_profile_edit_is_saved_to_the_corpus(settings, monkeypatch, tmp_path):
    from rag.core.agency import load_agency

    shutil.copytree(ROOT / "corpus" / "agencies", tmp_path / "corpus" / "agencies")
    monkeypatch.setenv("RAG_CORPUS_DIR", str(tmp_path / "corpus"))
    at = run_app("settings_page")
    at.text_input(key="ag_phone").set_value("0577-88881234")
    at.button(key="ag_save").click().run()
    assert at.success, [e.value for e in at.error]
    assert load_agency("瓯海区人民政府办公室", tmp_path / "corpus").phone == "0577-88881234"


def test_invalid_setting_is_named_instead_of_a_traceback(settings, monkeypatch):
    monkeypatch.setenv("RAG_AUTH", "ldap")
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    assert "RAG_AUTH" in at.error[0].value and not at.chat_input


def test_oidc_without_provider_configuration_explains_what_is_missing(settings, monkeypatch):
    monkeypatch.setenv("RAG_AUTH", "oidc")
    at = run_app(user={})  # no [auth] in secrets.toml: st.user knows nothing
    assert not at.chat_input and not at.exception
    at.button[0].click().run()
    assert "统一身份认证未配置好" in at.error[0].value


def test_clear_empties_the_form_and_the_uploader(settings):
    at = run_app("intake")
    at.file_uploader(key="upload_request").set_value(("申请.txt", REQUEST.encode("utf-8"), "text/plain")).run()
    assert at.session_state["in_name"] == "王建国"
    at.button(key="btn_clear").click().run()
    assert at.text_area(key="in_text").value == ""
    assert "intake_triage" not in at.session_state and not at.subheader
    assert at.file_uploader[0].value in (None, [])
