"""The one Jinja environment over prompts/ (LLM prompts and letter templates alike).

StrictUndefined: a template that reads a field nobody supplied raises TemplateFieldMissing —
a broken template fails loudly instead of printing a blank.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from rag.core.errors import ConfigError, TemplateFieldMissing
from rag.core.settings import ROOT

DEFAULT_DIR = ROOT / "prompts"


@lru_cache(maxsize=8)
def environment(prompts_dir: Path = DEFAULT_DIR) -> jinja2.Environment:
    """Strict, plain text (no HTML escaping), block tags on their own lines."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(prompts_dir)), undefined=jinja2.StrictUndefined,
                              autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)


def render(name: str, context: dict, prompts_dir: Path | None = None) -> str:
    """Render prompts/<name> with `context`; a missing field raises TemplateFieldMissing."""
    try:
        return environment(prompts_dir or DEFAULT_DIR).get_template(name).render(**context).strip()
    except jinja2.UndefinedError as exc:
        raise TemplateFieldMissing(f"模板 {name} 引用了未定义的字段：{exc.message}") from exc
    except jinja2.TemplateError as exc:  # not found, syntax: the installation is broken, not the input
        raise ConfigError(f"模板 {name} 无法使用：{exc}") from exc
