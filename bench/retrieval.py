"""Retrieval benchmark: hit@1, hit@3, MRR and warm latency for hybrid / dense-only / keyword-only,
on tests/data/eval/questions.jsonl; plus the answer-level check of figure questions.

    .venv/bin/python -m bench.retrieval [--rebuild] [--show-misses]

`--rebuild` builds the whole index from scratch in a temp dir and reports the build time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from rag.index import Hit, KnowledgeBase
from rag.core.settings import Settings

EVAL = Path(__file__).resolve().parent.parent / "tests" / "data" / "eval"
QUESTIONS = EVAL / "questions.jsonl"  # written first; the weights and thresholds were tuned on it
HOLDOUT = EVAL / "questions_holdout.jsonl"  # written blind to the hints and to QUESTIONS; never tuned on


def load_questions(path: Path = QUESTIONS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def is_gold(hit: Hit, gold: list[dict]) -> bool:
    """A hit answers the question when it is one of the gold provisions (or the gold section/report)."""
    c = hit.chunk
    for g in gold:
        if c.doc != g["doc"]:
            continue
        if g.get("article"):
            if c.article == g["article"]:
                return True
        elif g.get("section"):
            if c.path.split(" > ")[-1] == g["section"] or g["section"] in c.path:
                return True
        else:
            return True
    return False


def evaluate(kb: KnowledgeBase, questions: list[dict], mode: str, k: int = 10) -> dict:
    ranks: list[int | None] = []
    latencies: list[float] = []
    misses: list[tuple[str, str, str]] = []
    kb.search("预热", k, mode=mode)  # warm: models loaded, caches filled
    for q in questions:
        started = time.perf_counter()
        hits = kb.search(q["question"], k, mode=mode)
        latencies.append((time.perf_counter() - started) * 1000)
        rank = next((i for i, h in enumerate(hits, 1) if is_gold(h, q["gold"])), None)
        ranks.append(rank)
        if rank != 1:
            misses.append((q["id"], q["question"], hits[0].chunk.label if hits else "—"))
    n = len(ranks)
    return {
        "hit@1": sum(r == 1 for r in ranks) / n,
        "hit@3": sum(r is not None and r <= 3 for r in ranks) / n,
        "mrr": sum(1 / r for r in ranks if r) / n,
        "p50": statistics.median(latencies),
        "p95": sorted(latencies)[max(0, int(round(0.95 * n)) - 1)],
        "misses": misses,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    settings = Settings()
    tmp = None
    if args.rebuild:
        tmp = tempfile.TemporaryDirectory()
        settings = Settings(data_dir=Path(tmp.name))
    kb = KnowledgeBase.open(settings)
    started = time.perf_counter()
    report = kb.build()  # incremental: embeds only what changed since the last build
    print(f"index build: {report.chunks} chunks from {report.files} files, {report.embedded} embedded, "
          f"{time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    report = kb.build()
    print(f"index rebuild with no change: {report.embedded} embedded, {time.perf_counter() - started:.2f} s")
    kb.load()
    questions = load_questions()
    holdout = load_questions(HOLDOUT)
    sets = {"law": [q for q in questions if q["kind"] == "law"],
            "figure": [q for q in questions if q["kind"] == "figure"],
            "lay": [q for q in questions if str(q.get("note", "")).startswith("lay")],
            "all": questions,
            "H-law": [q for q in holdout if q["kind"] == "law"],
            "H-fig": [q for q in holdout if q["kind"] == "figure"],
            "H-all": holdout}
    print(f"\ntuning set: {len(sets['law'])} law questions ({len(sets['lay'])} lay paraphrases), "
          f"{len(sets['figure'])} figure questions; held-out set (H-): {len(sets['H-law'])} law, "
          f"{len(sets['H-fig'])} figure")
    header = f"{'method':<14}{'set':<8}{'hit@1':>7}{'hit@3':>7}{'MRR':>7}{'p50 ms':>9}{'p95 ms':>9}"
    print(header)
    print("-" * len(header))
    for mode, label in (("hybrid", "hybrid"), ("dense", "dense-only"), ("keyword", "keyword-only")):
        if mode == "dense" and kb.embedder is None:
            print(f"{label:<14}(no embedder configured)")
            continue
        for name in sets:
            r = evaluate(kb, sets[name], mode)
            print(f"{label:<14}{name:<8}{r['hit@1']:>7.3f}{r['hit@3']:>7.3f}{r['mrr']:>7.3f}{r['p50']:>9.1f}{r['p95']:>9.1f}")
            if args.show_misses and name == "all" and mode == "hybrid":
                misses = r["misses"]
        print()
    if args.show_misses:
        print("hybrid misses at rank 1 (id, question, top hit):")
        for m in misses:
            print("  ", *m)
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
