"""The optional chat model: any OpenAI-compatible endpoint (vLLM, Ollama, …) through langchain."""

from __future__ import annotations

from rag.core.errors import ConfigError
from rag.core.settings import Settings


def chat_model(settings: Settings):  # type: ignore[no-untyped-def]
    """A langchain chat model when `RAG_LLM_BASE_URL` and `RAG_LLM_MODEL` are set, else None."""
    if not settings.llm_enabled:
        return None
    from langchain_openai import ChatOpenAI

    try:
        return ChatOpenAI(base_url=settings.llm_base_url, model=settings.llm_model, api_key=settings.llm_api_key,
                          timeout=settings.llm_timeout, max_retries=1, temperature=0.1)
    except ValueError as exc:
        raise ConfigError(f"大模型配置无效：{exc}") from exc


def check_connection(settings: Settings) -> str:
    """One tiny round trip to the endpoint; returns the model's reply or raises ConfigError."""
    model = chat_model(settings)
    if model is None:
        raise ConfigError("未配置大模型（RAG_LLM_BASE_URL 与 RAG_LLM_MODEL）")
    try:
        reply = model.invoke("请回复：连接正常")
    except Exception as exc:  # any transport or API error is a configuration problem to show the clerk
        raise ConfigError(f"无法连接大模型 {settings.llm_base_url}：{type(exc).__name__}: {exc}") from exc
    return str(reply.content)
