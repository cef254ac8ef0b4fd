"""The statistical half of triage, fused with the rule votes and calibrated on the TRAIN records only.

Two decisions, as a careful clerk makes them (七步法, ../shared/DOMAIN.md):

1. 补不补 — P(补正) from a small logistic model over the completeness signals (what the request
   lacks, 第二十九条), the signals that make completeness moot (a withdrawal, a petition, a case
   note…) and the SVM's margins.
2. the outcome — TF-IDF over character 1–2-grams + a linear SVM, fused with the rule votes:
       score(outcome) = a · svm_margin(outcome) + b · rule_votes(outcome);  p = softmax(score)

`a`, `b` and the logistic weights are fitted on out-of-fold margins (5-fold CV on the training
records), minimising log-loss: that balances model against rules and calibrates the
probabilities ("0.8" is right about 8 times in 10 on data like the training set). The fitted
model is cached under settings.data_dir, keyed by a hash of the training files and the rule
sources, so a fresh clone trains itself once (about a second) and later runs only load it.
"""

from __future__ import annotations

import hashlib
import pickle
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from rag.core.outcomes import OUTCOMES

# The outcome labels (codes of rag.core.outcomes, report order) and the 补正 action's label.
CORRECTION = "correction"
OUTCOME_CODES: tuple[str, ...] = tuple(o.code for o in OUTCOMES)
LABELS: tuple[str, ...] = OUTCOME_CODES + (CORRECTION,)
_INDEX = {code: i for i, code in enumerate(LABELS)}
_K = len(OUTCOME_CODES)
_CACHE_VERSION = "4"


@dataclass
class TriageModel:
    """The fitted vectoriser + SVM, the fusion weights and the 补正 model."""

    vectorizer: Any
    classifier: Any
    a: float  # weight of the SVM margins
    b: float  # weight of the rule votes
    action_coef: tuple[float, ...]  # logistic weights over `action_features`
    action_bias: float
    gate_precision: float = 0.5  # share of 补正 among training requests the 第二十九条 gate flags
    key: str = ""
    n_train: int = 0
    cv_accuracy: float = float("nan")  # out-of-fold accuracy (action + outcome) on the training records

    def margins(self, texts: Sequence[str]) -> np.ndarray:
        """SVM margins, one row per text, one column per label of LABELS."""
        x = self.vectorizer.transform([clean_text(t) for t in texts])
        return _align(self.classifier.decision_function(x), self.classifier.classes_)

    def predict(self, texts: Sequence[str], vote_rows: Sequence[Mapping[str, float]],
                step1_rows: Sequence[Sequence[float]]) -> tuple[np.ndarray, np.ndarray]:
        """(outcome probabilities over OUTCOME_CODES, P(补正)) for each text."""
        m = self.margins(texts)
        v = vote_matrix(vote_rows)
        outcome_p = fuse(m, v, self.a, self.b)
        x = action_features(m, outcome_p, step1_rows)
        z = x @ np.array(self.action_coef) + self.action_bias
        return outcome_p, _apply_gate(1.0 / (1.0 + np.exp(-z)), step1_rows, self.gate_precision)


def clean_text(text: str) -> str:
    """The text the SVM sees: identity numbers, phones, e-mails and dates carry no outcome."""
    text = re.sub(r"[0-9A-Za-z@._\-*×xX]{3,}", " ", text)
    return re.sub(r"\s+", " ", text)


def vote_matrix(vote_rows: Sequence[Mapping[str, float]]) -> np.ndarray:
    """Rule votes as a matrix over LABELS (unknown codes are ignored)."""
    m = np.zeros((len(vote_rows), len(LABELS)))
    for i, row in enumerate(vote_rows):
        for code, w in row.items():
            j = _INDEX.get(code)
            if j is not None:
                m[i, j] += w
    return m


def fuse(margins: np.ndarray, votes: np.ndarray, a: float, b: float) -> np.ndarray:
    """Row-wise softmax over the outcomes of a · margins + b · votes."""
    z = a * margins[:, :_K] + b * votes[:, :_K]
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def action_features(margins: np.ndarray, outcome_p: np.ndarray, step1_rows: Sequence[Sequence[float]]) -> np.ndarray:
    """Inputs of the 补正 model: the rules' completeness signals (all but the gate) and the SVM's 补正 margin."""
    step1 = np.array([list(r) for r in step1_rows], dtype=float).reshape(len(margins), -1)
    return np.column_stack([step1[:, :-1], margins[:, _INDEX[CORRECTION]]])


def _gate(step1_rows: Sequence[Sequence[float]]) -> np.ndarray:
    return np.array([bool(r[-1]) for r in step1_rows])


def _apply_gate(p: np.ndarray, step1_rows: Sequence[Sequence[float]], precision: float) -> np.ndarray:
    """第二十九条 is a rule, not a statistic: a request lacking a whole item is supplemented first. Where
    the gate holds, P(补正) is at least the gate's precision on the training requests."""
    return np.where(_gate(step1_rows), np.maximum(p, precision), p)


def _align(raw: np.ndarray, classes: Sequence[str]) -> np.ndarray:
    raw = raw.reshape(len(raw), -1)
    out = np.full((raw.shape[0], len(LABELS)), -3.0)  # a label never seen in training: far below any margin
    for j, c in enumerate(classes):
        out[:, _INDEX[c]] = raw[:, j]
    return out


def _fit_svm(texts: Sequence[str], labels: Sequence[str]) -> tuple[Any, Any]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True, min_df=2)
    clf = LinearSVC(C=1.0)
    clf.fit(vec.fit_transform([clean_text(t) for t in texts]), list(labels))
    return vec, clf


def out_of_fold_margins(texts: Sequence[str], labels: Sequence[str], folds: int = 5, seed: int = 0) -> np.ndarray:
    """SVM margins of every training text from a model that did not see it (stratified folds)."""
    from sklearn.model_selection import StratifiedKFold

    y = np.array(labels)
    out = np.zeros((len(texts), len(LABELS)))
    n_splits = max(2, min(folds, int(min(np.unique(y, return_counts=True)[1]))))
    for tr, te in StratifiedKFold(n_splits, shuffle=True, random_state=seed).split(np.zeros(len(y)), y):
        vec, clf = _fit_svm([texts[i] for i in tr], list(y[tr]))
        out[te] = _align(clf.decision_function(vec.transform([clean_text(texts[i]) for i in te])), clf.classes_)
    return out


def tune_fusion(margins: np.ndarray, votes: np.ndarray, labels: Sequence[str]) -> tuple[float, float]:
    """(a, b) minimising the log-loss of the fused outcome score over the records that have an outcome."""
    from scipy.optimize import minimize

    rows = [i for i, c in enumerate(labels) if c != CORRECTION]
    y = np.array([_INDEX[labels[i]] for i in rows])
    m, v, r = margins[rows], votes[rows], np.arange(len(rows))

    def loss(theta: np.ndarray) -> float:
        p = fuse(m, v, float(theta[0]), float(theta[1]))
        return float(-np.mean(np.log(p[r, y] + 1e-12)) + 1e-3 * float(theta @ theta))

    best = min((minimize(loss, np.array(s), method="L-BFGS-B", bounds=((0.0, 30.0), (0.0, 10.0)))
                for s in ((4.0, 1.0), (8.0, 2.5), (2.0, 0.5))), key=lambda res: res.fun)
    return float(best.x[0]), float(best.x[1])


def _fit_action(x: np.ndarray, is_correction: np.ndarray) -> tuple[tuple[float, ...], float]:
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=10.0, max_iter=1000)
    lr.fit(x, is_correction.astype(int))
    return tuple(float(c) for c in lr.coef_[0]), float(lr.intercept_[0])


def fit(texts: Sequence[str], labels: Sequence[str], vote_rows: Sequence[Mapping[str, float]],
        step1_rows: Sequence[Sequence[float]], *, key: str = "", folds: int = 5, seed: int = 0) -> TriageModel:
    """Train on labelled texts (labels: codes of LABELS) with their rule votes and completeness features."""
    unknown = sorted(set(labels) - set(LABELS))
    if unknown:
        raise ValueError(f"unknown labels: {unknown}")
    votes = vote_matrix(vote_rows)
    oof = out_of_fold_margins(texts, labels, folds, seed)
    a, b = tune_fusion(oof, votes, labels)
    outcome_p = fuse(oof, votes, a, b)
    x = action_features(oof, outcome_p, step1_rows)
    is_corr = np.array([c == CORRECTION for c in labels])
    coef, bias = _fit_action(x, is_corr)
    gate = _gate(step1_rows)
    # Laplace-smoothed share of 补正 where the gate holds; never below a coin toss (the law says 补正).
    precision = max(0.5, float((is_corr[gate].sum() + 1) / (gate.sum() + 2)))
    p_corr = _apply_gate(1.0 / (1.0 + np.exp(-(x @ np.array(coef) + bias))), step1_rows, precision)
    pred = [CORRECTION if pc >= 0.5 else OUTCOME_CODES[int(j)] for pc, j in zip(p_corr, outcome_p.argmax(axis=1))]
    acc = float(np.mean([p == t for p, t in zip(pred, labels)]))
    vec, clf = _fit_svm(texts, labels)
    return TriageModel(vec, clf, a, b, coef, bias, precision, key, len(texts), acc)


# ---------------------------------------------------------------- the cache under data_dir

def training_key(paths: Sequence[Path]) -> str:
    """A hash of the training files and the rule/model sources: any change retrains."""
    h = hashlib.sha256(_CACHE_VERSION.encode())
    for p in sorted(paths, key=str):
        h.update("/".join(p.parts[-2:]).encode())  # folder too: two packages may hold the same file name
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def load_cached(cache_dir: Path, key: str) -> TriageModel | None:
    """The cached model of this key, or None (missing, stale or unreadable caches are ignored)."""
    path = cache_dir / f"triage-model-{key}.pkl"
    if not path.is_file():
        return None
    try:
        with path.open("rb") as f:
            model = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    return model if isinstance(model, TriageModel) and model.key == key else None


def save_cached(model: TriageModel, cache_dir: Path) -> Path | None:
    """Write the model (older keys are removed); None when the folder is not writable."""
    path = cache_dir / f"triage-model-{model.key}.pkl"
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as f:
            pickle.dump(model, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
        for old in cache_dir.glob("triage-model-*.pkl"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        return None  # a read-only install still works: it retrains in memory
    return path
