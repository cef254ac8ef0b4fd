"""Triage of an incoming 政府信息公开申请: who applied, 补正 or not, the likely outcome with its legal
basis and runner-ups, the facts to confirm, and the dates that now bind the office.

The order is the careful clerk's (七步法, ../shared/DOMAIN.md): 补不补 → 是不是 → 谁负责 → 有没有 →
给不给 → 怎么给. `rag.triage.rules` fires named signals along those steps; `rag.triage.model`
fuses them with a statistical model trained on the labelled TRAIN requests and calibrates the
confidence. `load_triage(settings)` is the edge (files, training, cache); `triage(...)` is pure
given what it is passed: the kit, the receiving agency's profile, the calendar and today's date.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from rag.core.agency import AgencyProfile
from rag.core.deadlines import Calendar, Deadlines, Receipt, deadlines, received_date
from rag.core.errors import BadRequestText, ConfigError
from rag.intake.parse import Request, parse_request
from rag.core.outcomes import ANSWER, CORRECTION, CORRECTION_BASIS, Outcome, outcome
from rag.triage.model import (CORRECTION as CORRECTION_LABEL, OUTCOME_CODES, TriageModel, fit, load_cached,
                              save_cached, training_key)
from rag.triage.duties import Duties, load_duties
from rag.triage.rules import HistoryFacts, Signal, correction_items, signals, step1_features, votes

__all__ = ["Triage", "TriageKit", "History", "load_triage", "triage", "train_records", "training_set"]

_RECEIPT_CHECK = "确认收到申请日期（第三十一条）"
_AFTER_CORRECTION = frozenset({"corrected_still_unclear", "correction_lapsed"})
# 政府信息公开信息处理费管理办法: per applicant and month, requests 1–10 are free (按件).
_FREE_REQUESTS_PER_MONTH = 10
_HOLDER_SIGNALS = ("non_government_holder", "other_agency_record", "profile_elsewhere", "other_agency_duty")
_MAX_ALTERNATIVES = 3
_MIN_ALTERNATIVE_P = 0.02


class History(Protocol):
    """What the case register knows (rag.register.store.Register satisfies this): earlier requests of the
    same applicant for the same information, and how many requests they filed this month."""

    def repeat_candidates(self, request: Request) -> Sequence[Any]:
        """Earlier cases (objects with `.answered`, `.ref`, `.answer_date`, `.description`), best first."""
        ...

    def monthly_counts(self, applicant: Request, month: date) -> Any:
        """An object with `.count` (this request not yet included) and optionally `.threshold`."""
        ...


@dataclass(frozen=True)
class TriageKit:
    """Everything triage needs that is loaded once: the fitted model, the agency-kind table, checklists."""

    model: TriageModel
    duties: Duties
    checklists: dict[str, tuple[str, ...]]
    common_chars: frozenset[str] = frozenset()  # characters usual in requests: tells a request from noise


@dataclass(frozen=True)
class Triage:
    """The triage of one request: action, outcome and runner-ups, basis, applicant, dates, checklist, why."""

    action: str  # 答复 | 补正
    outcome: Outcome | None  # for 补正: the provisional guess
    alternatives: tuple[tuple[Outcome, float], ...]
    confidence: float
    p_correction: float
    request: Request
    agency: str
    received: date
    received_rule: str
    deadlines: Deadlines
    checklist: tuple[str, ...]
    signals: tuple[Signal, ...]
    correction_items: tuple[str, ...] = ()
    responsible_body: str = ""  # for 本机关不掌握: the body that holds the information, when known
    warnings: tuple[str, ...] = ()

    @property
    def basis(self) -> tuple[str, ...]:
        """The legal basis of the action: 第二十九条/第三十条 for 补正, else the outcome's citations."""
        if self.action == CORRECTION:
            return tuple(b.cite() for b in CORRECTION_BASIS)
        return self.outcome.citations if self.outcome else ()

    def to_json(self) -> dict:
        """The CLI contract's object (../shared/CLI-CONTRACT.md, `triage`), plus a few extra keys."""
        a = self.request.applicant
        d = self.deadlines
        return {
            "action": self.action,
            "outcome": _outcome_json(self.outcome),
            "alternatives": [{**_outcome_json(o), "p": round(p, 3)} for o, p in self.alternatives],
            "confidence": round(self.confidence, 3),
            "basis": list(self.basis),
            "applicant_type": a.applicant_type,
            "applicant": {"name": a.name, "id_number": a.id_number, "phone": a.phone, "address": a.address,
                          "kind": a.kind, "id_type": a.id_type, "id_valid": a.id_valid, "email": a.email,
                          "contact_person": a.contact_person, "type_signals": list(a.type_signals)},
            "received_date": self.received.isoformat(),
            "deadlines": {"correction_notice": d.correction_notice.isoformat(), "reply": d.reply.isoformat(),
                          "reply_extended": d.reply_extended.isoformat()},
            "checklist": list(self.checklist),
            "signals": [s.describe() for s in self.signals],
            # extras
            "correction_items": list(self.correction_items),
            "p_correction": round(self.p_correction, 3),
            "outcome_key": self.outcome.key if self.outcome else None,
            "responsible_body": self.responsible_body,
            "received_rule": self.received_rule,
            "agency": self.agency,
            "request": {"description": self.request.description, "channel": self.request.channel,
                        "submitted_date": self.request.submitted_date.isoformat() if self.request.submitted_date else None,
                        "delivery_form": self.request.delivery_form, "delivery_method": self.request.delivery_method,
                        "addressee": self.request.agency, "document_numbers": list(self.request.document_numbers),
                        "missing": list(self.request.missing)},
            "signal_details": [{"code": s.code, "label": s.label, "step": s.step, "span": s.span,
                                "detail": s.detail, "votes": {c: w for c, w in s.votes}} for s in self.signals],
            "warnings": list(self.warnings),
        }


def _outcome_json(o: Outcome | None) -> dict | None:
    return {"group": o.group, "item": o.item} if o else None


# ---------------------------------------------------------------- the pure core

def triage(text: str, kit: TriageKit, agency: AgencyProfile, calendar: Calendar, *, today: date,
           history: History | None = None) -> Triage:
    """Triage one request text for the receiving `agency`; `today` dates a request without a date."""
    _not_noise(text, kit.common_chars)
    request = parse_request(text, today=today)
    facts = _history_facts(history, request, today) if history is not None else None
    found = signals(request, agency, kit.duties, facts)
    outcome_p, p_corr = kit.model.predict([text], [votes(found)], [step1_features(found)])
    probs = sorted(zip(OUTCOME_CODES, outcome_p[0]), key=lambda cp: -cp[1])
    p_correction = float(p_corr[0])
    if any(s.code in _AFTER_CORRECTION for s in found):
        # 第三十条: the office tells the applicant ONCE what to supplement; after that it answers.
        p_correction = min(p_correction, 0.05)
    action = CORRECTION if p_correction >= 0.5 else ANSWER
    best_code, best_p = probs[0]
    best = outcome(best_code)
    answered = 1.0 - p_correction
    confidence = p_correction if action == CORRECTION else answered * float(best_p)
    alternatives = tuple((outcome(c), answered * float(p)) for c, p in probs[1:1 + _MAX_ALTERNATIVES]
                         if answered * p >= _MIN_ALTERNATIVE_P)
    items = correction_items(found, request) if action == CORRECTION else ()
    if action == CORRECTION and not items:
        items = ("所需信息描述",)  # the model's call without a rule: the description is what fails to search
    warnings: list[str] = [n for n in request.notes]
    receipt, receipt_checks = _receipt(request, today)
    due = deadlines(receipt, calendar)
    warnings.extend(due.warnings)
    holder = _holder(found, best)  # also for 补正: the notice may already point to the right body
    checklist = _checklist(kit.checklists, action, best, found, request, receipt_checks, holder)
    return Triage(action, best, alternatives, confidence, p_correction, request, agency.name, receipt.date,
                  receipt.rule, due, checklist, found, items, holder, tuple(dict.fromkeys(warnings)))


def _not_noise(text: str, common: frozenset[str]) -> None:
    """Refuse text that cannot be a request: too little Chinese, one character repeated, or random characters."""
    cjk = re.findall(r"[\u4e00-\u9fff]", text or "")
    usual = sum(1 for c in cjk if c in common) / len(cjk) if cjk else 0.0
    if len(cjk) < 6 or len(set(cjk)) < 4 or (common and usual < 0.5):
        raise BadRequestText("内容不像政府信息公开申请：没有可识别的申请人或申请事项（请粘贴申请书全文）")


def _history_facts(history: History, request: Request, today: date) -> HistoryFacts:
    repeats = tuple(f"{getattr(c, 'ref', '')}（{getattr(c, 'answer_date', '') or ''}已答复）：{getattr(c, 'description', '')}"
                    for c in history.repeat_candidates(request) if getattr(c, "answered", False))
    month = request.submitted_date or today
    counted = history.monthly_counts(request, month)
    count = int(getattr(counted, "count", 0)) + 1  # this request is not registered yet
    threshold = int(getattr(counted, "threshold", _FREE_REQUESTS_PER_MONTH))
    return HistoryFacts(repeats, count, count > threshold)


def _receipt(request: Request, today: date) -> tuple[Receipt, list[str]]:
    if request.submitted_date is None:
        # 第三十一条 fixes the received date by channel; without a date in the request the clerk's own
        # register date must stand in — counted from today until confirmed.
        return (Receipt(today, "", "申请中未写明日期，暂按今天计算",
                        (f"申请中没有日期，暂按今天（{today.isoformat()}）计算期限，请按第三十一条确认收到申请日期",)),
                [_RECEIPT_CHECK])
    receipt = received_date(request.channel, request.submitted_date)
    checks = [_RECEIPT_CHECK] if receipt.warnings else []
    return receipt, checks


def _holder(found: Sequence[Signal], best: Outcome) -> str:
    if best.code != "not_held":
        return ""
    return next((s.detail for s in found if s.code in _HOLDER_SIGNALS and s.detail), "")


def _checklist(lists: dict[str, tuple[str, ...]], action: str, best: Outcome, found: Sequence[Signal],
               request: Request, receipt_checks: list[str], holder: str) -> tuple[str, ...]:
    items: list[str] = list(receipt_checks)
    if action == CORRECTION:
        items.extend(lists.get("correction", ()))
    items.extend(lists.get(best.code, ()))
    if holder:
        items.append(f"告知申请人向{holder}申请或咨询（第三十六条第（五）项）")
    codes = {s.code for s in found}
    if codes & {"third_party_person", "third_party_business", "third_party_material"} and best.code != "third_party":
        items.append("信息涉及第三方的，是否需要书面征求第三方意见（第三十二条，15个工作日）")
    if request.applicant.id_valid is False:
        items.append("身份证明号码校验位不符，核对证件或要求补正")
    items.extend(lists.get("common", ()))
    return tuple(dict.fromkeys(items))


# ---------------------------------------------------------------- the edge: files, training, cache

_TRAIN_GLOB = "train_*.jsonl"
# The model's cache is keyed on every source file that shapes a training row: the rules and the
# model of this package, the whole request parser, the agency profile and the vocabulary. Keyed on
# the packages' files as they are (not a list of names), so a moved or added module retrains too.
_PACKAGES = ("triage", "intake")
_CORE_SOURCES = ("agency.py", "outcomes.py")


def train_records(corpus_dir: Path) -> list[dict]:
    """The labelled TRAIN requests (corpus/requests/train_*.jsonl); never the dev split."""
    out: list[dict] = []
    for path in sorted((corpus_dir / "requests").glob(_TRAIN_GLOB)):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ConfigError(f"训练数据 {path.name} 有一行不是合法的 JSON：{exc.msg}") from exc
                if isinstance(rec, dict) and rec.get("text") and rec.get("label"):
                    out.append(rec)
    return out


def load_checklists(corpus_dir: Path) -> dict[str, tuple[str, ...]]:
    """corpus/triage/checklists.toml: outcome code → facts to confirm."""
    path = corpus_dir / "triage" / "checklists.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"核对清单 {path.name} 无法读取：{exc}") from exc
    return {str(k): tuple(str(x) for x in v) for k, v in data.items() if isinstance(v, list)}


def load_triage(corpus_dir: Path, data_dir: Path) -> TriageKit:
    """Load the kit: the agency-kind table, checklists and the model (from cache, or trained now and cached)."""
    duties = load_duties(corpus_dir)
    checklists = load_checklists(corpus_dir)
    rag_dir = Path(__file__).resolve().parents[1]
    files = sorted((corpus_dir / "requests").glob(_TRAIN_GLOB))
    if not files:
        raise ConfigError(f"缺少训练数据：{corpus_dir / 'requests'}/{_TRAIN_GLOB}")
    deps = [*files, corpus_dir / "triage" / "agency_kinds.toml", *sorted((corpus_dir / "agencies").glob("*.toml")),
            *_source_files(rag_dir)]
    key = training_key(deps)
    cache = data_dir / "triage"
    model = load_cached(cache, key)
    if model is None:
        texts, labels, vote_rows, step1_rows = training_set(train_records(corpus_dir), corpus_dir, duties)
        model = fit(texts, labels, vote_rows, step1_rows, key=key)
        save_cached(model, cache)
    return TriageKit(model, duties, checklists, _common_chars(model))


def _source_files(rag_dir: Path) -> list[Path]:
    files = [p for pkg in _PACKAGES for p in sorted((rag_dir / pkg).glob("*.py"))]
    files += [rag_dir / "core" / name for name in _CORE_SOURCES]
    missing = [p for p in files if not p.is_file()]
    if missing or len(files) <= len(_CORE_SOURCES):
        raise ConfigError(f"分拣模型的源文件缺失：{', '.join(map(str, missing)) or rag_dir}")
    return files


def training_set(records: Sequence[dict], corpus_dir: Path, duties: Duties
                 ) -> tuple[list[str], list[str], list[dict[str, float]], list[tuple[float, float, float]]]:
    """(texts, labels, rule votes, completeness features) of labelled records, each judged against its own agency."""
    from rag.core.agency import load_agency

    texts: list[str] = []
    labels: list[str] = []
    vote_rows: list[dict[str, float]] = []
    step1_rows: list[tuple[float, float, float]] = []
    profiles: dict[str, AgencyProfile] = {}
    for rec in records:
        name = str(rec.get("agency") or "")
        if name not in profiles:
            profiles[name] = load_agency(name, corpus_dir) if name.strip() else AgencyProfile(name="（未知机关）")
        try:
            request = parse_request(rec["text"])
        except BadRequestText:
            continue
        found = signals(request, profiles[name], duties)
        texts.append(rec["text"])
        labels.append(CORRECTION_LABEL if rec["label"] == CORRECTION else outcome(rec["label"]).code)
        vote_rows.append(votes(found))
        step1_rows.append(step1_features(found))
    return texts, labels, vote_rows, step1_rows


def _common_chars(model: TriageModel) -> frozenset[str]:
    # The SVM's vocabulary keeps characters seen in at least two training requests (min_df=2).
    return frozenset(t for t in model.vectorizer.vocabulary_ if len(t) == 1 and "\u4e00" <= t <= "\u9fff")
