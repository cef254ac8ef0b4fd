"""Completeness benchmark of the request parser on TRAIN (corpus/requests/train_*.jsonl).

    .venv/bin/python -m bench.intake [--show ITEM] [--split a|b|c|d]

`parse_request(text).missing` lists the 第二十九条 items it finds absent. Mapped to the closed set
of `correction_items` (邮寄地址/电子邮箱 → 联系方式: the way to reach the applicant for the chosen
delivery), it is compared with the labels:

- complete requests — those answered on their merits (予以公开, 部分公开, 不予公开, 无法提供 other
  than 补正后仍不明确): nothing should be missing; the table gives the false alarms per item;
- 补正 requests: each labelled `correction_item` should be found (recall per item);
- other outcomes (不予处理, 其他处理, 补正后仍不明确: completeness was moot or was the problem):
  shown for information only.

A last row adds triage's own check of the description (`vague_description`, `contradictory_reference`
of rag.triage.patterns on the description, else the text): a description that is present but names
nothing searchable ("与我有关的全部信息") is a 补正 item too, found by triage rather than by the
parser. Also prints the parse latency (p50/p95). Dev and held-out data are never read here.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from rag.intake.parse import parse_request
from rag.triage.patterns import contradictory_reference, vague_description

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "requests"
ITEMS = ("申请人姓名或名称", "身份证明", "联系方式", "所需信息描述", "获取方式")
_TO_ITEM = {"姓名或名称": "申请人姓名或名称", "邮寄地址": "联系方式", "电子邮箱": "联系方式"}
_MERITS = ("予以公开/", "部分公开/", "不予公开/", "无法提供/本机关不掌握", "无法提供/没有现成信息")


def load_train(split: str = "") -> list[dict]:
    out = []
    for path in sorted(CORPUS.glob(f"train_{split or '*'}.jsonl")):
        out.extend(json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return out


def found_items(missing: tuple[str, ...]) -> set[str]:
    """`Request.missing` in the closed vocabulary of the labels."""
    return {_TO_ITEM.get(m, m) for m in missing}


def group(rec: dict) -> str:
    if rec["label"] == "补正":
        return "correction"
    return "complete" if rec["label"].startswith(_MERITS) else "other"


def _cell(text: str, width: int, left: bool = False) -> str:
    """`text` padded to `width` terminal columns (a Chinese character takes two)."""
    pad = " " * max(0, width - sum(2 if ord(c) > 0x2E7F else 1 for c in text))
    return text + pad if left else pad + text


def _rate(k: int, n: int, digits: int = 1) -> str:
    return f"{k}/{n} {k / n:.{digits}%}" if n else "–"


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--show", default="", help="print the records where this item is wrong (e.g. 获取方式)")
    p.add_argument("--split", default="", help="only train_<split>.jsonl")
    args = p.parse_args(argv)
    records = load_train(args.split)
    parse_request(records[0]["text"])  # warm-up
    n: Counter = Counter()
    alarms: dict[str, Counter] = {"complete": Counter(), "other": Counter()}
    hits: Counter = Counter()
    gold: Counter = Counter()
    extra: Counter = Counter()  # items found on a 补正 record that its label does not list
    any_alarm: Counter = Counter()
    unsearchable_hits = unsearchable_alarms = 0  # 所需信息描述 absent, vague or self-contradictory
    latency = []
    for rec in records:
        t0 = time.perf_counter()
        req = parse_request(rec["text"])
        latency.append((time.perf_counter() - t0) * 1000)
        got = found_items(req.missing)
        g = group(rec)
        n[g] += 1
        focus = req.description or req.text
        unsearchable = "所需信息描述" in got or bool(vague_description(focus) or contradictory_reference(focus))
        if g == "correction":
            want = set(rec.get("correction_items") or ())
            for item in want:
                gold[item] += 1
                hits[item] += item in got
            extra.update(got - want)
            unsearchable_hits += unsearchable and "所需信息描述" in want
            wrong = (want - got) | (got - want)
        else:
            alarms[g].update(got)
            any_alarm[g] += bool(got)
            unsearchable_alarms += unsearchable and g == "complete"
            wrong = got
        if args.show and args.show in wrong:
            print(f"--- {rec['id']} [{rec['label']}] want={rec.get('correction_items')} got={sorted(got)}")
            print(rec["text"][:600])
            print(f"  → description={req.description[:80]!r} form={req.delivery_form!r} method={req.delivery_method!r} "
                  f"name={req.applicant.name!r} phone={req.applicant.phone!r} email={req.applicant.email!r} "
                  f"address={req.applicant.address[:30]!r}")
    nc = n["complete"]
    print(f"records: {sum(n.values())}  (complete {nc}, 补正 {n['correction']}, other {n['other']})")
    widths = (22, 26, 16, 14, 18)
    print("".join(_cell(h, w, left=i == 0) for i, (h, w) in enumerate(zip(
        ("item", "false alarms (complete)", "recall (补正)", "extra (补正)", "other outcomes"), widths))))
    rows = [(item, _rate(alarms["complete"][item], nc), _rate(hits[item], gold[item], 0), str(extra[item]),
             str(alarms["other"][item])) for item in ITEMS]
    rows.append(("所需信息描述+vague", _rate(unsearchable_alarms, nc), _rate(unsearchable_hits, gold["所需信息描述"], 0),
                 "", ""))
    for row in rows:
        print("".join(_cell(v, w, left=i == 0) for i, (v, w) in enumerate(zip(row, widths))))
    print("  (所需信息描述+vague: absent, or vague/self-contradictory by triage's own check of the description)")
    found, total = sum(hits.values()), sum(gold.values())
    with_vague = found - hits["所需信息描述"] + unsearchable_hits
    print(f"complete requests with anything missing: {_rate(any_alarm['complete'], nc)};"
          f" 补正 items found: {_rate(found, total)} (with triage's description check {_rate(with_vague, total)})")
    latency.sort()
    print(f"parse latency: p50 {latency[len(latency) // 2]:.2f} ms, p95 {latency[int(len(latency) * 0.95)]:.2f} ms,"
          f" max {latency[-1]:.2f} ms")


if __name__ == "__main__":
    main()
