"""Register benchmark: registration throughput, bulk import, and the time to generate the annual
report of a year of 10,000 cases (target < 2 s), on a real SQLite file in a temp dir.

    .venv/bin/python -m bench.register [--adds 500] [--cases 10000] [--keep DIR]

- add_case: one request at a time, as a clerk registers it (intake parse + one transaction with
  its 收到 event and audit row, WAL, synchronous=FULL);
- record_event: closing those cases one event at a time (deadline recomputed from the events);
- import: the year's cases with their events in one transaction (the path of CSV/XLSX import);
- report: annual_inputs + build_annual_report + Markdown for the year (the `report generate`
  work without printing); the .docx is timed separately.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from rag.annual import build_annual_report, to_markdown
from rag.annual_docx import write_report_docx
from rag.core.deadlines import load_calendar
from rag.core.outcomes import APPLICANT_TYPES, OUTCOMES
from rag.register.store import Register

ROOT = Path(__file__).resolve().parent.parent
AGENCY = "基准测试区人民政府办公室"
YEAR = 2024


def _texts() -> list[str]:
    folder = ROOT / "corpus" / "requests"
    return [json.loads(line)["text"] for f in sorted(folder.glob("*.jsonl"))
            for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]


def _year_records(n: int, texts: list[str], rng: random.Random) -> list[dict]:
    """`n` cases received in YEAR, most answered within it, every outcome represented."""
    records = []
    for i in range(n):
        received = date(YEAR, 1, 2) + timedelta(days=rng.randrange(360))
        o = OUTCOMES[i % len(OUTCOMES)]
        day = received + timedelta(days=3 + rng.randrange(25))
        if rng.random() < 0.04:  # still open at the year's end
            events = []
        elif o.code == "no_correction":
            events = [{"kind": "补正告知", "date": (received + timedelta(2)).isoformat()},
                      {"kind": "逾期不补正", "date": day.isoformat()}]
        elif o.code == "fee_unpaid":
            events = [{"kind": "缴费通知", "date": (received + timedelta(2)).isoformat(), "detail": {"amount": 100}},
                      {"kind": "逾期未缴费", "date": day.isoformat()}]
        elif o.code == "still_unclear":
            events = [{"kind": "补正告知", "date": (received + timedelta(1)).isoformat()},
                      {"kind": "补正收到", "date": (received + timedelta(2)).isoformat()},
                      {"kind": "答复", "date": day.isoformat(), "detail": {"outcome": o.key}}]
        else:
            events = [{"kind": "答复", "date": day.isoformat(), "detail": {"outcome": o.key}}]
        text = texts[i % len(texts)]
        records.append({"received_date": received.isoformat(), "applicant_type": APPLICANT_TYPES[i % 6],
                        "applicant_name": f"申请人{i % 997}", "description": text[:60], "request_text": text,
                        "events": json.dumps(events, ensure_ascii=False)})
    return records


def run(adds: int, cases: int, folder: Path) -> dict:
    cal = load_calendar(ROOT / "corpus")
    texts = _texts()
    rng = random.Random(7)
    out: dict = {}
    with Register(f"sqlite:///{folder / 'adds.sqlite3'}", calendar=cal, agency=AGENCY, user="bench") as reg:
        t = time.perf_counter()
        ids = [reg.add_case(texts[i % len(texts)], received=date(YEAR, 3, 1) + timedelta(days=i % 200),
                            applicant_type=APPLICANT_TYPES[i % 6]).id for i in range(adds)]
        out["add_case_per_s"] = adds / (time.perf_counter() - t)
        t = time.perf_counter()
        for i, case_id in enumerate(ids):
            reg.close_case(case_id, "予以公开", date(YEAR, 3, 1) + timedelta(days=i % 200 + 10))
        out["record_event_per_s"] = adds / (time.perf_counter() - t)
    with Register(f"sqlite:///{folder / 'year.sqlite3'}", calendar=cal, agency=AGENCY, user="bench") as reg:
        records = _year_records(cases, texts, rng)
        t = time.perf_counter()
        added = reg.import_cases(records)["added"]
        out["import_per_s"] = added / (time.perf_counter() - t)
        for y, row, column, value in ((YEAR, "规章", "本年制发件数", 3), (YEAR, "规章", "现行有效件数", 20)):
            reg.set_figure(y, row, column, value)
        timings = []
        for _ in range(3):
            t = time.perf_counter()
            report = build_annual_report(reg.annual_inputs(YEAR))
            md = to_markdown(report)
            timings.append(time.perf_counter() - t)
        out["report_s"] = min(timings)
        out["report_cases"] = report.table3["本年新收"][-1]
        out["report_ok"] = report.ok and bool(md)
        t = time.perf_counter()
        write_report_docx(report, folder / "report.docx")
        out["docx_s"] = time.perf_counter() - t
    return out


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.register", description=__doc__.splitlines()[0])
    parser.add_argument("--adds", type=int, default=500, help="cases registered one at a time (default 500)")
    parser.add_argument("--cases", type=int, default=10_000, help="cases in the report year (default 10000)")
    parser.add_argument("--keep", type=Path, help="keep the databases in this directory")
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        result = run(args.adds, args.cases, args.keep)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            result = run(args.adds, args.cases, Path(tmp))
    print(f"add_case (parse + 1 transaction each):   {result['add_case_per_s']:8.1f} cases/s  ({args.adds} cases)")
    print(f"record_event (close, 1 transaction each): {result['record_event_per_s']:8.1f} events/s")
    print(f"import (one transaction, events checked): {result['import_per_s']:8.1f} cases/s  ({args.cases} cases)")
    verdict = "OK" if result["report_s"] < 2.0 else "SLOW (target < 2 s)"
    print(f"report for {result['report_cases']} cases of {YEAR} (inputs + tables + checks + Markdown): "
          f"{result['report_s']:.3f} s  {verdict}; checks {'pass' if result['report_ok'] else 'FAIL'}")
    print(f".docx of that report: {result['docx_s']:.3f} s")


if __name__ == "__main__":
    main()
