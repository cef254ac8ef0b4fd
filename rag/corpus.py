"""Load corpus files and split them along their own structure.

Laws: one chunk per article (a 款 or 项 never leaves its article), with title, 章/节 path,
article label and number, and status (a repealed text is marked and never cited as current
law). Everything else (report formats, the 江苏 规范, annual reports): one chunk per section,
tables kept whole, long prose cut at paragraph boundaries. Adding a Markdown/text file to
`corpus/` and re-indexing is all it takes to add a law or a report.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from rag.core.documents import decode_text
from rag.core.errors import CorpusFileError
from rag.core.numerals import parse_cn

STATUS_IN_FORCE = "现行有效"
STATUS_REPEALED = "已废止"
KIND_LAW, KIND_REPORT, KIND_GUIDE, KIND_HINT = "law", "report", "guide", "hint"

# Files that are data of other modules, not reading matter.
_SKIP_DIRS = {"agencies", "holidays", "requests", "hints"}
_SKIP_NAMES = {"SOURCES.md", "README.md"}
_SUFFIXES = {".md", ".txt"}

# An article starts a line: "第三十三条 text", "第三十三条\ntext", "**第三十三条**　text".
_ARTICLE = re.compile(r"^\s*(?:\*\*)?第([一二三四五六七八九十百千零〇两]+)条(?:\*\*)?(?:[ \t\u3000]+|$)")
_HEADING = re.compile(r"^(#{1,6})\s*(.+?)\s*#*$")
_PLAIN_SECTION = re.compile(r"^\s*([一二三四五六七八九十]+)、\s*(\S.{0,40})$")
_CHAPTER = re.compile(r"^第[一二三四五六七八九十百]+[编章节]")
_REPEAL = re.compile(r"(已(?:被|于.{0,15})?废止|宣布.{0,30}废止|失效|不再适用)")
_MAX_PROSE = 900
EMBED_CHARS = 400


@dataclass(frozen=True)
class Chunk:
    """One retrievable passage with everything a citation needs."""

    id: str
    doc: str  # the document's full title as it stands in the corpus
    kind: str  # law | report | guide
    text: str  # the passage itself (an article starts with its label)
    source: str  # path relative to corpus/
    article: str = ""  # "第三十三条", or "" for a non-article passage
    number: int = 0
    path: str = ""  # "第四章 依申请公开", "三、收到和处理政府信息公开申请情况"
    status: str = STATUS_IN_FORCE
    agency: str = ""
    year: int = 0
    meta: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def label(self) -> str:
        """`《中华人民共和国政府信息公开条例》第三十条` or `《…年度报告》三、收到和处理…`."""
        return f"《{self.doc}》{self.article or self.path}"

    @property
    def hash(self) -> str:
        """Content hash: an unchanged chunk is never embedded twice."""
        raw = "\x1f".join((self.doc, self.path, self.article, self.status, self.text))
        return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]

    def embed_text(self) -> str:
        """What the embedder sees: title and path give a bare article its context. Cut at
        EMBED_CHARS: e5 reads 512 tokens at most, the opening carries the subject, and the long
        tail (a report's table rows) costs most of the embedding time for nothing (keyword search
        and the report facts cover it)."""
        return f"{self.doc} {self.path} {self.text}"[:EMBED_CHARS]

    def metadata(self) -> dict:
        """Flat metadata for Chroma (str/int only)."""
        return {"doc": self.doc, "kind": self.kind, "source": self.source, "article": self.article,
                "number": self.number, "path": self.path, "status": self.status,
                "agency": self.agency, "year": self.year, "hash": self.hash}

    @classmethod
    def from_metadata(cls, cid: str, text: str, meta: dict) -> Chunk:
        keys = ("doc", "kind", "source", "article", "number", "path", "status", "agency", "year")
        return cls(id=cid, text=text, **{k: meta[k] for k in keys if k in meta})


@dataclass(frozen=True)
class LoadResult:
    """Chunks of every readable file, and the files that could not be read (named, skipped).

    `hints` are clerk-language questions (corpus/hints/*.toml), each a Chunk of kind "hint"
    carrying the doc and article (or section `path`) of the provision it points to.
    """

    chunks: tuple[Chunk, ...]
    files: tuple[str, ...]
    errors: tuple[tuple[str, str], ...]  # (relative path, Chinese reason)
    hints: tuple[Chunk, ...] = ()


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The reading-matter files under corpus/, in a stable order."""
    out = []
    for p in sorted(corpus_dir.rglob("*")):
        rel = p.relative_to(corpus_dir)
        if p.is_file() and p.suffix in _SUFFIXES and p.name not in _SKIP_NAMES and rel.parts[0] not in _SKIP_DIRS:
            out.append(p)
    return out


def load_corpus(corpus_dir: Path) -> LoadResult:
    """Read and split every corpus file; unreadable files are reported, never silently dropped."""
    chunks: list[Chunk] = []
    files: list[str] = []
    errors: list[tuple[str, str]] = []
    for path in corpus_files(corpus_dir):
        rel = path.relative_to(corpus_dir).as_posix()
        try:
            chunks.extend(split_document(read_text(path), rel))
            files.append(rel)
        except CorpusFileError as exc:
            errors.append((rel, str(exc)))
    hints: list[Chunk] = []
    for path in sorted((corpus_dir / "hints").glob("*.toml")):
        rel = path.relative_to(corpus_dir).as_posix()
        try:
            hints.extend(load_hints(read_text(path), rel))
            files.append(rel)
        except CorpusFileError as exc:
            errors.append((rel, str(exc)))
    return LoadResult(tuple(chunks), tuple(files), tuple(errors), tuple(hints))


def load_hints(text: str, source: str) -> list[Chunk]:
    """Parse a hints file: `doc = "…"` and `[[hint]]` tables with `article` or `section` and `questions`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CorpusFileError(f"{source} 不是合法的 TOML：{exc}") from exc
    doc = str(data.get("doc", "")).strip()
    if not doc:
        raise CorpusFileError(f"{source} 缺少 doc（所指文件的标题）")
    out = []
    for n, hint in enumerate(data.get("hint", [])):
        article, section = str(hint.get("article", "")), str(hint.get("section", ""))
        for m, question in enumerate(hint.get("questions", [])):
            out.append(Chunk(id=_chunk_id(source, f"h{n}.{m}"), doc=doc, kind=KIND_HINT, text=str(question),
                             source=source, article=article, path=section))
    return out


def read_text(path: Path) -> str:
    """Decode a corpus file (UTF-8, else GB18030); binary or empty files raise CorpusFileError."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CorpusFileError(f"{path.name}：{exc.strerror}") from exc
    if b"\x00" in raw[:4096]:
        raise CorpusFileError(f"{path.name} 不是文本文件（含二进制数据）")
    try:
        text = decode_text(raw)
    except UnicodeDecodeError as exc:
        raise CorpusFileError(f"{path.name} 既不是 UTF-8 也不是 GBK 编码") from exc
    if not text.strip():
        raise CorpusFileError(f"{path.name} 是空文件")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_document(text: str, source: str) -> list[Chunk]:
    """Split one document: laws by article, reports and guides by section."""
    lines = text.split("\n")
    title = _title(lines, source)
    articles = sum(1 for line in lines if _ARTICLE.match(line))
    if articles >= 3:
        return split_law(text, source, title)
    # An annual report names its year in the title ("…2023年度政府信息公开工作年度报告"); the
    # national format and the notices about it do not.
    is_report = source.startswith("reports/") or bool(re.search(r"\d{4}年度?政府信息公开工作年度报告", title))
    return split_sections(text, source, title, KIND_REPORT if is_report else KIND_GUIDE)


def split_law(text: str, source: str, title: str) -> list[Chunk]:
    """One chunk per article; the text before the first article decides the status."""
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines) if _ARTICLE.match(line))
    header = "\n".join(lines[:first])
    status = STATUS_REPEALED if _REPEAL.search(header) else STATUS_IN_FORCE
    chunks: list[Chunk] = []
    chapter, section = "", ""
    current: tuple[int, list[str], str] | None = None  # (number, lines, path)

    def close() -> None:
        if current is None:
            return
        number, body, path = current
        label = f"第{_cn_of(body[0])}条"
        chunks.append(Chunk(id=_chunk_id(source, f"a{number}"), doc=title, kind=KIND_LAW,
                            text=_tidy("\n".join(body)), source=source, article=label,
                            number=number, path=path, status=status))

    for line in lines:
        heading = _HEADING.match(line)
        if heading and heading.group(1) == "#":  # the title
            continue
        name = (heading.group(2) if heading else line).strip()
        if not _ARTICLE.match(line) and (heading or _CHAPTER.match(name)):
            # "## 第四章 依申请公开" / "第四章 依申请公开"; a 节 nests under its 章.
            if re.match(r"^第[一二三四五六七八九十百]+节", name):
                section = name
            else:
                chapter, section = name, ""
            close()
            current = None
            continue
        match = _ARTICLE.match(line)
        if match:
            close()
            path = " ".join(p for p in (chapter, section) if p)
            current = (parse_cn(match.group(1)), [line.strip().replace("**", "")], path)
        elif current is not None:
            current[1].append(line)
    close()
    return _dedupe_ids(chunks)


def split_sections(text: str, source: str, title: str, kind: str) -> list[Chunk]:
    """One chunk per section (tables whole); long prose is cut at paragraph boundaries."""
    agency, year = "", 0
    if kind == KIND_REPORT:
        from rag.reports import report_identity  # the report parser's own reading of agency and year

        agency, found_year, found_title = report_identity(text, Path(source).name)
        year = found_year or 0
        title = found_title or title
    chunks: list[Chunk] = []
    for n, (path, body) in enumerate(_sections(text)):
        for m, piece in enumerate(_pieces(body)):
            chunks.append(Chunk(id=_chunk_id(source, f"s{n}.{m}"), doc=title, kind=kind, text=piece,
                                source=source, path=path, agency=agency, year=year))
    return chunks


# ---------------------------------------------------------------- private helpers


def _title(lines: list[str], source: str) -> str:
    for line in lines[:5]:
        match = _HEADING.match(line)
        if match and match.group(1) == "#":
            return match.group(2).strip()
    return Path(source).stem.split("_")[0]


def _cn_of(line: str) -> str:
    return _ARTICLE.match(line).group(1)  # type: ignore[union-attr]


def _tidy(text: str) -> str:
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _chunk_id(source: str, local: str) -> str:
    return f"{hashlib.sha1(source.encode('utf-8')).hexdigest()[:10]}-{local}"


def _dedupe_ids(chunks: list[Chunk]) -> list[Chunk]:
    """Some texts repeat an article number (e.g. an appended decision): keep ids unique."""
    seen: dict[str, int] = {}
    out = []
    for c in chunks:
        n = seen.get(c.id, 0)
        seen[c.id] = n + 1
        out.append(c if n == 0 else replace(c, id=f"{c.id}.{n}"))
    return out


def _sections(text: str) -> Iterator[tuple[str, str]]:
    """(heading path, body) pairs; a preamble before the first heading is its own section."""
    path: list[tuple[int, str]] = []
    body: list[str] = []
    current = ""
    for line in text.split("\n"):
        heading = _HEADING.match(line)
        plain = None if heading or "|" in line else _PLAIN_SECTION.match(line)
        if heading or plain:
            if "\n".join(body).strip():
                yield current, "\n".join(body)
            body = []
            if heading:
                level, name = len(heading.group(1)), heading.group(2).strip()
                if level == 1:
                    path, current = [], ""
                    continue
            else:
                level, name = 2, re.sub(r"\s+", "", plain.group(0))  # type: ignore[union-attr]
            path = [p for p in path if p[0] < level] + [(level, name)]
            current = " > ".join(p[1] for p in path)
            body = [name]
            continue
        body.append(line)
    if "\n".join(body).strip():
        yield current, "\n".join(body)


def _pieces(body: str) -> list[str]:
    """Cut a section at blank-line paragraph boundaries into ≤ _MAX_PROSE pieces; never cut a table."""
    blocks: list[str] = []
    buf: list[str] = []
    in_table = False
    for line in body.split("\n"):
        is_row = "|" in line
        if not line.strip() and not in_table:
            if buf:
                blocks.append("\n".join(buf))
                buf = []
            continue
        if in_table and not is_row and line.strip():
            blocks.append("\n".join(buf))
            buf = []
        in_table = is_row or (in_table and not line.strip())
        buf.append(line)
    if buf:
        blocks.append("\n".join(buf))
    pieces: list[str] = []
    for block in (b.strip() for b in blocks if b.strip()):
        short = pieces and len(pieces[-1]) < 120  # a heading or a table's caption joins what follows
        prose = pieces and "|" not in block and "|" not in pieces[-1] and len(pieces[-1]) + len(block) < _MAX_PROSE
        if short or prose:
            pieces[-1] += "\n\n" + block
        else:
            pieces.append(block)
    heading = body.split("\n", 1)[0].strip()
    return [p if p.startswith(heading) else f"{heading}\n{p}" for p in pieces]
