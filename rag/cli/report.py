"""`python -m rag report` — not built yet."""

from __future__ import annotations

import argparse

from rag.errors import RagError
from rag.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:
    sub.add_parser("report", help="(尚未实现)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    raise RagError("report 尚未实现")
