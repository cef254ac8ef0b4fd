"""The rule layer: which wording fires which signal (with its step and the span that fired), the
agency-kind table, the 补正 items, and the inputs of the 补正 model."""

from __future__ import annotations

import pytest

from rag.core.agency import AgencyProfile, load_agency
from rag.intake.parse import parse_request
from rag.triage.duties import agency_kind, load_duties
from rag.triage.rules import correction_items, signals, step1_features, votes

PERSON = "申请人：陈立，身份证330304199001011238，电话13857712345，地址温州市瓯海区娄桥街道1号。请邮寄。2025年3月5日"


@pytest.fixture(scope="module")
def duties(corpus_dir):
    return load_duties(corpus_dir)


def _signals(text, duties, agency="温州市瓯海区某某局", corpus_dir=None):
    profile = load_agency(agency, corpus_dir) if corpus_dir else AgencyProfile(name=agency)
    return signals(parse_request(text), profile, duties)


def _codes(text, duties, agency="温州市瓯海区某某局"):
    return {s.code for s in _signals(text, duties, agency)}


@pytest.mark.parametrize("ask, code", [
    ("本人于3月2日提交的信息公开申请，现申请撤回。", "withdrawal"),
    ("请问办理居住证需要带什么材料？", "consultation"),
    ("我的低保档案中出生年份有误，请予以更正。", "record_correction"),
    ("要求公开对该工地的查处结果，并立即责令其停工！", "petition_demand"),
    ("我实名举报某村书记贪污，请公开调查情况。", "petition_words"),
    ("请确认我手中这份通知是否为贵局真实下发的文件。", "confirm_authenticity"),
    ("我的毕业证丢了，请给我重新出具一份毕业证明。", "reissue"),
    ("请在我已取得的规划图上加盖公章确认。", "stamp"),
    ("请寄给我一本《瓯海年鉴（2023）》。", "publication"),
    ("申请公开瓯海区2024年第3期政府公报，请邮寄一期纸质本。", "publication"),
    ("请把全区各街道近五年的拆违数量按年度汇总统计后列表提供。", "compile"),
    ("申请公开标有“机密★10年”的作战预案。", "secret_mark"),
    ("申请公开驻瓯海部队营区位置和番号。", "military"),
    ("申请提供第五次经济普查中各企业填报的普查表原始数据。", "law_statistics"),
    ("申请公开某公司2024年度的增值税纳税申报表。", "law_tax"),
    ("申请公开我邻居是否被登记为艾滋病感染者。", "law_health"),
    ("申请公开举报我的举报人姓名和电话。", "law_informant"),
    ("申请公开某某未成年人的犯罪记录。", "law_minor"),
    ("申请公开看守所监控摄像头的分布位置和夜间值守警力。", "security"),
    ("申请公开城区高压燃气管网走向图和阀门井坐标。", "security"),
    ("申请公开我邻居家申请低保时提交的收入证明和银行流水。", "third_party_person"),
    ("申请公开竞争企业申报许可时提交的产品配方和工艺文件。", "third_party_business"),
    ("申请公开贵局机关食堂的采购台账和公务用车加油记录。", "internal_affairs"),
    ("申请公开2024年度公务员年度考核结果和民主测评票数。", "internal_affairs"),
    ("申请公开区住建局报送区政府的请示及区政府常务会议的讨论记录。", "process_info"),
    ("申请公开方案的征求意见稿和送审稿。", "process_info"),
    ("申请公开对我作出处罚一案的询问笔录和现场检查笔录。", "enforcement_file"),
    ("申请公开某公司的工商登记档案和公司章程。", "special_query"),
    ("申请公开我父母1980年的结婚登记档案。", "special_query"),
    ("这是我第二次提交这个申请，上次你们已经答复过了。", "repeat_stated"),
    ("本次申请共126件，每个小区每一年度单独作为一件申请。", "mass_requests"),
    ("附件中其他人的身份证号码和电话我不要求提供，请遮盖后提供。", "partial_excluded"),
    ("申请公开补贴发放名册，名册里含有农户身份证号。", "mixed_content"),
])
def test_wording_fires_its_signal(ask, code, duties):
    assert code in _codes(f"瓯海区某某局：\n{ask}\n{PERSON}", duties)


@pytest.mark.parametrize("text, code", [
    ("办理终结记录\n申请人李某（330304199001011238）申请公开“小区的文件”。3月6日发出补正告知书，3月31日补正期限届满，未收到补正。\n处理：视为放弃申请。",
     "correction_lapsed"),
    ("收费办结记录\n申请人孙某本月申请26件，4月28日送达信息处理费缴费通知书，期限届满未缴纳费用。\n结论：不再处理。", "fee_unpaid"),
    ("关于补正告知书的答复\n你们让我补正，我不知道文号，反正就是关于我家的所有文件，你们自己查。\n李某 330304199001011238", "corrected_still_unclear"),
])
def test_the_case_file_reveals_what_became_of_an_earlier_notice(text, code, duties):
    assert code in _codes(text, duties)


@pytest.mark.parametrize("text, absent", [
    ("申请公开贵局2024年行政处罚决定书（已在网站公示）。", "enforcement_file"),
    ("申请公开2023年统计公报。", "compile"),
    ("申请公开补偿安置协议汇总表中本户信息。", "compile"),
    ("为准备申请行政复议，申请公开处罚决定书。", "petition_demand"),
    ("需确认地块是否在规划范围内，申请公开控制性详细规划图则。", "confirm_authenticity"),
])
def test_near_misses_do_not_fire(text, absent, duties):
    assert absent not in _codes(f"瓯海区某某局：\n{text}\n{PERSON}", duties)


def test_a_signal_carries_its_step_span_and_votes(duties):
    found = _signals(f"申请公开对我作出处罚一案的询问笔录。\n{PERSON}", duties)
    s = next(s for s in found if s.code == "enforcement_file")
    assert (s.step, s.span) == (5, "询问笔录")
    assert dict(s.votes)["enforcement_file"] > 0
    assert s.describe().startswith("第5步·给不给｜行政执法案卷材料：“询问笔录”")


@pytest.mark.parametrize("name, kind", [
    ("温州市瓯海区教育局", "教育"),
    ("温州市自然资源和规划局瓯海分局", "自然资源和规划"),
    ("温州市公安局瓯海区分局", "公安"),
    ("温州市瓯海区人民政府办公室", "人民政府"),
    ("温州市瓯海区娄桥街道办事处", "街道乡镇"),
    ("温州市瓯海区民政局", "民政"),
    ("宁波市鄞州区城市管理局", "城市管理和综合执法"),
    ("国家税务总局温州市瓯海区税务局", "税务"),
    ("某某区人民防空办公室", "人民防空"),
])
def test_the_agency_kind_comes_from_the_name(name, kind, duties):
    assert agency_kind(name, duties).name == kind


@pytest.mark.parametrize("agency, text, code", [
    ("温州市瓯海区应急管理局", "申请公开我的道路交通事故认定书。", "other_agency_record"),
    ("温州市瓯海区教育局", "申请公开某某家园开发商与供电公司签订的配套工程合同。", "non_government_holder"),
    ("温州市瓯海区人民政府", "申请公开法院对我家宅基地纠纷作出的判决书和庭审笔录。", "non_government_holder"),
    ("温州市瓯海区统计局", "申请公开各小区物业服务收费标准备案表和老旧小区改造计划。", "other_agency_duty"),
    ("温州市瓯海区教育局", "申请公开瓯海区2025年公办小学招生入学方案。", "own_duty"),
])
def test_responsibility_is_judged_against_the_receiving_agency(agency, text, code, duties):
    assert code in _codes(f"{agency}：\n{text}\n{PERSON}", duties, agency)


def test_material_the_agency_obtained_is_its_own_even_if_a_company_made_it(duties):
    text = f"温州市瓯海区财政局：\n申请公开某某公司申请技改补助时报送贵局的年度审计报告。\n{PERSON}"
    codes = _codes(text, duties, "温州市瓯海区财政局")
    assert "other_agency_duty" not in codes and "non_government_holder" not in codes


def test_a_profile_without_duties_still_works_from_its_name(duties, corpus_dir):
    found = _signals(f"申请公开瓯海区2025年公办小学招生入学方案。\n{PERSON}", duties, "温州市瓯海区自然资源和规划局")
    held = [s for s in found if s.code in ("other_agency_duty", "other_agency_record")]
    assert held and held[0].detail == "教育行政部门"


@pytest.mark.parametrize("text, items", [
    ("瓯海区某某局：\n申请公开与我家有关的全部文件。\n" + PERSON, ("所需信息描述",)),
    ("瓯海区某某局：\n本人陈立，电话13857712345，地址温州市瓯海区娄桥街道1号。申请公开《瓯海区2024年民生实事项目计划》。请邮寄。",
     ("身份证明",)),
    ("瓯海区某某局：\n本人陈立，身份证330304199001011238，申请公开《瓯海区2024年民生实事项目计划》。请邮寄给我。", ("联系方式",)),
    ("瓯海区某某局：\n本人陈立，身份证3303041990010112，电话13857712345，地址温州市瓯海区娄桥街道1号，申请公开《瓯海区2024年民生实事项目计划》。请邮寄。",
     ("身份证明",)),
    ("瓯海区某某局：\n申请公开《川汇区2023年老旧小区改造实施方案》（川政〔2021〕45号）。\n" + PERSON, ("所需信息描述",)),
    ("瓯海区某某局：\n本人陈立（电话13857712345，地址温州市瓯海区娄桥街道1号）代我父亲申请公开父亲房屋的征收补偿决定书。请邮寄。",
     ("身份证明",)),
])
def test_the_correction_items_are_those_the_request_lacks(text, items, duties):
    request = parse_request(text)
    found = signals(request, AgencyProfile(name="温州市瓯海区某某局"), duties)
    assert correction_items(found, request) == items


def test_a_complete_specific_request_has_nothing_to_supplement(duties):
    text = "瓯海区某某局：\n申请公开《瓯海区2024年民生实事项目计划》（瓯政发〔2024〕3号）。\n" + PERSON
    request = parse_request(text)
    found = signals(request, AgencyProfile(name="温州市瓯海区某某局"), duties)
    assert correction_items(found, request) == ()
    assert step1_features(found)[:2] == (0, 0)
    assert votes(found).get("disclose", 0) > 0


def test_a_petition_makes_completeness_moot(duties):
    found = _signals("我家楼下烧烤店油烟扰民，要求你们立即查处并责令停业！", duties)
    missing, vague, moot, note, _specific, gate = step1_features(found)
    assert missing > 0 and moot >= 3.0 and gate == 0.0


def test_a_request_lacking_identity_opens_the_gate(duties):
    text = "瓯海区某某局：\n本人陈立，电话13857712345，地址温州市瓯海区娄桥街道1号。申请公开《瓯海区2024年民生实事项目计划》。请邮寄。"
    assert step1_features(signals(parse_request(text), AgencyProfile(name="温州市瓯海区某某局"), duties))[-1] == 1.0
