"""rag.intake."""
