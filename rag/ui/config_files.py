"""What the 设置 page writes, and where.

- Settings go to the `.env` file of the working directory — the file `Settings` itself reads.
  `app.py` builds `Settings()` on every run, so a saved value applies from the next click on,
  for every session; heavy objects are cached per settings value and reload by themselves.
  An environment variable of the same name wins over `.env` (pydantic-settings' order), and
  the page says so instead of pretending the change took effect.
- The agency profile is a TOML file in `corpus/agencies/` (the file it was loaded from, or a new
  `<name>.toml`), read by `rag.core.agency.load_agency` like the shipped profiles.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path

from rag.core.agency import AgencyProfile, agency_from_dict, load_agency
from rag.core.errors import BadInput, ConfigError

ENV_FILE = Path(".env")  # relative: Settings reads the .env of the working directory
PREFIX = "RAG_"
_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=")
_TUPLES = ("aliases", "duties")


def env_value(value: str) -> str:
    """A value as python-dotenv reads it back unchanged: double-quoted, with \\ and \" escaped."""
    if "\n" in value or "\r" in value:
        raise BadInput("设置值不能含有换行")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def update_env_text(text: str, updates: Mapping[str, str]) -> str:
    """The .env text with each `RAG_` key set to its new value (replaced in place, else appended)."""
    lines = text.splitlines()
    todo = {(k if k.startswith(PREFIX) else PREFIX + k).upper(): v for k, v in updates.items()}
    out: list[str] = []
    for line in lines:
        m = _LINE.match(line)
        key = m.group(1).upper() if m else ""
        if key in todo:
            out.append(f"{key}={env_value(todo.pop(key))}")
        else:
            out.append(line)
    out += [f"{k}={env_value(v)}" for k, v in todo.items()]
    return "\n".join(out) + "\n"


def write_env(updates: Mapping[str, str], path: Path = ENV_FILE) -> list[str]:
    """Save settings to `.env`; returns the names an environment variable overrides (not in effect)."""
    try:
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(update_env_text(text, updates), encoding="utf-8")
        tmp.chmod(0o600)  # it may hold the LLM API key
        tmp.replace(path)
    except OSError as exc:
        raise ConfigError(f"无法写入设置文件 {path.resolve()}：{exc.strerror}") from exc
    names = [(k if k.startswith(PREFIX) else PREFIX + k).upper() for k in updates]
    return [n for n in names if n in {k.upper() for k in os.environ}]


def _toml_string(value: str) -> str:
    # A JSON string is a valid TOML basic string (same escapes; UTF-8 kept as is).
    return json.dumps(value, ensure_ascii=False)


def agency_toml(profile: AgencyProfile) -> str:
    """The profile as a corpus/agencies/*.toml file that `load_agency` reads back equal."""
    data = dataclasses.asdict(profile)
    lines = ["# 机关概况（由 公开助手 设置页保存）"]
    for key, value in data.items():
        if key == "elsewhere":
            continue
        if key in _TUPLES:
            lines.append(f"{key} = [" + ", ".join(_toml_string(v) for v in value) + "]")
        elif value:
            lines.append(f"{key} = {_toml_string(str(value))}")
    for e in profile.elsewhere:
        lines += ["", "[[elsewhere]]", f"topic = {_toml_string(e.topic)}", f"body = {_toml_string(e.body)}"]
    return "\n".join(lines) + "\n"


def profile_file(corpus_dir: Path, name: str) -> Path:
    """The file a profile of this name lives in: an existing one that holds the name, else `<name>.toml`."""
    folder = corpus_dir / "agencies"
    for file in sorted(folder.glob("*.toml")) if folder.is_dir() else ():
        try:
            names = load_agency(str(file), corpus_dir).names()
        except ConfigError:
            continue
        if name in names or file.stem == name:
            return file
    return folder / (re.sub(r'[\\/:*?"<>|\s]+', "_", name).strip("_.") + ".toml")


def save_agency(data: Mapping[str, object], corpus_dir: Path, previous_name: str) -> tuple[AgencyProfile, Path]:
    """Validate an edited profile and write it over the file of `previous_name` (or a new file)."""
    clean = {k: ([str(x).strip() for x in v if str(x).strip()] if k in _TUPLES else v)  # type: ignore[union-attr]
             for k, v in data.items()}
    clean["elsewhere"] = [e for e in clean.get("elsewhere", []) or [] if str(e.get("topic", "")).strip()]  # type: ignore[union-attr]
    for e in clean["elsewhere"]:  # type: ignore[union-attr]
        try:
            re.compile(str(e["topic"]))
        except re.error as exc:
            raise BadInput(f"“其他机关负责的信息”中的主题写法不对（正则表达式）：{e['topic']}：{exc}") from exc
        if not str(e.get("body", "")).strip():
            raise BadInput(f"“其他机关负责的信息”中的主题 {e['topic']} 缺少负责机关")
    profile = agency_from_dict(clean)  # ConfigError when the name is missing
    path = profile_file(corpus_dir, previous_name or profile.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(agency_toml(profile), encoding="utf-8")
    return profile, path
