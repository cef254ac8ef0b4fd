"""Reply letters: every template renders, cites only its own law (which exists in corpus/), gives
the right remedy, marks every unknown fact as a gap, and never carries a third party's data."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from rag.core.agency import AgencyProfile, load_agency
from rag.core.errors import BadInput, ConfigError, TemplateFieldMissing, UnknownOutcome
from rag.letters.draft import NOTICES, LetterFacts, citations, draft_letter, kinds, resolve_kind
from rag.letters.context import FIELDS, cite_joined
from rag.core.numerals import parse_cn
from rag.core.outcomes import (CONSULTATION_BASIS, CORRECTION_BASIS, DEADLINE_BASIS, EXTENSION_BASIS, FEE_BASIS, FEE_RULES,
                          OUTCOMES, RECEIPT_BASIS, RECONSIDERATION_FIRST_BASIS, REMEDY_BASIS, outcome)

ROOT = Path(__file__).resolve().parent.parent
PROMPTS = ROOT / "prompts"
CORPUS = ROOT / "corpus"
GAP = re.compile(r"【待填：([^】]*)】")
REFUSALS = tuple(o.code for o in OUTCOMES if o.refusal and o.group == "不予公开")
DECISIONS_WITH_BOTH_REMEDIES = tuple(o.code for o in OUTCOMES if not o.refusal)

REQUEST = ("请公开瓯海区人民政府办公室关于娄桥街道古岸头村旧村改造项目向区政府的请示，"
           "以及区政府常务会议对该项目的讨论记录（2023年）。")

# A clerk who knows everything: with these, no letter has a gap of its own.
ALL_FACTS = {
    "publish_place": "温州市瓯海区人民政府门户网站“政府信息公开—政策文件”栏目（2023年6月1日发布）",
    "info_name": "《瓯海区旧村改造工作实施方案》1份共12页",
    "provide_way": "电子邮件",
    "disclosed_parts": "项目实施方案及补偿标准",
    "withheld_parts": "被征收户的身份证号码和联系电话",
    "withheld_reason": "涉及第三方个人隐私",
    "withheld_ground": "third_party",
    "forbidding_law": "中华人民共和国统计法",
    "forbidding_article": "第二十五条",
    "harm": "社会稳定",
    "third_party_interest": "个人隐私",
    "third_party_opinion": "书面答复不同意公开并说明了理由",
    "internal_kind": "人事管理",
    "process_kind": "请示报告",
    "case_file_kind": "询问笔录",
    "query_kind": "不动产登记资料",
    "query_law": "不动产登记暂行条例",
    "query_body": "温州市自然资源和规划局瓯海分局不动产登记中心",
    "search_scope": "本机关2019年以来的发文、收文档案及办公系统（关键词：古岸头村、旧村改造）",
    "holder": "温州市瓯海区住房和城乡建设局",
    "holder_contact": "0577-86000000",
    "compile_kind": "统计、汇总",
    "correction_date": "2024-03-08",
    "correction_number": "瓯政办公开补〔2024〕3号",
    "correction_deadline": "2024-03-29",
    "supplement_date": "2024-03-20",
    "petition_kind": "要求查处旧村改造中的违法建设",
    "petition_channel": "温州市瓯海区信访局或12345政务服务便民热线",
    "previous_reply_date": "2024-01-10",
    "previous_document_number": "瓯政办公开〔2024〕2号",
    "publication_name": "《瓯海年鉴（2023）》",
    "publication_source": "温州市瓯海区图书馆、瓯海区档案馆查阅",
    "request_period": "2024年1月至3月",
    "request_count": "156",
    "reason_request_date": "2024-03-08",
    "reason_outcome": "您未在规定期限内说明理由",
    "fee_notice_date": "2024-03-10",
    "payment_deadline": "2024年4月1日",
    "payment_method": "银行转账（户名：温州市瓯海区财政局）",
    "other_situation": "您于2024年3月12日书面撤回该申请",
    "other_handling": "本机关终止办理该政府信息公开申请",
    "extension_reason": "所申请信息涉及多个部门，需进一步检索、核实",
    "third_party_name": "温州某某置业有限公司",
    "consult_date": "2024-03-12",
    "correction_period": "自收到本告知书之日起10个工作日内",
    "fee_method": "按件",
    "fee_units": "5",
    "fee_earlier": "8",
}
# Gaps that come from the agency profile itself (its address and phone are 【待填】 there).
PROFILE_GAPS = {"本机关联系电话", "本机关通信地址"}


@pytest.fixture(scope="module")
def agency() -> AgencyProfile:
    return load_agency("瓯海区人民政府办公室", CORPUS)


def _facts(**changes) -> LetterFacts:
    base = dict(applicant_name="张三", applicant_kind="自然人", received_date=date(2024, 3, 5), request_quote=REQUEST,
                request_text=REQUEST, letter_date=date(2024, 3, 20),
                deadlines={"reply": date(2024, 4, 2), "reply_extended": date(2024, 4, 30),
                           "correction_notice": date(2024, 3, 14)},
                correction_items=("身份证明", "所需信息描述"))
    base.update(changes)
    return LetterFacts(**base)


def _draft(kind, agency, **changes):
    return draft_letter(kind, _facts(**changes), agency, PROMPTS)


# ---------------------------------------------------------------- every template renders

def test_there_is_a_template_for_every_outcome_and_notice():
    names = {p.stem for p in (PROMPTS / "letters").glob("*.j2") if not p.stem.startswith("_")}
    assert names == set(kinds())
    assert len(kinds()) == 21 + 6


@pytest.mark.parametrize("kind", kinds())
def test_every_letter_renders_from_a_bare_request_with_its_gaps_marked(kind, agency):
    letter = _draft(kind, agency)
    text = letter.text
    assert "{{" not in text and "{%" not in text and "None" not in text and "【待填：】" not in text
    assert "“”" not in text and "，，" not in text and "。。" not in text
    assert letter.missing == tuple(dict.fromkeys(GAP.findall(text)))
    assert "文号序号" in letter.missing
    assert letter.title.startswith("政府信息公开") and letter.signature == (agency.name, "2024年3月20日")
    assert text.startswith(letter.title + "\n" + letter.number + "\n\n")


@pytest.mark.parametrize("kind", kinds())
def test_every_letter_with_all_clerk_facts_has_no_gap_of_its_own(kind, agency):
    letter = _draft(kind, agency, document_number="12", extra=ALL_FACTS)
    assert set(letter.missing) <= PROFILE_GAPS, letter.text
    assert "瓯政办公开〔2024〕12号" == letter.number
    assert letter.salutation == ("温州某某置业有限公司：" if kind == "third_party_consult" else "张三：")


@pytest.mark.parametrize("kind", [k for k in kinds() if k not in ("confirm_reissue", "other")])
def test_every_letter_cites_a_legal_basis(kind, agency):
    assert _draft(kind, agency).basis


def test_letters_that_rest_on_no_article_cite_none(agency):
    for kind in ("confirm_reissue", "other"):
        assert _draft(kind, agency).basis == ()


def test_every_decision_letter_has_a_reasons_paragraph(agency):
    for o in OUTCOMES:
        letter = _draft(o.code, agency)
        assert letter.reasons and letter.reasons in letter.paragraphs, o.code


# ---------------------------------------------------------------- correct law, by construction

def _law_files() -> dict[str, Path]:
    files = {}
    for path in (CORPUS / "laws").glob("*.md"):
        title = path.read_text(encoding="utf-8").splitlines()[0].lstrip("# ").strip()
        files[title] = path
    return files


LAWS = _law_files()
_ARTICLE = re.compile(r"^第([零〇一二三四五六七八九十百千]+)条[ 　]")


def _article_paragraphs(law: str, article: str) -> list[str]:
    """The paragraphs of one article as the corpus file has them (款 and their 项 lines)."""
    lines = LAWS[law].read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    inside = False
    for line in lines:
        m = _ARTICLE.match(line)
        if m or line.startswith("#"):
            if inside:
                break
            inside = bool(m) and f"第{m.group(1)}条" == article
        if inside and line.strip():
            out.append(line.strip())
    return out


def _provision_exists(law: str, article: str, part: str) -> bool:
    paras = _article_paragraphs(law, article)
    if not paras:
        return False
    clauses: list[list[str]] = []  # 款, each with its 项 lines
    for p in paras:
        if p.startswith("（") and clauses:
            clauses[-1].append(p)
        else:
            clauses.append([])
    kuan = re.search(r"第([一二三四五六七八九十]+)款", part)
    xiang = re.search(r"第（([一二三四五六七八九十]+)）项", part)
    k = parse_cn(kuan.group(1)) if kuan else 1
    if k > len(clauses):
        return False
    return not xiang or parse_cn(xiang.group(1)) <= len(clauses[k - 1])


_CITE = re.compile(r"《([^》]+)》(第[^条]+条)((?:第[^款]+款)?(?:第（[^）]+）项)?)")


def _allowed(kind: str, extra: dict) -> set[str]:
    remedy = {b.cite() for b in REMEDY_BASIS} | {RECONSIDERATION_FIRST_BASIS.cite()}
    notices = {"correction": CORRECTION_BASIS, "extension": (EXTENSION_BASIS,),
               "third_party_consult": CONSULTATION_BASIS[:1], "third_party_notice": (CONSULTATION_BASIS[0], CONSULTATION_BASIS[2]),
               "fee_notice": (FEE_BASIS,), "receipt": (RECEIPT_BASIS, DEADLINE_BASIS)}
    if kind in notices:
        return {b.cite() for b in notices[kind]}
    own = set(outcome(kind).citations) | remedy
    if kind == "partial" and extra.get("withheld_ground"):
        own |= set(outcome(extra["withheld_ground"]).citations)
    return own


@pytest.mark.parametrize("extra", [{}, ALL_FACTS], ids=["bare", "all-facts"])
@pytest.mark.parametrize("kind", kinds())
def test_every_cited_article_exists_in_the_corpus_and_is_the_letters_own_basis(kind, extra, agency):
    letter = _draft(kind, agency, extra=extra)
    assert letter.basis == citations(letter.text)
    for cite in letter.basis:
        m = _CITE.fullmatch(cite)
        if not m:  # the fee rules, cited by title only (not in corpus/)
            assert cite.startswith(f"《{FEE_RULES}》") and kind in ("fee_notice", "fee_unpaid"), cite
            continue
        law, article, part = m.groups()
        if law not in LAWS:  # only the law the clerk named for 其他法律行政法规禁止公开
            assert kind == "law_forbids" and law == extra.get("forbidding_law"), cite
            continue
        assert _provision_exists(law, article, part), f"{cite} not in corpus/laws"
        assert cite in _allowed(kind, extra), f"{kind} cites {cite}, not its own basis"


@pytest.mark.parametrize("o", [o for o in OUTCOMES if o.code not in ("disclose", "not_held")], ids=lambda o: o.code)
def test_every_outcome_letter_cites_all_of_its_basis(o, agency):
    letter = _draft(o.code, agency)
    assert set(o.citations) <= set(letter.basis)


@pytest.mark.parametrize(("extra", "cited", "not_cited"), [
    ({}, "第三十六条第（二）项", "第三十六条第（一）项"),
    ({"publish_place": "区政府门户网站"}, "第三十六条第（一）项", "第三十六条第（二）项"),
    ({"disclose_mode": "已主动公开"}, "第三十六条第（一）项", "第三十六条第（二）项"),
])
def test_disclosure_cites_the_item_that_fits(extra, cited, not_cited, agency):
    text = _draft("disclose", agency, extra=extra).text
    assert cited in text and not_cited not in text


@pytest.mark.parametrize(("request_text", "extra", "item", "phrase"), [
    (REQUEST, {}, "第（四）项", "政府信息不存在"),
    ("请公开我家房屋的不动产登记资料和产权登记档案", {}, "第（五）项", "不动产登记机构"),
    (REQUEST, {"holder": "温州市瓯海区住房和城乡建设局"}, "第（五）项", "温州市瓯海区住房和城乡建设局"),
    ("请公开我家房屋的不动产登记资料", {"not_held_reason": "不存在"}, "第（四）项", "政府信息不存在"),
])
def test_not_held_has_two_variants_and_names_the_responsible_body(request_text, extra, item, phrase, agency):
    letter = _draft("not_held", agency, request_quote=request_text, request_text=request_text, extra=extra)
    assert f"第三十六条{item}" in letter.text and phrase in letter.text
    if item == "第（五）项":
        assert "负责公开该信息的机关的联系方式" in letter.missing


def test_partial_cites_the_ground_of_the_withheld_part(agency):
    letter = _draft("partial", agency, extra={"withheld_ground": "不予公开/保护第三方合法权益"})
    assert "《中华人民共和国政府信息公开条例》第十五条" in letter.basis and "第三十七条" in letter.text
    with pytest.raises(BadInput):
        _draft("partial", agency, extra={"withheld_ground": "予以公开"})


def test_law_forbids_names_the_clerks_law_and_leaves_the_article_open(agency):
    letter = _draft("law_forbids", agency, extra={"forbidding_law": "中华人民共和国统计法"})
    assert "《中华人民共和国统计法》【待填：该法律、行政法规禁止公开的具体条款】" in letter.text


def test_special_query_points_to_the_registry_from_the_agency_profile(agency):
    text = _draft("special_query", agency, request_quote="请提供某某公司的工商登记资料（股东信息）",
                  request_text="请提供某某公司的工商登记资料（股东信息）").text
    assert "温州市瓯海区市场监督管理局" in text and "市场主体登记资料" in text


def test_the_repealed_2011_court_rule_is_never_cited(agency):
    for path in (PROMPTS / "letters").glob("*.j2"):
        assert "2011" not in path.read_text(encoding="utf-8")
    for kind in kinds():
        for extra in ({}, ALL_FACTS):
            text = _draft(kind, agency, extra=extra).text
            assert "法释〔2011〕17号" not in text and "2011" not in text


# ---------------------------------------------------------------- the remedy clause

@pytest.mark.parametrize("kind", REFUSALS)
def test_refusals_require_reconsideration_first_and_never_offer_a_direct_suit(kind, agency):
    text = _draft(kind, agency).text
    assert ("根据《中华人民共和国行政复议法》第二十三条第一款第（四）项的规定，应当先自收到本答复之日起60日内"
            "向温州市瓯海区人民政府申请行政复议；对行政复议决定不服的，可以再依法向人民法院提起行政诉讼。") in text
    assert "直接向人民法院提起行政诉讼" not in text and "6个月" not in text
    assert not re.search(r"或者[^。；]*提起行政诉讼", text)


def test_partial_disclosure_sends_the_withheld_part_to_reconsideration_first(agency):
    text = _draft("partial", agency).text
    withheld, _, rest = text.partition("；如对本答复其他内容不服")
    assert "如对本答复中不予公开的部分不服" in withheld and "应当先自收到本答复之日起60日内" in withheld
    assert "对行政复议决定不服的，可以再依法向人民法院提起行政诉讼" in withheld and "6个月" not in withheld
    assert "也可以自收到本答复之日起6个月内向有管辖权的人民法院提起行政诉讼" in rest


@pytest.mark.parametrize("kind", DECISIONS_WITH_BOTH_REMEDIES)
def test_other_decisions_offer_reconsideration_or_suit(kind, agency):
    text = _draft(kind, agency).text
    assert ("可以自收到本答复之日起60日内向温州市瓯海区人民政府申请行政复议，"
            "或者自收到本答复之日起6个月内向有管辖权的人民法院提起行政诉讼。") in text
    assert "应当先" not in text


@pytest.mark.parametrize("kind", list(NOTICES))
def test_procedural_notices_carry_no_remedy_clause(kind, agency):
    text = _draft(kind, agency).text
    assert "行政复议" not in text and "行政诉讼" not in text


def test_remedy_names_the_court_of_the_profile(agency):
    profile = AgencyProfile(name="温州市瓯海区教育局", doc_prefix="瓯教公开", reconsideration_body="温州市瓯海区人民政府",
                            court="温州市鹿城区人民法院")
    assert "6个月内向温州市鹿城区人民法院提起行政诉讼" in _draft("needs_compiling", profile).text


@pytest.mark.parametrize(("name", "body", "warned"), [
    ("温州市瓯海区教育局", "温州市瓯海区人民政府", True),  # 行政复议法第二十四条第一款第（一）项
    ("某某单位", "【待填：行政复议机关】", False),
])
def test_agency_without_a_reconsideration_body_gets_a_derived_one_or_a_gap(name, body, warned):
    letter = _draft("process", AgencyProfile(name=name))
    assert f"60日内向{body}申请行政复议" in letter.text
    assert any("行政复议机关按机关名称推定" in w for w in letter.warnings) == warned
    assert ("行政复议机关" in letter.missing) == (not warned)
    assert "文号" in letter.missing  # no doc_prefix in the profile: the whole 文号 is a gap


# ---------------------------------------------------------------- filled from what is known

def test_letter_quotes_the_request_and_the_received_date(agency):
    text = _draft("process", agency, extra={"process_kind": "请示报告"}).text
    assert ("本机关于2024年3月5日收到您提出的政府信息公开申请，申请公开“瓯海区人民政府办公室关于娄桥街道古岸头村"
            "旧村改造项目向区政府的请示，以及区政府常务会议对该项目的讨论记录（2023年）”。") in text
    assert "系本机关在履行行政管理职能过程中形成的请示报告，属于过程性信息" in text


def test_unknown_facts_are_gaps_not_blanks(agency):
    letter = draft_letter("repeat", LetterFacts(), agency, PROMPTS)
    for label in ("申请人姓名或名称", "收到申请日期", "申请公开的信息内容", "落款日期", "年份", "前次答复日期"):
        assert label in letter.missing
        assert f"【待填：{label}】" in letter.text


def test_organisations_are_addressed_as_such(agency):
    letter = _draft("needs_compiling", agency, applicant_name="温州某某律师事务所", applicant_kind="法律服务机构")
    assert letter.salutation == "温州某某律师事务所：" and "收到你单位提出的" in letter.text and "您" not in letter.text


def test_correction_notice_lists_the_missing_items_with_guidance(agency):
    letter = _draft("补正", agency, correction_items=("身份证明", "所需信息描述", "获取方式"))
    assert "（一）请提供申请人身份证明" in letter.text
    assert "（二）请补充所需政府信息的名称、文号或者便于本机关查询的其他特征性描述" in letter.text
    assert "（三）请明确获取信息的方式、途径" in letter.text
    assert "自收到本告知书之日起15个工作日内" in letter.text and "视为放弃申请" in letter.text
    assert "答复期限自本机关收到补正后的申请之日起计算" in letter.text


def test_extension_and_receipt_use_the_deadline_engines_dates(agency):
    assert "本机关将于2024年4月30日前作出答复" in _draft("延期", agency).text
    assert "即2024年4月2日前作出答复" in _draft("受理回执", agency).text
    assert "延长后的答复期限" in _draft("延期", agency, deadlines={}).missing


def test_fee_notice_states_the_computed_amount(agency):
    text = _draft("收费", agency, extra={"fee_method": "按件", "fee_units": "5", "fee_earlier": "8"}).text
    assert "应缴金额为人民币300元" in text and "第11—13件每件100元，计300元" in text
    letter = _draft("收费", agency)
    assert {"收费金额", "缴费期限", "缴费方式（收款账户或缴费地点）"} <= set(letter.missing)


@pytest.mark.parametrize(("kind", "letter_date", "warned"), [
    ("process", date(2024, 4, 29), False),  # within the extended reply period
    ("process", date(2024, 5, 6), True),
    ("correction", date(2024, 3, 15), True),  # 7 working days are over
    ("extension", date(2024, 4, 3), True),  # the first 20 days are over
    ("receipt", date(2025, 1, 1), False),
])
def test_a_letter_dated_after_its_deadline_is_flagged(kind, letter_date, warned, agency):
    letter = _draft(kind, agency, letter_date=letter_date)
    assert any("已超过期限" in w for w in letter.warnings) == warned


def test_clerk_fact_keys_that_no_template_knows_are_reported(agency):
    letter = _draft("process", agency, extra={"proces_kind": "请示"})
    assert any("proces_kind" in w for w in letter.warnings)


# ---------------------------------------------------------------- privacy

def test_a_third_partys_data_in_the_request_never_reaches_the_letter(agency):
    quote = "请公开邻居王五（身份证330304199001011238，电话13900001111，住瓯海大道123号）的违建处罚决定"
    letter = _draft("third_party", agency, request_quote=quote, applicant_ids=("13812345678",))
    assert "330304199001011238" not in letter.text and "13900001111" not in letter.text and "123号" not in letter.text
    assert "【身份证号码已隐去】" in letter.text
    assert any("已隐去第三方个人信息" in w and "13900001111" not in w for w in letter.warnings)


def test_the_applicants_own_identifiers_may_stay_in_a_letter_to_the_applicant(agency):
    quote = "请公开本人（电话13812345678）申请低保的审批结果"
    assert "13812345678" in _draft("disclose", agency, request_quote=quote, applicant_ids=("13812345678",)).text
    consult = _draft("third_party_consult", agency, request_quote=quote, applicant_ids=("13812345678",))
    assert "13812345678" not in consult.text  # the third party does not learn the applicant's phone


def test_the_agencys_and_holders_contacts_are_not_redacted(agency):
    text = _draft("not_held", agency, extra={"holder": "温州市瓯海区住房和城乡建设局",
                                             "holder_contact": "0577-86000000"}).text
    assert "0577-86000000" in text


# ---------------------------------------------------------------- the machinery

@pytest.mark.parametrize(("given", "code"), [
    ("不予公开/属于四类过程性信息", "process"),
    ("process", "process"),
    ("属于四类过程性信息", "process"),
    ("予以公开", "disclose"),
    ("予以公开/予以公开", "disclose"),
    ("不予公开/危及\"三安全一稳定\"", "security"),
    ("补正", "correction"),
    ("补正告知书", "correction"),
    ("延期", "extension"),
    ("延期答复告知书", "extension"),
    ("第三方意见征询函", "third_party_consult"),
    ("征求第三方意见告知书", "third_party_notice"),
    ("信息处理费缴费通知", "fee_notice"),
    ("收费", "fee_notice"),
    ("受理回执", "receipt"),
    ("receipt", "receipt"),
])
def test_resolve_kind_accepts_keys_codes_items_and_notice_names(given, code):
    assert resolve_kind(given) == code


@pytest.mark.parametrize("given", ["", "不予公开/其他", "批准", "disclose2"])
def test_resolve_kind_rejects_anything_else(given):
    with pytest.raises(UnknownOutcome):
        resolve_kind(given)


def test_a_template_typo_raises_instead_of_printing_blank(tmp_path, agency):
    shutil.copytree(PROMPTS / "letters", tmp_path / "letters")
    path = tmp_path / "letters" / "process.j2"
    path.write_text(path.read_text(encoding="utf-8").replace("{{ process_kind }}", "{{ proces_kind }}"), encoding="utf-8")
    with pytest.raises(TemplateFieldMissing, match="proces_kind"):
        draft_letter("process", _facts(), agency, tmp_path)


def test_a_missing_template_is_a_configuration_error(tmp_path, agency):
    shutil.copytree(PROMPTS / "letters", tmp_path / "letters")
    (tmp_path / "letters" / "repeat.j2").unlink()
    with pytest.raises(ConfigError):
        draft_letter("repeat", _facts(), agency, tmp_path)


def test_every_field_a_template_reads_is_documented_in_its_header():
    for path in (PROMPTS / "letters").glob("*.j2"):
        source = path.read_text(encoding="utf-8")
        header = source.split("-#}", 1)[0]
        for name in FIELDS:
            if re.search(r"\{\{\s*" + name + r"\b", source):
                assert name in header, f"{path.name} reads {name} but its header does not list it"


def test_cite_joined_names_each_law_once_per_run():
    o = outcome("process")
    assert cite_joined(o.basis) == "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项"
    assert cite_joined((o.basis[0], RECONSIDERATION_FIRST_BASIS)) == (
        "《中华人民共和国政府信息公开条例》第十六条第二款、《中华人民共和国行政复议法》第二十三条第一款第（四）项")


def test_citations_reads_runs_of_provisions():
    text = "根据《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项和《中华人民共和国行政复议法》第二十条第一款的规定"
    assert citations(text) == ("《中华人民共和国政府信息公开条例》第十四条",
                               "《中华人民共和国政府信息公开条例》第三十六条第（三）项",
                               "《中华人民共和国行政复议法》第二十条第一款")


@pytest.mark.parametrize(("kind", "extra"), [
    ("not_held", {"not_held_reason": "也许"}),
    ("disclose", {"disclose_mode": "全部"}),
])
def test_an_unknown_variant_switch_is_bad_input(kind, extra, agency):
    with pytest.raises(BadInput):
        _draft(kind, agency, extra=extra)


def test_the_clerk_can_add_correction_items(agency):
    letter = _draft("补正", agency, correction_items=("身份证明",),
                    extra={"correction_items": "“拆迁的那个文件”指向不明，请写明文件名称或发文时间；获取方式"})
    assert "（二）“拆迁的那个文件”指向不明，请写明文件名称或发文时间；" in letter.text
    assert "（三）请明确获取信息的方式、途径" in letter.text


def test_a_vague_request_is_quoted_in_its_own_words_in_the_correction_notice(agency, corpus_dir):
    from rag.core.deadlines import load_calendar
    from rag.intake.parse import parse_request
    from rag.letters.draft import request_facts

    request = parse_request("王小明：\n你们去年发的关于拆迁的那个文件，我要一份，寄给我。\n王小明 13812345678\n2024年3月5日\n")
    facts, _ = request_facts(request, load_calendar(corpus_dir), letter_date=date(2024, 3, 11))
    letter = draft_letter("补正", facts, agency, corpus_dir.parent / "prompts")
    assert "申请公开“你们去年发的关于拆迁的那个文件" in letter.text
    assert "申请公开的信息内容" not in letter.missing
