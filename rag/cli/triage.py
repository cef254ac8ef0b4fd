"""`python -m rag triage` — not built yet."""

from __future__ import annotations

import argparse

from rag.errors import RagError
from rag.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:
    sub.add_parser("triage", help="(尚未实现)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    raise RagError("triage 尚未实现")
