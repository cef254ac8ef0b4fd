"""The pure parts behind the pages (rag/ui/config_files.py, rag/ui/intake_form.py) and the two letter
helpers they use (rag.letters.draft.request_facts, rag.letters.draft.fill_gaps)."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest
from dotenv import dotenv_values

from rag.core.agency import agency_from_dict, load_agency
from rag.core.errors import BadInput, ConfigError
from rag.intake.parse import parse_request
from rag.letters.draft import LetterFacts, draft_letter, fill_gaps, request_facts
from rag.core.outcomes import CORRECTION, OUTCOMES
from rag.ui.config_files import agency_toml, profile_file, save_agency, update_env_text, write_env
from rag.ui.intake_form import DECISIONS, Corrections, corrected, decision_label, draft_with_gaps

REQUEST = """政府信息公开申请表
姓名：王建国
证件号码：330381196507071237
联系电话：13968812345
通讯地址：温州市瓯海区仙岩街道竹溪村78号
所需信息内容描述：2023年仙岩街道竹溪村旧村改造项目的立项批复文件
获取信息的方式：纸质，邮寄
申请方式：当面提交
申请日期：2024年5月20日
"""


# ---------------------------------------------------------------- .env


@pytest.mark.parametrize("before, updates, expected", [
    ("", {"llm_model": "qwen"}, 'RAG_LLM_MODEL="qwen"\n'),
    ("RAG_LLM_MODEL=old\n", {"llm_model": "new"}, 'RAG_LLM_MODEL="new"\n'),
    ("# 注释\nRAG_AGENCY=甲\nOTHER=1\n", {"RAG_AGENCY": "乙"}, '# 注释\nRAG_AGENCY="乙"\nOTHER=1\n'),
    ("export RAG_LLM_MODEL=x\n", {"llm_model": "y"}, 'RAG_LLM_MODEL="y"\n'),
    ("rag_llm_model=x\n", {"llm_model": "y"}, 'RAG_LLM_MODEL="y"\n'),  # pydantic-settings ignores case
])
def test_env_text_replaces_in_place_and_appends_new_keys(before, updates, expected):
    assert update_env_text(before, updates) == expected


@pytest.mark.parametrize("value", ['http://127.0.0.1:8000/v1', 'key with spaces # and hash', 'quote " and \\ slash',
                                   "温州市瓯海区人民政府办公室", "", "it's"])
def test_env_values_read_back_unchanged(tmp_path, value):
    path = tmp_path / ".env"
    write_env({"llm_api_key": value, "agency": "甲"}, path)
    assert dotenv_values(path)["RAG_LLM_API_KEY"] == value
    assert dotenv_values(path)["RAG_AGENCY"] == "甲"


def test_settings_read_the_saved_env_file(tmp_path, monkeypatch):
    from rag.core.settings import Settings

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RAG_LLM_MODEL", raising=False)
    write_env({"llm_model": "qwen2.5:7b", "llm_base_url": "http://127.0.0.1:11434/v1"}, tmp_path / ".env")
    s = Settings()
    assert (s.llm_model, s.llm_enabled) == ("qwen2.5:7b", True)


def test_environment_variable_that_overrides_env_file_is_reported(tmp_path, monkeypatch):
    monkeypatch.setenv("RAG_LLM_MODEL", "from-environment")
    assert write_env({"llm_model": "x", "llm_timeout": "30"}, tmp_path / ".env") == ["RAG_LLM_MODEL"]


def test_env_value_with_a_line_break_is_refused(tmp_path):
    with pytest.raises(BadInput):
        write_env({"llm_model": "a\nRAG_AUTH=none"}, tmp_path / ".env")


# ---------------------------------------------------------------- agency profile


def test_shipped_profile_survives_a_round_trip_through_toml(agency):
    assert agency_from_dict(tomllib.loads(agency_toml(agency))) == agency


def test_edited_profile_is_saved_over_its_own_file_and_loads_back(tmp_path, corpus_dir, agency):
    import shutil

    shutil.copytree(corpus_dir / "agencies", tmp_path / "agencies")
    data = {**{k: getattr(agency, k) for k in ("name", "short_name", "level", "parent", "region", "doc_prefix",
                                               "reconsideration_body", "court", "contact", "address")},
            "phone": "0577-88881234", "aliases": ["区府办", " ", "区政府办公室"], "duties": ["区政府文件", ""],
            "elsewhere": [{"topic": "不动产登记|房产证", "body": "不动产登记中心"}, {"topic": "", "body": ""}]}
    profile, path = save_agency(data, tmp_path, agency.name)
    assert path.parent == tmp_path / "agencies" and len(list(path.parent.glob("*.toml"))) == 1
    loaded = load_agency(agency.short_name, tmp_path)
    assert loaded == profile
    assert (loaded.phone, loaded.aliases, loaded.duties) == ("0577-88881234", ("区府办", "区政府办公室"), ("区政府文件",))
    assert loaded.holder_elsewhere("申请查询房产证") == "不动产登记中心"


def test_profile_of_a_new_agency_gets_its_own_file(tmp_path):
    assert profile_file(tmp_path, "某县/市场监督管理局").name == "某县_市场监督管理局.toml"


@pytest.mark.parametrize("elsewhere, error", [
    ([{"topic": "不动产(登记", "body": "中心"}], BadInput),  # not a regular expression
    ([{"topic": "不动产", "body": " "}], BadInput),  # a topic without its body
])
def test_unusable_elsewhere_rows_are_refused(tmp_path, elsewhere, error):
    with pytest.raises(error):
        save_agency({"name": "某局", "elsewhere": elsewhere}, tmp_path, "某局")


def test_profile_without_a_name_is_refused(tmp_path):
    with pytest.raises(ConfigError):
        save_agency({"name": " "}, tmp_path, "")


# ---------------------------------------------------------------- intake form and letters


def test_decisions_are_correction_then_the_21_outcomes():
    assert DECISIONS[0] == CORRECTION and len(DECISIONS) == 22
    assert DECISIONS[1:] == tuple(o.key for o in OUTCOMES)
    assert decision_label("不予公开/属于四类过程性信息") == "不予公开 / 属于四类过程性信息"
    assert decision_label("予以公开/予以公开") == "予以公开"


def test_clerk_corrections_replace_the_parsed_fields():
    request = parse_request(REQUEST)
    fixed = corrected(request, Corrections(" 王建国 ", "", "0577-1", "", "竹溪村78号", "其他", "立项批复", ("身份证明",)))
    a = fixed.applicant
    assert (a.name, a.id_number, a.phone, a.applicant_type) == ("王建国", "", "0577-1", "其他")
    assert (fixed.description, fixed.missing) == ("立项批复", ("身份证明",))
    assert fixed.text == request.text  # the original stays for the register


def test_request_facts_take_the_received_date_and_deadlines_from_the_request(corpus_dir):
    from rag.core.deadlines import load_calendar

    facts, _ = request_facts(parse_request(REQUEST), load_calendar(corpus_dir), letter_date=date(2024, 6, 3))
    assert facts.received_date == date(2024, 5, 20)  # 当面提交: the day it was handed in (第三十一条)
    assert facts.deadlines["reply"] == date(2024, 6, 18)  # 20 working days, 端午 2024-06-10 off
    assert facts.applicant_name == "王建国" and "330381196507071237" in facts.applicant_ids


def test_request_facts_honour_a_received_date_the_clerk_gives(corpus_dir):
    from rag.core.deadlines import load_calendar

    facts, _ = request_facts(parse_request(REQUEST), load_calendar(corpus_dir), letter_date=date(2024, 6, 3),
                             received=date(2024, 5, 22), document_number="7")
    assert facts.received_date == date(2024, 5, 22) and facts.document_number == "7"


def _facts() -> LetterFacts:
    return LetterFacts(applicant_name="王建国", received_date=date(2024, 5, 20), request_quote="旧村改造立项批复",
                       letter_date=date(2024, 6, 3), deadlines={"reply": date(2024, 6, 18)})


def test_gap_of_a_template_field_is_filled_by_redrafting(agency, tmp_path):
    from rag.core.settings import ROOT

    labels, letter = draft_with_gaps("process", _facts(), agency, ROOT / "prompts",
                                     {"过程性信息类型（讨论记录、过程稿、磋商信函或请示报告）": "请示报告"})
    assert "过程性信息类型（讨论记录、过程稿、磋商信函或请示报告）" in labels  # the input stays on the page
    assert "请示报告" in letter.text
    assert "过程性信息类型（讨论记录、过程稿、磋商信函或请示报告）" not in letter.missing


def test_other_gaps_are_filled_in_the_text_and_blank_values_keep_the_gap(agency):
    from rag.core.settings import ROOT

    labels, letter = draft_with_gaps("process", _facts(), agency, ROOT / "prompts",
                                     {"文号序号": "15", "本机关联系电话": "  ", "不是本文书的项": "x"})
    assert "〔2024〕15号" in letter.number
    assert "本机关联系电话" in letter.missing and "文号序号" not in letter.missing
    assert set(letter.missing) < set(labels)


def test_fill_gaps_changes_only_the_named_gaps(agency):
    from rag.core.settings import ROOT

    letter = draft_letter("not_held", _facts(), agency, ROOT / "prompts")
    filled = fill_gaps(letter, {"文号序号": "3"})
    assert filled.missing == tuple(m for m in letter.missing if m != "文号序号")
    assert "【待填：文号序号】" not in filled.text and filled.number.endswith("〔2024〕3号")
    assert filled.paragraphs == letter.paragraphs  # no gap of that name in the body: untouched
    assert fill_gaps(letter, {}) is letter
