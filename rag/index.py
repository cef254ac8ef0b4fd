"""Hybrid retrieval over the corpus: BM25 (bm25s, character uni+bigrams) fused with dense search
in Chroma by weighted reciprocal rank fusion, plus direct lookup of an explicit article reference.

The chunk store (`data/index/chunks.json`) feeds BM25 and article lookup; Chroma (embedded
`PersistentClient`, or a server via `RAG_CHROMA_URL`) holds the vectors. Building is
incremental: a chunk whose content hash is already in Chroma is never embedded again.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from rag.corpus import KIND_HINT, STATUS_REPEALED, Chunk, load_corpus
from rag.embedders import ChromaEmbedding, Embedder, make_embedder
from rag.core.errors import ConfigError, IndexNotBuilt
from rag.core.numerals import parse_cn
from rag.ranking import PRIMARY_LAW, doc_prior, fuse, is_report_question, law_aliases, tokenize
from rag.core.settings import Settings

Progress = Callable[[int, int, str], None]

_ARTICLE_REF = re.compile(r"第\s*([0-9０-９]+|[一二三四五六七八九十百零〇两]+)\s*条")
_DENSE_WEIGHT, _SPARSE_WEIGHT = 1.5, 1.0  # tuned on tests/data/eval (bench/retrieval.py); TECH-NOTES found ≈2:1
_POOL = 40
REPEALED_ASKED = 2.0  # the repealed text has no hints, so dense search rarely proposes it


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk, its fused score in [0, 1], and how it was found."""

    chunk: Chunk
    score: float
    how: str  # "article" (explicit reference), "hybrid", "dense", "keyword"
    dense: float = 0.0  # cosine similarity, when dense search ran
    sparse: float = 0.0  # BM25 score normalised by the query's best possible match


@dataclass(frozen=True)
class BuildReport:
    """What `index` did: counts, skipped files, seconds."""

    files: int
    chunks: int
    embedded: int
    deleted: int
    unchanged: int
    errors: tuple[tuple[str, str], ...]
    seconds: float
    warning: str = ""


class KnowledgeBase:
    """The searchable corpus: build it, then `search` it."""

    def __init__(self, settings: Settings, embedder: Embedder | None, warning: str = "") -> None:
        self.settings = settings
        self.embedder = embedder
        self.warning = warning
        self._chunks: tuple[Chunk, ...] = ()
        self._bm25 = None
        self._collection = None
        self._by_article: dict[tuple[str, int], Chunk] = {}
        self._titles: dict[str, str] = {}
        self._reports: list[dict] = []

    @classmethod
    def open(cls, settings: Settings) -> KnowledgeBase:
        """The configured embedder (heavy: load once and keep) and an unloaded index."""
        embedder, warning = make_embedder(settings)
        return cls(settings, embedder, warning)

    # ------------------------------------------------------------------ build

    @property
    def store_path(self) -> Path:
        return self.settings.data_dir / "index" / f"{self.settings.collection}.json"

    def is_built(self) -> bool:
        return self.store_path.is_file()

    def build(self, progress: Progress | None = None) -> BuildReport:
        """Split the corpus, embed only new or changed chunks, drop removed ones, save the store."""
        started = time.perf_counter()
        loaded = load_corpus(self.settings.corpus_dir)
        chunks = loaded.chunks
        items = chunks + loaded.hints
        embedded = deleted = 0
        if self.embedder is not None:
            collection = self._chroma()
            existing = collection.get(include=["metadatas"])
            have = {cid: (meta or {}).get("hash") for cid, meta in zip(existing["ids"], existing["metadatas"])}
            wanted = {c.id for c in items}
            stale = [cid for cid in have if cid not in wanted]
            todo = [c for c in items if have.get(c.id) != c.hash]
            if stale:
                collection.delete(ids=stale)
                deleted = len(stale)
            batch = 32
            for start in range(0, len(todo), batch):
                part = todo[start:start + batch]
                vectors = self._embed(part)
                collection.upsert(ids=[c.id for c in part], embeddings=vectors,
                                  documents=[c.text for c in part], metadatas=[c.metadata() for c in part])
                embedded += len(part)
                if progress:
                    progress(embedded, len(todo), part[-1].doc)
        reports, report_errors = _parse_reports(self.settings.corpus_dir, chunks)
        self.store_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.store_path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"embedder": self.embedder.name if self.embedder else "",
                                   "chunks": [{"id": c.id, "text": c.text, **c.metadata()} for c in items],
                                   "reports": reports}, ensure_ascii=False), encoding="utf-8")
        tmp.replace(self.store_path)  # atomic: a killed build never leaves half a store
        self._load_items(items)
        self._reports = reports
        errors = loaded.errors + report_errors + tuple(("hints", f"提示问句无法对应到条文：{h.doc} {h.article or h.path}")
                                       for h in self._orphans)
        return BuildReport(len(loaded.files), len(chunks), embedded, deleted, len(items) - embedded,
                           errors, time.perf_counter() - started, self.warning)

    def _embed(self, items: list[Chunk]) -> list[list[float]]:
        assert self.embedder is not None
        vectors: dict[str, list[float]] = {}
        hints = [c for c in items if c.kind == KIND_HINT]
        passages = [c for c in items if c.kind != KIND_HINT]
        for c, v in zip(passages, self.embedder.embed_documents([c.embed_text() for c in passages])):
            vectors[c.id] = v
        for c, v in zip(hints, self.embedder.embed_questions([c.text for c in hints])):
            vectors[c.id] = v
        return [vectors[c.id] for c in items]

    def load(self) -> KnowledgeBase:
        """Load the chunk store and BM25; raises IndexNotBuilt when `index` never ran."""
        if self._chunks:
            return self
        if not self.is_built():
            raise IndexNotBuilt("请先运行 `python -m rag index` 建立知识库索引")
        data = json.loads(self.store_path.read_text(encoding="utf-8"))
        items = tuple(Chunk.from_metadata(d["id"], d["text"], d) for d in data["chunks"])
        if self.embedder is not None and data.get("embedder") != self.embedder.name:
            raise IndexNotBuilt(f"索引由向量模型 {data.get('embedder') or '（无）'} 建立，当前配置为 "
                                f"{self.embedder.name}：请重新运行 `python -m rag index`")
        self._load_items(items)
        self._reports = data.get("reports", [])
        return self

    def _load_items(self, items: tuple[Chunk, ...]) -> None:
        import bm25s

        chunks = tuple(c for c in items if c.kind != KIND_HINT)
        self._chunks = chunks
        self._by_article = {(c.doc, c.number): c for c in chunks if c.article}
        self._titles = law_aliases({c.doc for c in chunks if c.kind == "law"})
        self._prior = [doc_prior(c) for c in chunks]
        # Each hint points at its provision: an article by label, a section by its heading.
        position = {c.id: i for i, c in enumerate(chunks)}
        by_label = {(c.doc, c.article): position[c.id] for c in chunks if c.article}
        self._hint_parents: dict[str, tuple[int, ...]] = {}
        self._orphans: list[Chunk] = []
        expansion: dict[int, list[str]] = {}
        for h in (c for c in items if c.kind == KIND_HINT):
            if h.article:
                parents = (by_label[(h.doc, h.article)],) if (h.doc, h.article) in by_label else ()
            else:
                parents = tuple(i for i, c in enumerate(chunks)
                                if c.doc == h.doc and h.path and c.path.split(" > ")[-1] == h.path)
            if not parents:
                self._orphans.append(h)
                continue
            self._hint_parents[h.id] = parents
            for i in parents:
                expansion.setdefault(i, []).append(h.text)
        corpus_tokens = [tokenize(" ".join((c.doc, c.path, c.text, *expansion.get(i, ()))))
                         for i, c in enumerate(chunks)]
        df: dict[str, int] = {}
        for tokens in corpus_tokens:
            for t in set(tokens):
                df[t] = df.get(t, 0) + 1
        n = max(1, len(chunks))
        self._idf = {t: math.log(1 + n / d) for t, d in df.items()}
        self._idf_default = math.log(1 + n)
        self._expansion = {i: " ".join(texts) for i, texts in expansion.items()}
        retriever = bm25s.BM25()
        retriever.index(corpus_tokens, show_progress=False)
        self._bm25 = retriever
        self._position = position

    def _chroma(self):  # type: ignore[no-untyped-def]
        if self._collection is not None:
            return self._collection
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        if self.settings.chroma_url:
            url = urlparse(self.settings.chroma_url)
            if not url.hostname:
                raise ConfigError(f"RAG_CHROMA_URL 无法解析：{self.settings.chroma_url}")
            client = chromadb.HttpClient(host=url.hostname, port=url.port or 8000, ssl=url.scheme == "https",
                                         settings=chroma_settings)
        else:
            self.settings.chroma_dir.mkdir(parents=True, exist_ok=True)
            client = chromadb.PersistentClient(path=str(self.settings.chroma_dir), settings=chroma_settings)
        assert self.embedder is not None
        # One collection per embedder: vectors of different models never mix.
        name = f"{self.settings.collection}-{self.embedder.name}"[:60]
        self._collection = client.get_or_create_collection(
            name, embedding_function=ChromaEmbedding(self.embedder), metadata={"hnsw:space": "cosine"})
        return self._collection

    # ------------------------------------------------------------------ search

    @property
    def chunks(self) -> tuple[Chunk, ...]:
        return self.load()._chunks

    def match_text(self, chunk: Chunk) -> str:
        """What keyword search matched a chunk on: its title, path, text and its clerk-language hints."""
        self.load()
        i = self._position.get(chunk.id)
        return f"{chunk.doc}{chunk.path}{chunk.text}{self._expansion.get(i, '') if i is not None else ''}"

    def idf(self, token: str) -> float:
        """How rare a token is in the corpus (rare words decide which sentence answers)."""
        return self.load()._idf.get(token, self._idf_default)

    @property
    def reports(self) -> list[dict]:
        """The annual reports' tables as structured facts (agency, year, title, table2/3/4)."""
        return self.load()._reports

    def article(self, doc: str, number: int) -> Chunk | None:
        """The chunk of one article of one document, if the corpus has it."""
        return self.load()._by_article.get((doc, number))

    def resolve_law(self, name: str) -> str:
        """A law's full title from any name a clerk uses for it ("复议法", "条例"); "" if unknown."""
        self.load()
        return self._titles.get(name.strip("《》 "), "")

    def article_refs(self, text: str) -> list[Chunk]:
        """Articles explicitly referenced in `text` ("条例第30条", "《行政复议法》第二十三条")."""
        self.load()
        found: list[Chunk] = []
        for match in _ARTICLE_REF.finditer(text):
            try:
                number = parse_cn(match.group(1))
            except ValueError:
                continue
            before = text[max(0, match.start() - 40):match.start()]
            doc = self._law_named_in(before) or PRIMARY_LAW
            chunk = self._by_article.get((doc, number))
            if chunk is not None and chunk not in found:
                found.append(chunk)
        return found

    def _law_named_in(self, text: str) -> str:
        """The law named closest to the end of `text` (the one an article number follows)."""
        best, best_end, best_len = "", -1, 0
        for alias, title in self._titles.items():
            end = text.rfind(alias)
            if end < 0:
                continue
            stop = end + len(alias)
            if stop > best_end or (stop == best_end and len(alias) > best_len):
                best, best_end, best_len = title, stop, len(alias)
        return best

    def search(self, query: str, k: int = 5, mode: str = "hybrid", *, include_repealed: bool | None = None,
               kinds: tuple[str, ...] = ()) -> list[Hit]:
        """Ranked hits: explicit article references first, then fused keyword + dense results."""
        self.load()
        if include_repealed is None:
            include_repealed = bool(re.search(r"2011|废止|旧规定|法释〔2011〕", query))
        if not kinds:
            kinds = ("report",) if is_report_question(query) else ("law", "guide")
        allowed = [i for i, c in enumerate(self._chunks)
                   if (include_repealed or c.status != STATUS_REPEALED) and (not kinds or c.kind in kinds)]
        years = {int(y) for y in re.findall(r"((?:19|20)\d{2})\s*年", query)}
        if kinds == ("report",) and years:  # "2025年…多少件": that year's report, not another year's
            allowed = [i for i in allowed if self._chunks[i].year in years] or allowed
        allowed_set = set(allowed)
        hits: list[Hit] = []
        if mode == "hybrid":
            hits = [Hit(c, 1.0, "article") for c in self.article_refs(query)
                    if (include_repealed or c.status != STATUS_REPEALED) and (not kinds or c.kind in kinds)]
        sparse = self._sparse(query, allowed_set) if mode in ("hybrid", "keyword") else []
        dense = self._dense(query, allowed_set) if mode in ("hybrid", "dense") and self.embedder else []
        if mode == "dense" and self.embedder is None:
            raise ConfigError("未配置向量模型，无法进行纯向量检索")
        fused = fuse([(sparse, _SPARSE_WEIGHT), (dense, _DENSE_WEIGHT)])
        # Asked about the old rule by name: the repealed text comes first, labelled as repealed.
        boost = REPEALED_ASKED if include_repealed else 1.0
        fused = sorted(((i, s * self._prior[i] * (boost if self._chunks[i].status == STATUS_REPEALED else 1.0))
                        for i, s in fused), key=lambda x: -x[1])
        sparse_score = dict(sparse)
        dense_score = dict(dense)
        top_sparse = sparse[0][1] if sparse else 0.0
        how = mode if mode != "hybrid" else "hybrid"
        seen = {h.chunk.id for h in hits}
        for idx, score in fused:
            chunk = self._chunks[idx]
            if chunk.id in seen:
                continue
            hits.append(Hit(chunk, round(score, 4), how, dense=round(dense_score.get(idx, 0.0), 4),
                            sparse=round(sparse_score.get(idx, 0.0) / top_sparse, 4) if top_sparse else 0.0))
            if len(hits) >= k:
                break
        return hits[:k]

    def _sparse(self, query: str, allowed: set[int]) -> list[tuple[int, float]]:
        tokens = tokenize(query)
        if not tokens or self._bm25 is None:
            return []
        scores = self._bm25.get_scores(tokens)
        ranked = sorted((i for i in allowed if scores[i] > 0), key=lambda i: -scores[i])[:_POOL]
        return [(i, float(scores[i])) for i in ranked]

    def _dense(self, query: str, allowed: set[int]) -> list[tuple[int, float]]:
        assert self.embedder is not None
        collection = self._chroma()
        vector = self.embedder.embed_query(query)
        n = min(_POOL * 4, max(1, collection.count()))
        result = collection.query(query_embeddings=[vector], n_results=n, include=["distances"])
        best: dict[int, float] = {}
        for cid, distance in zip(result["ids"][0], result["distances"][0]):
            parents = self._hint_parents.get(cid) or ((self._position[cid],) if cid in self._position else ())
            for i in parents:
                if i in allowed and (1.0 - float(distance)) > best.get(i, -1.0):
                    best[i] = 1.0 - float(distance)
        return sorted(best.items(), key=lambda x: -x[1])[:_POOL]


def _parse_reports(corpus_dir: Path, chunks: tuple[Chunk, ...]) -> tuple[list[dict], tuple[tuple[str, str], ...]]:
    """Parse every annual report of the corpus into its tables; a report that cannot be read is named."""
    from rag.corpus import read_text
    from rag.core.errors import RagError
    from rag.reports import parse_report

    out, errors = [], []
    for source in sorted({c.source for c in chunks if c.kind == "report"}):
        try:
            report = parse_report(read_text(corpus_dir / source), Path(source).name)
        except RagError as exc:
            errors.append((source, f"年度报告表格无法解析：{exc}"))
            continue
        title = next(c.doc for c in chunks if c.source == source)
        out.append({"source": source, "agency": report.agency, "year": report.year, "title": title,
                    "table2": report.table2, "table3": report.table3, "table4": report.table4,
                    "problems": list(report.problems)})
    return out, tuple(errors)


def open_knowledge_base(settings: Settings, progress: Progress | None = None) -> KnowledgeBase:
    """Open and load the knowledge base, building it first when it has never been built."""
    kb = KnowledgeBase.open(settings)
    if not kb.is_built():
        kb.build(progress)
    return kb.load()
