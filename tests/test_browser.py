"""The clerk's workspace in a real browser: Debian's chromium driven by playwright against
`streamlit run app.py` on 127.0.0.1 — a question answered with its basis, a whole request from
pasted text to a saved letter in the register, the annual report, a bad upload.

The app runs on a fresh data directory with `RAG_EMBEDDER=none`: the index is built on the
first question in about 2 s (keyword retrieval) instead of minutes of embedding; the embedder
path is covered by tests/test_index.py. Screenshots go to test-output/browser/ (gitignored).
Chromium and the CJK/emoji fonts come from Debian (`make system-deps`); never `playwright install`.
"""

from __future__ import annotations

import os
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.servers import CHROMIUM, CHROMIUM_FLAGS, start_streamlit, stop

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "test-output" / "browser"
AGENCY = "温州市瓯海区人民政府办公室"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="Debian chromium missing: run `make system-deps` (apt-get install chromium)")

SUBMITTED = date.today() - timedelta(days=3)
REQUEST = f"""政府信息公开申请表
受理机关：瓯海区人民政府办公室
申请人类型：[√]公民  [ ]法人或其他组织
姓名：陈晓燕
证件类型：身份证
证件号码：330304198506150028
联系电话：13857712345
通讯地址：温州市瓯海区娄桥街道古岸头村12号
所需信息内容描述：瓯海区人民政府{SUBMITTED.year - 1}年第5次常务会议纪要中关于娄桥街道老旧小区改造的议定事项
所需信息的用途：了解本小区改造安排
获取信息的方式：纸质，自行领取
申请日期：{SUBMITTED.year}年{SUBMITTED.month}月{SUBMITTED.day}日
"""


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    """`streamlit run app.py` on a free port with its own data directory; stopped by its pid."""
    data = tmp_path_factory.mktemp("browser")
    # Every setting the run depends on is given here: a developer's .env must not change the test.
    env = {**os.environ, "RAG_DATA_DIR": str(data / "data"), "RAG_EMBEDDER": "none", "RAG_AUTH": "none",
           "RAG_AGENCY": "瓯海区人民政府办公室", "RAG_CORPUS_DIR": str(ROOT / "corpus"), "RAG_LLM_BASE_URL": "",
           "RAG_LLM_MODEL": "", "RAG_DATABASE_URL": "", "RAG_CHROMA_URL": "", "HF_HUB_OFFLINE": "1"}
    log = (data / "streamlit.log").open("w")
    try:
        proc, url = start_streamlit(env, log)
    except RuntimeError:
        pytest.fail("streamlit did not start:\n" + (data / "streamlit.log").read_text())
    yield url
    stop(proc)
    log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, app_url):
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN", accept_downloads=True)
    pg = ctx.new_page()
    pg.set_default_timeout(30_000)
    pg.goto(app_url)
    pg.get_by_text(AGENCY).first.wait_for()
    yield pg
    ctx.close()


def _shot(pg, name: str, height: int = 0) -> Path:
    """Save a screenshot; a tall viewport first when the page scrolls (Streamlit scrolls inside the page)."""
    OUT.mkdir(parents=True, exist_ok=True)
    if height:
        pg.set_viewport_size({"width": 1440, "height": height})
        pg.wait_for_timeout(600)
    pg.evaluate("document.querySelectorAll('[data-testid=stMain], [data-testid=stAppScrollToBottomContainer]')"
                ".forEach(e => e.scrollTo(0, 0))")
    pg.wait_for_timeout(200)
    path = OUT / f"{name}.png"
    pg.screenshot(path=str(path))
    return path


def _go(pg, title: str) -> None:
    pg.get_by_role("link", name=title).first.click()
    pg.get_by_role("heading", name=title, exact=True).wait_for()


def _idle(pg) -> None:
    """Wait until the script run triggered by the last action has finished."""
    pg.wait_for_timeout(300)
    pg.locator("[data-testid='stStatusWidget']").wait_for(state="detached", timeout=60_000)


def test_question_gets_an_answer_with_its_basis_in_the_browser(page):
    box = page.get_by_placeholder("请输入问题")
    box.fill("答复期限是多久？")
    box.press("Enter")
    page.get_by_text("有法规依据").wait_for(timeout=60_000)
    page.get_by_text("第三十三条").first.wait_for()
    page.locator("summary", has_text="第三十三条").first.click()  # read the article itself
    page.get_by_text("20个工作日内予以答复").first.wait_for()
    box.fill("今天中午食堂吃什么")
    box.press("Enter")
    page.get_by_text("知识库中没有找到依据").first.wait_for()
    assert _shot(page, "chat", height=1500).stat().st_size > 20_000


def test_whole_request_from_pasted_text_to_saved_letter_and_annual_report(page):
    _go(page, "收件分拣")
    area = page.get_by_label("申请书内容")
    area.fill(REQUEST)
    area.press("Control+Enter")
    _idle(page)
    page.get_by_role("button", name="分拣").click()
    page.get_by_role("heading", name="分拣建议").wait_for(timeout=60_000)
    _idle(page)
    # The page draws in pieces while the run goes on: expect() retries until the value is there.
    expect(page.get_by_label("姓名或名称")).to_have_value("陈晓燕")
    expect(page.get_by_label("身份证件号码")).to_have_value("330304198506150028")
    page.get_by_text("依据：").first.wait_for()  # the proposal, with its basis and confidence
    page.get_by_text("把握程度").wait_for()
    # The clerk overrides the proposal: meeting minutes' deliberations are process information.
    decision = page.get_by_role("combobox", name="办理决定（确认或改选）")
    decision.click()
    page.keyboard.type("过程性")  # the list is long and virtualised: filter it as a clerk would
    page.get_by_role("option", name="不予公开 / 属于四类过程性信息").click()
    _idle(page)
    page.get_by_text("第十六条第二款").first.wait_for()  # the letter now cites 条例第十六条第二款
    for label, value in (("文号序号", "12"), ("过程性信息类型（讨论记录、过程稿、磋商信函或请示报告）", "讨论记录")):
        gap = page.get_by_label(label)
        gap.fill(value)
        gap.press("Enter")
        _idle(page)
    letter = page.locator(".letter")
    expect(letter).to_contain_text("〕12号")
    expect(letter).to_contain_text("讨论记录")
    expect(letter).not_to_contain_text("【待填：文号序号】")
    with page.expect_download() as download:
        page.get_by_role("button", name="下载 Word（公文格式）").click()
    assert download.value.suggested_filename.endswith(".docx")
    _shot(page, "intake_letter", height=2600)
    page.get_by_role("button", name="保存到台账").click()
    page.get_by_text("已登记为").wait_for(timeout=30_000)
    ref = f"{SUBMITTED.year}-0001"
    page.get_by_text(f"已登记为 {ref}").wait_for()
    _shot(page, "intake_saved", height=1000)

    page.get_by_role("link", name=f"在台账中查看 {ref}").click()
    page.get_by_role("heading", name=f"{ref}　陈晓燕").wait_for()
    page.get_by_text("不予公开/属于四类过程性信息").first.wait_for()  # closed with the confirmed outcome
    page.get_by_text("政府信息公开申请答复书").first.wait_for()  # the letter kept in the case file
    _shot(page, "case", height=1800)

    _go(page, "年报")
    select = page.locator("[data-testid='stSelectbox']").first
    select.click()
    page.get_by_role("option", name=f"{SUBMITTED.year}年度").click()
    page.get_by_role("heading", name=f"瓯海区人民政府办公室{SUBMITTED.year}年政府信息公开工作年度报告").wait_for()
    page.get_by_text("勾稽关系全部通过").first.wait_for()
    page.get_by_role("tab", name="勾稽关系").click()
    page.get_by_text("项全部通过").first.wait_for()
    _shot(page, "annual", height=1600)
    page.get_by_role("tab", name="图表").click()
    page.locator("[data-testid='stVegaLiteChart']").first.wait_for()
    _shot(page, "annual_charts", height=1600)


def test_bad_upload_shows_a_chinese_message_and_keeps_the_text(page, tmp_path):
    _go(page, "收件分拣")
    area = page.get_by_label("申请书内容")
    area.fill("申请人：周某\n申请公开：本街道2024年防汛物资采购合同")
    area.press("Control+Enter")
    _idle(page)
    bad = tmp_path / "申请.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    page.locator("input[type='file']").set_input_files(str(bad))
    page.get_by_text("不支持 .xlsx 文件").wait_for()
    expect(page.get_by_label("申请书内容")).to_have_value(re.compile("防汛物资采购合同"))
    _shot(page, "bad_upload", height=1000)
    page.get_by_role("button", name="分拣").click()  # the page keeps working
    page.get_by_role("heading", name="分拣建议").wait_for(timeout=60_000)
    expect(page.get_by_label("姓名或名称")).to_have_value("周某")
