"""rag.register."""
