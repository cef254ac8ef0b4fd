"""Identity numbers and the applicant-type column. Every check character used here was worked
out by hand (the sums are in the comments) as well as by the code under test."""

from __future__ import annotations

import pytest

from rag.intake.identity import applicant_type, check_id_card, check_uscc, declared_kind, is_org_name, org_rule, uscc_kind
from rag.core.outcomes import APPLICANT_TYPES

# 居民身份证: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2; check = "10X98765432"[sum % 11].
VALID_IDS = [
    # 1·7+1·9+0+1·5+0+5·4+1·2+9·1+4·6+9·3+1·7+2·9+3·10+1·5+0+0+2·2 = 167; 167 % 11 = 2 → X
    "11010519491231002X",
    # 21+27+0+15+0+16+2+9+54+0+0+9+0+5+8+8+6 = 180; 180 % 11 = 4 → 8
    "330304199001011238",
    # 21+18+0+5+0+8+2+9+48+21+0+27+10+25+0+0+4 = 198; 198 % 11 = 0 → 1
    "320102198703150021",
    # 21+27+0+15+0+8+2+9+48+24+7+18+10+10+0+0+8 = 207; 207 % 11 = 9 → 3
    "330302198812120043",
    # 28+36+0+15+0+4+2+9+42+15+7+9+0+25+24+0+2 = 218; 218 % 11 = 9 → 3
    "440301197511053013",
    # 21+27+0+15+64+4+2+9+36+15+0+63+0+35+8+8+6 = 313; 313 % 11 = 5 → 7
    "330381196507071237",
    "11010519491231002x",  # a lower-case x is the same number
    "110105491231002",  # 15-digit old number: format and birth date only (1949-12-31)
]
INVALID_IDS = [
    "330304199001011234",  # check character should be 8
    "110105194912310021",  # should be X
    "330304199002301238",  # 30 February
    "330304199013011238",  # month 13
    "33030419900101123",  # 17 characters
    "330304199001011238X",  # 19 characters
    "110105491331002",  # 15 digits, month 13
    "A30304199001011238",
    "",
]

# 统一社会信用代码: values 0-9, A=10 … H=17, J=18 … N=22, P=23, Q=24, R=25, T=26, U=27, W=28, X=29, Y=30;
# weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28; check = 31 − (sum % 31), 31 → 0.
VALID_USCC = [
    # 9+3+27+135+0+26+0+0+420+0+0+0+8+0+0+900+112 = 1640; 1640 % 31 = 28; 31−28 = 3
    "91350100M000100Y43",
    # 9+3+9+27+0+26+0+136+100+145+25+39+64+120+0+240+56 = 999; 999 % 31 = 7; 31−7 = 24 → Q
    "91110108551385082Q",
    # 9+3+27+81+0+78+0+68+420+290+50+221+32+456+70+690+28 = 2523; % 31 = 12; 31−12 = 19 → K
    "91330304MA2H4K7P1K",
    # 3+3+27+81+0+0+0+0+420+377+0+13+16+72+40+150+168 = 1370; % 31 = 6; 31−6 = 25 → R
    "31330000MD0123456R",
    # 5+3+27+81+0+78+0+68+420+522+200+91+48+120+40+90+56 = 1849; % 31 = 20; 31−20 = 11 → B
    "51330304MJ8765432B",
    # 1+6+27+81+0+0+0+0+80+203+0+0+8+48+30+120+140 = 744; % 31 = 0 → 0
    "123300004700123450",
    # 9+6+27+81+0+78+0+68+420+290+50+130+88+72+120+390+112 = 1941; % 31 = 19; 31−19 = 12 → C
    "92330304MA2AB3CD4C",
    # 22+6+27+81+0+78+0+68+420+290+50+130+88+288+10+60+84 = 1702; % 31 = 28; 31−28 = 3
    "N2330304MA2ABC1233",
    # 5+6+27+81+0+78+0+68+420+522+200+91+48+120+40+90+56 = 1852; % 31 = 23; 31−23 = 8
    "52330304MJ87654328",
]
INVALID_USCC = [
    "91350100M000100Y4A",  # check character should be 3
    "91350100M000100Y44",
    "91330304MA2H4K7P1I",  # I is never used
    "91350100M000100Y4",  # 17 characters
    "9135010OM000100Y43",  # letter O inside the region code
    "",
]


@pytest.mark.parametrize("number", VALID_IDS)
def test_valid_identity_card_numbers_pass(number):
    assert check_id_card(number) is True


@pytest.mark.parametrize("number", INVALID_IDS)
def test_wrong_check_character_or_date_fails_the_identity_card_check(number):
    assert check_id_card(number) is False


@pytest.mark.parametrize("code", VALID_USCC)
def test_valid_credit_codes_pass(code):
    assert check_uscc(code) is True
    assert check_id_card(code) is False


@pytest.mark.parametrize("code", INVALID_USCC)
def test_wrong_check_character_fails_the_credit_code_check(code):
    assert check_uscc(code) is False


@pytest.mark.parametrize("code, kind", [
    ("91350100M000100Y43", "工商：企业"),
    ("92330304MA2AB3CD4C", "工商：个体工商户"),
    ("93330304MA2AB3CD4C", "工商：农民专业合作社"),
    ("31330000MD0123456R", "司法行政：律师执业机构"),
    ("32330000MD0123456R", "司法行政：公证处"),
    ("123300004700123450", "机构编制：事业单位"),
    ("11330000002482061Q", "机构编制：机关"),
    ("51330304MJ8765432B", "民政：社会团体"),
    ("53330304MJ8765432B", "民政：基金会"),
    ("N2330304MA2ABC1233", "农业：村级集体经济组织"),
    ("Y1330304MA2ABC1233", "其他：其他"),
    ("Z9330304MA2ABC1233", ""),
])
def test_credit_code_prefix_names_the_registering_authority_and_kind(code, kind):
    assert uscc_kind(code) == kind


@pytest.mark.parametrize("name, column", [
    ("温州市某某环保科技有限公司", "商业企业"),
    ("温州某某建筑设计研究院有限公司", "商业企业"),  # the legal form at the end decides
    ("某某集团", "商业企业"),
    ("瓯海区某某农机专业合作社", "商业企业"),
    ("瓯海区某某小吃店", "商业企业"),
    ("浙江某某律师事务所", "法律服务机构"),
    ("瓯海区某某法律服务所", "法律服务机构"),
    ("温州市某某公证处", "法律服务机构"),
    ("中国科学院某某研究所", "科研机构"),
    ("温州大学", "科研机构"),
    ("某某环境研究中心", "科研机构"),
    ("温州市某某环保志愿者协会", "社会公益组织"),
    ("浙江省某某慈善基金会", "社会公益组织"),
    ("某某公益服务中心", "社会公益组织"),
    ("某某村股份经济合作社", "其他"),  # a village collective, not a 专业合作社
    ("某某村民委员会", "其他"),
    ("某某花园小区业主委员会", "其他"),
    ("温州市瓯海区人民医院", "其他"),
    ("瓯海区某某中学", "其他"),
    ("张三", ""),
    ("欧阳晓会", ""),  # a four-character person's name that happens to end in 会
    ("阿卜杜拉·买买提", ""),
])
def test_organisation_name_endings_map_to_the_report_column(name, column):
    assert org_rule(name)[0] == column
    assert is_org_name(name) is bool(column)


@pytest.mark.parametrize("text, kind", [
    ("公民", "自然人"), ("自然人", "自然人"), ("个人", "自然人"),
    ("法人或其他组织", "法人或其他组织"), ("法人或者其他组织", "法人或其他组织"), ("企业", "法人或其他组织"),
    ("其他", ""),
])
def test_declared_applicant_kind(text, kind):
    assert declared_kind(text) == kind


@pytest.mark.parametrize("name, code, declared, column, kind", [
    ("张三", "", "", "自然人", "自然人"),
    ("张三", "", "公民", "自然人", "自然人"),
    ("温州某某有限公司", "", "", "商业企业", "法人或其他组织"),
    ("温州某某有限公司", "", "公民", "商业企业", "法人或其他组织"),  # the name wins, with a signal
    ("", "91330304MA2H4K7P1K", "", "商业企业", "法人或其他组织"),  # the code alone is a hint
    ("某某", "31330000MD0123456R", "法人或其他组织", "法律服务机构", "法人或其他组织"),
    ("温州某某大学", "123300004700123450", "", "科研机构", "法人或其他组织"),
    ("温州某某管理处", "123300004700123450", "", "其他", "法人或其他组织"),
    ("", "123300004700123450", "", "其他", "法人或其他组织"),  # 事业单位 without a research name
    ("钱多多", "", "法人或其他组织", "其他", "法人或其他组织"),  # the tick is respected
    ("温州某某科技有限公司", "51330304MJ8765432B", "", "商业企业", "法人或其他组织"),
    # A generic ending ("…中心") says less than a 民政 registration; so does a research name.
    ("某某邻里应急互助中心", "52330304MJ87654328", "", "社会公益组织", "法人或其他组织"),
    ("某某环境研究中心", "52330304MJ87654328", "", "社会公益组织", "法人或其他组织"),
])
def test_applicant_type_from_name_code_and_declaration(name, code, declared, column, kind):
    got_kind, got_column, signals = applicant_type(name, code, declared)
    assert (got_kind, got_column) == (kind, column)
    assert got_column in APPLICANT_TYPES
    assert signals and all(isinstance(s, str) and s for s in signals)


def test_a_conflict_between_name_and_code_is_explained():
    _, _, signals = applicant_type("温州某某科技有限公司", "51330304MJ8765432B")
    assert any("不一致" in s for s in signals)


def test_a_lawyer_applying_in_own_name_is_a_natural_person_and_says_why():
    kind, column, signals = applicant_type("孙晓峰", context="本人系浙江某某律师事务所执业律师，受当事人委托")
    assert (kind, column) == ("自然人", "自然人")
    assert any("律师" in s for s in signals)
