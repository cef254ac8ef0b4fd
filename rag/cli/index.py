"""`python -m rag index` — build or update the knowledge base from corpus/ (incremental)."""

from __future__ import annotations

import argparse
import sys

from rag.core.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("index", help="建立或更新知识库索引（增量）")
    p.add_argument("--quiet", action="store_true", help="不显示进度条")


def progress_bar(enabled: bool = True):  # type: ignore[no-untyped-def]
    """A tqdm progress callback on stderr (embedding is the only slow part)."""
    if not enabled:
        return None
    from tqdm import tqdm

    bar: dict = {}

    def update(done: int, total: int, doc: str) -> None:
        if "bar" not in bar:
            bar["bar"] = tqdm(total=total, unit="段", desc="向量化", file=sys.stderr, leave=False)
        bar["bar"].n = done
        bar["bar"].set_postfix_str(doc[:18], refresh=False)
        bar["bar"].refresh()
        if done >= total:
            bar.pop("bar").close()

    return update


def run(args: argparse.Namespace, settings: Settings) -> int:
    from rag.index import KnowledgeBase

    kb = KnowledgeBase.open(settings)
    report = kb.build(progress_bar(not args.quiet))
    if report.warning:
        print(f"警告：{report.warning}", file=sys.stderr)
    for source, reason in report.errors:
        print(f"已跳过 {source}：{reason}", file=sys.stderr)
    print(f"索引完成：{report.files} 个文件，{report.chunks} 个条文/段落；新向量化 {report.embedded} 条，"
          f"删除 {report.deleted} 条，未变 {report.unchanged} 条；用时 {report.seconds:.1f} 秒。")
    return 1 if report.errors else 0
