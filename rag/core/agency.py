"""The receiving agency's profile (corpus/agencies/*.toml): who answers, who reviews, who is elsewhere."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from rag.core.errors import ConfigError


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


# 行政复议法第二十七条: vertically led bodies, tax and state security go to the next higher
# department of their own line, which a name alone does not tell.
_VERTICAL = ("税务", "海关", "国家安全", "金融监督", "金融监管", "外汇管理", "气象", "烟草", "邮政管理",
             "中国人民银行", "统计调查", "调查队")
# One administrative unit at the start of a name: 2+ characters and a level suffix (a 1-character
# county such as 沛县 is allowed). "城市管理局" is not a unit ("城" alone before 市).
# A unit name never holds an organ's word ("公安局瓯海区" is a department, then a district).
_ORGAN_CHARS = set("局厅委办会署院所部处科站队")
# Development zones and similar areas are run by 管委会 whose reviewer a name does not tell.
_ZONES = ("开发区", "实验区", "新区", "园区", "示范区", "功能区", "合作区", "保税区", "试验区")
_UNIT = re.compile(r"[\u4e00-\u9fa5]{2,10}?(?:自治区|自治州|自治县|省|市|州|盟|区|县|旗)|[\u4e00-\u9fa5]县")


def default_reconsideration_body(profile: AgencyProfile) -> str:
    """The reconsideration body implied by the agency's name, or "" when the name does not settle it.

    行政复议法第二十四条: a county-level (or city, province) government's department, a 派出机关
    such as a 街道办事处 and a department's 派出机构 are reviewed by the people's government of
    that level (第一款第（一）（三）项, 第四款); a lower people's government by the government one
    level up (第一款第（二）项); a province reviews its own acts (第二款); a 国务院部门 reviews its
    own (第二十五条第（一）项).
    """
    name = profile.name.strip()
    if not name or any(word in name for word in _VERTICAL):
        return ""
    if name.startswith(("中华人民共和国", "国家", "国务院")):
        return name if not _units(name)[0] else ""
    units, rest = _units(name)
    if not units or units[-1].endswith(_ZONES):
        return ""
    if rest == "人民政府":
        if units[-1].endswith(("省", "自治区")) or name in ("北京市人民政府", "天津市人民政府",
                                                              "上海市人民政府", "重庆市人民政府"):
            return name  # 第二十四条第二款
        return "".join(units[:-1]) + "人民政府" if len(units) > 1 else ""
    if not rest:
        return ""
    return "".join(units) + "人民政府"


def _units(name: str) -> tuple[list[str], str]:
    """Leading administrative units of a name and the rest: 温州市瓯海区教育局 → ([温州市, 瓯海区], 教育局)."""
    units: list[str] = []
    pos = 0
    while not name.startswith("人民政府", pos):
        m = _UNIT.match(name, pos)
        if not m or any(ch in m.group() for ch in _ORGAN_CHARS):
            break
        units.append(m.group())
        pos = m.end()
    return units, name[pos:]
