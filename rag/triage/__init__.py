"""rag.triage."""
