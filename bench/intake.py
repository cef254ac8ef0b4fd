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

Also prints the parse latency (p50/p95). Dev and held-out data are never read here.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from rag.intake import parse_request

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


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--show", default="", help="print the records where this item is wrong (e.g. 获取方式)")
    p.add_argument("--split", default="", help="only train_<split>.jsonl")
    args = p.parse_args(argv)
    records = load_train(args.split)
    parse_request(records[0]["text"])  # warm-up
    n = Counter()
    alarms: dict[str, Counter] = {"complete": Counter(), "other": Counter()}
    hits, gold = Counter(), Counter()
    extra = Counter()  # items found on a 补正 record that its label does not list
    any_alarm = Counter()
    latency = []
    for rec in records:
        t0 = time.perf_counter()
        req = parse_request(rec["text"])
        latency.append((time.perf_counter() - t0) * 1000)
        got = found_items(req.missing)
        g = group(rec)
        n[g] += 1
        if g == "correction":
            want = set(rec.get("correction_items") or ())
            for item in want:
                gold[item] += 1
                hits[item] += item in got
            for item in got - want:
                extra[item] += 1
            wrong = (want - got) | (got - want)
        else:
            for item in got:
                alarms[g][item] += 1
            any_alarm[g] += bool(got)
            wrong = got
        if args.show and args.show in wrong:
            print(f"--- {rec['id']} [{rec['label']}] want={rec.get('correction_items')} got={sorted(got)}")
            print(rec["text"][:600])
            print(f"  → description={req.description[:80]!r} form={req.delivery_form!r} method={req.delivery_method!r} "
                  f"name={req.applicant.name!r} phone={req.applicant.phone!r} email={req.applicant.email!r} "
                  f"address={req.applicant.address[:30]!r}")
    print(f"records: {sum(n.values())}  (complete {n['complete']}, 补正 {n['correction']}, other {n['other']})")
    print(f"{'item':<12}{'false alarms on complete':>26}{'recall on 补正':>18}{'extra on 补正':>14}"
          f"{'(other outcomes)':>18}")
    for item in ITEMS:
        fa, nc = alarms["complete"][item], n["complete"]
        rc = f"{hits[item]}/{gold[item]} {hits[item] / gold[item]:.0%}" if gold[item] else "–"
        print(f"{item:<12}{f'{fa}/{nc} {fa / max(nc, 1):.1%}':>26}{rc:>18}"
              f"{extra[item]:>14}{alarms['other'][item]:>18}")
    total_gold = sum(gold.values())
    print(f"complete requests with anything missing: {any_alarm['complete']}/{n['complete']}"
          f" ({any_alarm['complete'] / max(n['complete'], 1):.1%});"
          f" 补正 items found: {sum(hits.values())}/{total_gold} ({sum(hits.values()) / max(total_gold, 1):.1%})")
    latency.sort()
    print(f"parse latency: p50 {latency[len(latency) // 2]:.2f} ms, p95 {latency[int(len(latency) * 0.95)]:.2f} ms,"
          f" max {latency[-1]:.2f} ms")


if __name__ == "__main__":
    main()
