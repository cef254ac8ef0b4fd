"""Who is responsible for the information (第十条, 第三十六条第（五）项): the facts step 3 of triage weighs.

The agency-kind table and the non-government holders (corpus/triage/agency_kinds.toml), the kind of
agency a name denotes, and what a request's wording says about the maker of the information: material
the agency obtained in its work, a body of another place or of the national level named as the
maker, the words within the agency's own duties. `rag.triage.rules` turns these into signals and votes.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rag.core.agency import AgencyProfile
from rag.core.errors import ConfigError

__all__ = ["AgencyKind", "Holder", "Duties", "load_duties", "agency_kind", "obtained_in_work", "other_issuer",
           "own_duty"]


@dataclass(frozen=True)
class AgencyKind:
    """A kind of agency (教育局, 公安局 …): its name pattern and the words of its domain."""

    name: str
    match: re.Pattern[str]
    body: str
    general: bool = False
    duties: re.Pattern[str] | None = None
    related: re.Pattern[str] | None = None
    records: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Holder:
    """A body that is not an administrative agency, and records only it makes."""

    body: str
    records: re.Pattern[str]


@dataclass(frozen=True)
class Duties:
    """The agency-kind table and the non-government holders (corpus/triage/agency_kinds.toml)."""

    kinds: tuple[AgencyKind, ...]
    holders: tuple[Holder, ...]


def load_duties(corpus_dir: Path) -> Duties:
    """Read corpus/triage/agency_kinds.toml (the agency-kind table); a broken file is a ConfigError."""
    path = corpus_dir / "triage" / "agency_kinds.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        kinds = tuple(AgencyKind(str(k["name"]), re.compile(k["match"]), str(k.get("body", "")), bool(k.get("general")),
                                 _alternation(k.get("duties")), _alternation(k.get("related")),
                                 _alternation(k.get("records"))) for k in data.get("kind", ()))
        holders = tuple(Holder(str(h["body"]), _alternation(h["records"])) for h in data.get("holder", ()))
    except FileNotFoundError as exc:
        raise ConfigError(f"缺少机关类别表：{path}") from exc
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, re.error) as exc:
        raise ConfigError(f"机关类别表 {path.name} 无法读取：{exc}") from exc
    return Duties(kinds, holders)


def _alternation(words: Sequence[str] | None) -> re.Pattern[str] | None:
    words = [w for w in words or () if w]
    return re.compile("|".join(f"(?:{w})" for w in words), re.I) if words else None


def agency_kind(name: str, duties: Duties) -> AgencyKind | None:
    """The kind of agency a name denotes (the first match of the table), or None."""
    for kind in duties.kinds:
        if kind.match.search(name):
            return kind
    return None


def obtained_in_work(text: str) -> bool:
    """True when the text says the agency obtained the material in its work (a filing, an application)."""
    return bool(_OBTAINED.search(text))


_OBTAINED = re.compile(r"(?:提交|报送|报备|申报|备案|上报|递交|提供)(?:给|至|到)?(?:贵|你|本|该|市|区|县)?[\u4e00-\u9fa5]{0,4}的"
                       r"|申请.{0,12}时(?:提交|报送|提供)|贵[局委办厅](?:在|于)?.{0,10}(?:取得|获取|收到|调取)|(?:调取|收集|取得|获取)的")


# "永康市人民政府2023年调整…的文件", "国家发展改革委对…的核准批复", "曲靖市2024年…名单": a body named as
# the maker of the requested document.
_ISSUER = re.compile(
    r"((?:国家|国务院)[\u4e00-\u9fa5]{1,12}?(?:部|委员会|委|总局|局|署|办公厅)"
    r"|([\u4e00-\u9fa5]{2,6}?)(?:省|自治区|市|州|盟|县|旗|区)(?:人民政府|政府|[\u4e00-\u9fa5]{1,12}?(?:厅|局|委员会|委|管委会)))"
    r"(?:对|关于|制定|发布|印发|出具|作出|下发|制作|出台|的|\d{4}年)[^。；;\n]{0,40}?"
    r"(?:批复|文件|通知|纪要|决定|方案|名单|意见|办法|标准|细则|规划|报告)")


_NOT_PLACE = re.compile(r"[的向和与及报所有全部中工作对在是为了等请申公开该本贵我你其各]")


def other_issuer(description: str, agency: AgencyProfile) -> str:
    """The maker named in the description when it is plainly another body (another place, or the
    national level), else "". Same place as the receiving agency: not judged (an upper level's
    document may well be held here)."""
    m = _ISSUER.search(description or "")
    if not m:
        return ""
    issuer, place = m.group(1), m.group(2) or ""
    if place and _NOT_PLACE.search(place):  # "区征迁工作中区政府", "向区财政局": words, not a place name
        return ""
    names = " ".join(agency.names())
    if issuer in names or any(issuer.startswith(n) or n.startswith(issuer) for n in agency.names() if n):
        return ""
    if issuer.startswith(("国家", "国务院")):
        return "" if names.startswith(("国家", "国务院", "中华人民共和国")) else issuer
    return issuer if place and place not in names else ""


def own_duty(text: str, agency: AgencyProfile, kind: AgencyKind | None) -> str:
    """The words of `text` that fall within the agency's own duties ("" when none)."""
    for duty in agency.duties:
        if duty and duty in text:
            return duty
    if kind is None or kind.general:
        return ""
    for pattern in (kind.duties, kind.related, kind.records):
        m = pattern.search(text) if pattern is not None else None
        if m:
            return m.group()
    return ""
