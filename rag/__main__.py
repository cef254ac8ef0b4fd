"""`python -m rag …` — the scriptable surface (../shared/CLI-CONTRACT.md)."""

import sys

from rag.cli import main

sys.exit(main())
