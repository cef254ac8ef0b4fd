"""rag.letters."""
