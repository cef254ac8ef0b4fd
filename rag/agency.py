"""The receiving agency's profile (corpus/agencies/*.toml): who answers, who reviews, who is elsewhere."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from rag.errors import ConfigError


@dataclass(frozen=True)
class Elsewhere:
    """Information another body holds (第三十六条第（五）项): a topic pattern and that body."""

    topic: str  # regular expression over the request text
    body: str


@dataclass(frozen=True)
class AgencyProfile:
    """One agency: its names, level, duties, reconsideration body and court, contact."""

    name: str
    short_name: str = ""
    aliases: tuple[str, ...] = ()
    level: str = ""
    parent: str = ""
    region: str = ""
    doc_prefix: str = ""
    reconsideration_body: str = ""
    court: str = ""
    address: str = ""
    phone: str = ""
    contact: str = ""
    duties: tuple[str, ...] = ()
    elsewhere: tuple[Elsewhere, ...] = field(default=())

    @property
    def court_or_default(self) -> str:
        """The court named in remedy clauses; the generic wording when the profile leaves it open."""
        return self.court or "有管辖权的人民法院"

    def names(self) -> tuple[str, ...]:
        """Every way a request may name this agency."""
        return tuple(n for n in (self.name, self.short_name, *self.aliases) if n)

    def holder_elsewhere(self, text: str) -> str:
        """The body named by the first `elsewhere` topic found in `text`, or ""."""
        for e in self.elsewhere:
            if re.search(e.topic, text):
                return e.body
        return ""


def agency_from_dict(data: dict) -> AgencyProfile:
    """Build a profile from plain data (a parsed .toml, or the app's settings form)."""
    if not str(data.get("name", "")).strip():
        raise ConfigError("机关概况缺少 name（机关全称）")
    tuples = {"aliases", "duties"}
    kwargs = {k: (tuple(v) if k in tuples else v) for k, v in data.items() if k in AgencyProfile.__dataclass_fields__}
    kwargs["elsewhere"] = tuple(Elsewhere(str(e["topic"]), str(e["body"])) for e in data.get("elsewhere", ()))
    return AgencyProfile(**kwargs)


def load_agency(name_or_path: str, corpus_dir: Path) -> AgencyProfile:
    """Load a profile by file path, by file stem in corpus/agencies/, or by any of its names.

    An unknown name gives a bare profile with that name (the clerk named an agency we have no
    file for): letters then mark its reconsideration body as 【待填】.
    """
    path = Path(name_or_path)
    if path.suffix == ".toml":
        if not path.is_file():
            raise ConfigError(f"找不到机关概况文件：{path}")
        return agency_from_dict(_read(path))
    folder = corpus_dir / "agencies"
    candidates = sorted(folder.glob("*.toml")) if folder.is_dir() else []
    for file in candidates:
        if file.stem == name_or_path:
            return agency_from_dict(_read(file))
    for file in candidates:
        profile = agency_from_dict(_read(file))
        if name_or_path in profile.names():
            return profile
    if not name_or_path.strip():
        raise ConfigError("未指定机关名称")
    return AgencyProfile(name=name_or_path.strip(), short_name=name_or_path.strip())


def list_agencies(corpus_dir: Path) -> tuple[str, ...]:
    """Names of the shipped/added agency profiles."""
    folder = corpus_dir / "agencies"
    return tuple(agency_from_dict(_read(f)).short_name or f.stem for f in sorted(folder.glob("*.toml")))


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"机关概况文件 {path.name} 无法读取：{exc}") from exc
