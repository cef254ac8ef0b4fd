"""Intake: reading request files and parsing their fields, on realistic requests of every shape
(filled-in forms, Word tables, free letters, portal dumps, e-mails, GBK files, PDFs)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from rag.core.errors import BadRequestText
from rag.intake.parse import Applicant, Request, parse_request, read_request_file
from rag.core.outcomes import APPLICANT_TYPES
from tests.files import image_only_pdf, pdf_with_text

DATA = Path(__file__).parent / "data" / "intake"
ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 1, 1)


def _get(request: Request, path: str):
    obj = request
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def _parse_file(name: str) -> Request:
    return parse_request(read_request_file((DATA / name).read_bytes(), name), today=TODAY)


# ---------------------------------------------------------------- realistic requests (fixture files)

FILE_CASES = {
    # A Word 申请表 flattened row by row: citizen section filled, organisation section blank.
    "form_table_flat.txt": {
        "applicant.name": "张晓明", "applicant.id_number": "330304199001011238", "applicant.id_valid": True,
        "applicant.phone": "13857712345", "applicant.postcode": "325000", "applicant.email": "zhangxm@163.com",
        "applicant.address": "浙江省温州市瓯海区娄桥街道古岸头村12号", "applicant.applicant_type": "自然人",
        "purpose": "了解本户征地补偿标准", "delivery_form": "纸质", "delivery_method": "邮寄",
        "submitted_date": date(2024, 3, 5), "document_numbers": ("瓯政发〔2023〕45号",), "missing": (),
    },
    # label：value lines, [√] boxes, a mark written after its option, a multi-line description.
    "form_labels_ticks.txt": {
        "applicant.name": "李红", "applicant.phone": "0577-86123456", "applicant.postcode": "325014",
        "applicant.kind": "自然人", "delivery_form": "纸质", "delivery_method": "自行领取",
        "agency": "温州市瓯海区自然资源和规划局", "submitted_date": date(2024, 4, 18), "missing": (),
    },
    "letter_person.txt": {
        "applicant.name": "王建国", "applicant.id_number": "330381196507071237",
        "applicant.address": "温州市瓯海区仙岩街道竹溪村78号", "applicant.phone": "13968812345",
        "agency": "瓯海区人民政府办公室", "delivery_form": "纸质", "delivery_method": "邮寄",
        "purpose": "维护本人合法权益", "submitted_date": date(2024, 5, 20), "missing": (),
    },
    "letter_company.txt": {
        "applicant.name": "温州某某环保科技有限公司", "applicant.kind": "法人或其他组织",
        "applicant.id_type": "统一社会信用代码", "applicant.id_valid": True, "applicant.contact_person": "陈立",
        "applicant.phone": "0577-88990011", "applicant.email": "tender@mouhuanbao.com",
        "applicant.applicant_type": "商业企业", "delivery_method": "电子邮件",
        "document_numbers": ("温瓯市监处罚〔2023〕118号",), "agency": "温州市瓯海区市场监督管理局", "missing": (),
    },
    "portal_person.txt": {
        "applicant.name": "赵丽", "applicant.id_number": "11010519491231002X", "applicant.applicant_type": "自然人",
        "channel": "网络", "submitted_date": date(2024, 3, 5), "purpose": "学术研究",
        "delivery_method": "网上获取", "missing": (),
    },
    "portal_org.txt": {
        "applicant.name": "浙江某某律师事务所", "applicant.applicant_type": "法律服务机构",
        "applicant.contact_person": "周敏", "applicant.id_number": "31330000MD0123456R",
        "document_numbers": ("温瓯政复〔2023〕27号",), "submitted_date": date(2024, 7, 8), "missing": (),
    },
    "email_person.txt": {
        "applicant.name": "刘洋", "applicant.email": "liuyang1990@163.com", "applicant.phone": "13711112222",
        "channel": "电子邮件", "submitted_date": date(2024, 9, 26), "delivery_method": "电子邮件", "missing": (),
    },
    "request.eml": {
        "applicant.name": "黄晓强", "applicant.email": "hxq2024@qq.com", "channel": "电子邮件",
        "submitted_date": date(2024, 3, 5), "document_numbers": ("温瓯政发〔2024〕8号",), "missing": (),
    },
    "gbk_letter.gbk.txt": {
        "applicant.name": "林小燕", "applicant.address": "温州市瓯海区新桥街道金竹路56号",
        "document_numbers": ("瓯卫发〔2023〕12号",), "delivery_method": "邮寄", "missing": (),
    },
    "lawyer_personal.txt": {
        "applicant.name": "孙晓峰", "applicant.kind": "自然人", "applicant.applicant_type": "自然人",
        "applicant.email": "sunxf@law.cn", "delivery_method": "电子邮件", "missing": (),
    },
    "ngo.txt": {
        "applicant.name": "温州市某某环保志愿者协会", "applicant.applicant_type": "社会公益组织",
        "applicant.contact_person": "吴芳", "delivery_method": "电子邮件", "missing": (),
    },
    "university.txt": {
        "applicant.name": "温州某某大学公共管理学院", "applicant.applicant_type": "科研机构",
        "applicant.contact_person": "郑教授", "applicant.email": "zheng@wzu.edu.cn", "missing": (),
    },
    "village_collective.txt": {
        "applicant.name": "瓯海区某某村股份经济合作社", "applicant.applicant_type": "其他",
        "applicant.contact_person": "黄德胜", "agency": "温州市瓯海区住房和城乡建设局", "missing": (),
    },
    "owners_committee.txt": {
        "applicant.name": "温州市瓯海区某某花园小区业主委员会", "applicant.applicant_type": "其他",
        "applicant.contact_person": "徐志强", "delivery_form": "纸质", "delivery_method": "自行领取",
        "missing": ("身份证明",),
    },
    "individual_business.txt": {
        "applicant.name": "瓯海区某某小吃店", "applicant.applicant_type": "商业企业",
        "applicant.contact_person": "叶长青", "delivery_method": "电子邮件", "missing": (),
    },
    "org_tick_unknown.txt": {
        "applicant.name": "温州某某文化传播", "applicant.kind": "法人或其他组织", "applicant.applicant_type": "其他",
        "submitted_date": date(2025, 1, 6), "missing": ("身份证明",),
    },
    "oral_record.txt": {
        "applicant.name": "潘阿香", "channel": "当面", "delivery_method": "当场阅读、抄录",
        "submitted_date": date(2025, 10, 9), "missing": (),
    },
    "passport.txt": {
        "applicant.name": "John Smith", "applicant.id_type": "护照", "applicant.id_number": "E12345678",
        "applicant.id_valid": None, "applicant.email": "john.smith@example.com", "submitted_date": date(2025, 2, 14),
    },
    # The applicant's own number is labelled; the father's number inside the description is not theirs.
    "third_party_id.txt": {
        "applicant.name": "陈国栋", "applicant.id_number": "330381196507071237",
        "document_numbers": ("瓯土资〔2009〕第216号",), "missing": (),
    },
    "bad_check_char.txt": {
        "applicant.name": "吴小平", "applicant.id_valid": False, "missing": (),
    },
    # Another province's form: "通信地址及邮编" in one field, a 光盘 carrier, a zero-padded date.
    "form_other_province.txt": {
        "applicant.name": "周大勇", "applicant.address": "温州市瓯海区娄桥街道下汇村5号", "applicant.postcode": "325000",
        "delivery_form": "光盘", "delivery_method": "邮寄", "submitted_date": date(2024, 3, 5), "missing": (),
    },
    # "尊敬的领导" letter: the description stops where the delivery wishes begin.
    "letter_respected_leader.txt": {
        "applicant.name": "陈某某", "description": "老殿村2022年宅基地分配方案及审批名单",
        "applicant.address": "瓯海区梧田街道老殿村3组18号", "delivery_method": "邮寄", "submitted_date": date(2024, 3, 5),
    },
    # An e-mail pasted from Outlook: English headers, the US date format, "发我邮箱".
    "email_outlook_pasted.txt": {
        "applicant.name": "王磊", "applicant.email": "wanglei@foxmail.com", "applicant.phone": "13700001234",
        "channel": "电子邮件", "submitted_date": date(2024, 3, 4), "purpose": "撰写毕业论文",
        "delivery_method": "电子邮件", "missing": (),
    },
    "community_committee.txt": {
        "applicant.name": "温州市瓯海区某某街道某某社区居民委员会", "applicant.applicant_type": "其他",
        "applicant.contact_person": "叶主任", "document_numbers": ("瓯财社〔2023〕45号", "瓯民〔2023〕12号"),
        "submitted_date": date(2024, 8, 12), "missing": ("身份证明",),
    },
    # A masked number proves nothing: 身份证明 is missing and the clerk is told why.
    "masked_id_two_applicants.txt": {
        "applicant.id_number": "", "applicant.phone": "", "missing": ("身份证明",),
        "notes": ("证件号码被部分隐去（含*），无法核验身份，请要求补正",),
    },
    "portal_enterprise_tick.txt": {
        "applicant.name": "温州某某鞋业有限公司", "applicant.applicant_type": "商业企业", "applicant.contact_person": "蔡先生",
        "description": "瓯海区2024年第一批工业企业技术改造补助资金拟补助项目公示", "delivery_form": "电子", "missing": (),
    },
    "letter_numbered_items.txt": {
        "applicant.name": "林某", "delivery_method": "自行领取", "agency": "瓯海区人民政府",
        "submitted_date": date(2025, 12, 1), "missing": ("身份证明",),
    },
    "portal_lawfirm_contact.txt": {
        "applicant.name": "温州市某某律师事务所", "applicant.applicant_type": "法律服务机构",
        "applicant.contact_person": "赵助理", "applicant.phone": "13911112222", "applicant.email": "zhao@law.com",
        "description": "瓯海区某某镇2018年某某村民房屋拆除的行政强制执行决定书", "submitted_date": date(2024, 7, 1),
    },
    "one_paragraph_clauses.txt": {
        "applicant.name": "刘某", "applicant.id_number": "440301197511053013", "applicant.phone": "13511112222",
        "applicant.address": "温州市瓯海区茶山街道某某路8号", "delivery_form": "纸质", "delivery_method": "邮寄",
        "description": "瓯海区茶山街道2023年度城中村改造项目房屋征收补偿方案", "missing": (),
    },
    # Labels and values separated by spaces only; a date inside the description is not the request date.
    "form_spaced_labels.txt": {
        "applicant.name": "张三丰", "applicant.id_number": "330304199001011238", "applicant.phone": "13512345678",
        "delivery_method": "邮寄", "submitted_date": None, "missing": (),
    },
    # Text copied out of a PDF form: every label and value on a line of its own.
    "form_label_value_lines.txt": {
        "applicant.name": "黎明", "applicant.email": "liming@qq.com", "description": "瓯海区2024年城市绿化养护合同",
        "delivery_method": "电子邮件", "missing": (),
    },
    # An anonymous note with no contact at all: 联系方式 is what is missing; a letter silent on the way
    # of delivery lets the office choose it (第四十条), so 获取方式 is not listed on its own.
    "incomplete.txt": {
        "applicant.name": "", "description": "",
        "missing": ("姓名或名称", "身份证明", "联系方式", "所需信息描述"),
    },
    # A long letter in everyday words: "我想看一下……", "请寄到上面的地址，我自己来拿也行".
    "long_letter_everyday.txt": {
        "applicant.name": "顾雪芬", "applicant.id_valid": True, "applicant.address": "昆山市玉山镇朝阳新村21幢403室",
        "delivery_method": "邮寄、自行领取", "submitted_date": date(2025, 6, 3), "missing": (),
    },
    # A long letter whose description is present but names nothing searchable: the parser finds it,
    # triage's vague check (test below) flags it.
    "long_letter_vague.txt": {
        "applicant.name": "邵建国", "applicant.phone": "15864211937", "delivery_method": "邮寄",
        "description": "跟我们村土地有关的所有材料，上面批的下面办的都要，越全越好", "missing": (),
    },
}


@pytest.mark.parametrize("name, expected", list(FILE_CASES.items()), ids=list(FILE_CASES))
def test_realistic_request_files_parse_into_the_right_fields(name, expected):
    request = _parse_file(name)
    got = {path: _get(request, path) for path in expected}
    assert got == expected
    assert request.applicant.applicant_type in APPLICANT_TYPES


@pytest.mark.parametrize("name, words", [
    ("form_table_flat.txt", ["古岸头村集体土地征收补偿安置方案", "瓯政发〔2023〕45号"]),
    ("form_labels_ticks.txt", ["宅基地审批台账", "拆除通知书的文号"]),  # both numbered lines
    ("letter_person.txt", ["旧村改造项目的立项批复文件", "安置补偿方案及审批文件"]),
    ("letter_company.txt", ["行政处罚决定书"]),
    ("email_person.txt", ["民生实事"]),
    ("university.txt", ["学校布局调整规划"]),
])
def test_the_description_keeps_what_the_applicant_asks_for(name, words):
    description = _parse_file(name).description
    assert all(w in description for w in words)
    assert "身份证" not in description and "联系电话" not in description


def test_type_signals_say_why_an_organisation_got_its_column():
    applicant = _parse_file("portal_org.txt").applicant
    assert any("律师事务所" in s for s in applicant.type_signals)
    assert any("31" in s for s in applicant.type_signals)


def test_invalid_check_character_is_noted_for_the_clerk():
    request = _parse_file("bad_check_char.txt")
    assert any("校验位不符" in n for n in request.notes)


# ---------------------------------------------------------------- more shapes, inline

INLINE_CASES = [
    # An organisation declared by its name although the portal says 公民: the name wins, with a signal.
    ("申请人类型：公民\n申请人：温州某某建筑设计研究院有限公司\n联系电话：0577-88112233\n"
     "所需信息：瓯海区2023年政府投资项目招标公告\n获取方式：电子邮件\n邮箱：bid@design.cn",
     {"applicant.name": "温州某某建筑设计研究院有限公司", "applicant.applicant_type": "商业企业",
      "delivery_method": "电子邮件", "missing": ("身份证明",)}),
    ("中国科学院某某研究所：\n申请单位：中国科学院某某研究所\n联系人：马研\n电话：010-62345678\n"
     "申请公开的政府信息：瓯海区2022年地下水监测数据\n获取方式：电子邮件\n电子邮箱：ma@ias.ac.cn\n营业执照复印件附后",
     {"applicant.applicant_type": "科研机构", "applicant.contact_person": "马研", "missing": (),
      "notes": ("身份证明以附件（复印件）形式提供，请核对附件",)}),
    ("申请人：浙江省某某慈善基金会\n统一社会信用代码：53330304MJ8765432B\n联系电话：13900001111\n"
     "申请内容：瓯海区2024年慈善捐赠款物使用情况\n获取方式：自行领取",
     {"applicant.applicant_type": "社会公益组织", "applicant.id_type": "统一社会信用代码"}),
    # An e-mail whose identity proof is attached, not typed.
    ("发件人：何静 <hejing@126.com>\n主题：信息公开申请\n\n本人何静，身份证复印件见附件。"
     "申请公开瓯海区2024年义务教育入学政策。请回复至本邮箱。",
     {"applicant.name": "何静", "channel": "电子邮件", "missing": ()}),
    # 邮寄 chosen, no address, but a phone: the office rings for the address (no 补正 item for it).
    ("姓名：方晓\n电话：13566778899\n所需信息：娄桥街道2023年拆违台账\n获取方式：邮寄√ 电子邮件\n"
     "二〇二四年十二月三十一日",
     {"submitted_date": date(2024, 12, 31), "delivery_method": "邮寄", "missing": ("身份证明",)}),
    ("姓名：高远\n身份证号：110105491231002\n电话：13500001111\n申请公开：国办发[2019]60号和浙政办发（2020）3号文件\n"
     "获取方式：自行领取\n申请日期：2024/3/5",
     {"applicant.id_valid": True, "submitted_date": date(2024, 3, 5),
      "document_numbers": ("国办发[2019]60号", "浙政办发（2020）3号")}),
    ("获取信息的方式 | ■邮寄 | □电子邮件 | □自行领取\n申请人姓名 | 谢敏 | 联系电话 | 13800002222\n"
     "通信地址 | 温州市瓯海区潘桥街道1号\n所需信息的名称 | 《中华人民共和国政府信息公开条例》（国务院令第711号）执行情况\n"
     "申请时间 | 3月5日",
     {"delivery_method": "邮寄", "applicant.name": "谢敏", "document_numbers": ("国务院令第711号",),
      "submitted_date": date(2025, 3, 5)}),
    ("申请人类型：(√)公民 ( )法人或其他组织\n姓名：邓兰\n证件号码：330302198812120043\n联系电话：13611112222\n"
     "申请方式：传真\n所需信息：瓯海区2023年河道整治工程验收报告\n提供方式：纸质\n获取方式：自行领取",
     {"applicant.kind": "自然人", "channel": "传真", "delivery_form": "纸质", "missing": ()}),
    ("申请方式：信函（平信）\n姓名：彭涛\n地址：温州市瓯海区郭溪街道2号\n所需信息：郭溪街道2024年征迁公告\n"
     "获取方式：邮寄",
     {"channel": "平信", "missing": ("身份证明",)}),
    ("温州市瓯海区财政局：\n    我叫曾小梅，电话15888889999，现申请贵局公开2024年瓯海区一般公共预算支出决算表。"
     "资料请寄到温州市瓯海区三垟街道瓯海大道1号。\n曾小梅\n2025年4月1日",
     {"applicant.name": "曾小梅", "applicant.address": "温州市瓯海区三垟街道瓯海大道1号", "delivery_method": "邮寄",
      "agency": "温州市瓯海区财政局", "submitted_date": date(2025, 4, 1), "missing": ("身份证明",)}),
    # Full-width digits, as typed with a Chinese input method.
    ("姓名：白洁\n身份证号：３３０３０４１９９００１０１１２３８\n手机：１３９０５７７１２３４\n"
     "申请公开：瓯海区２０２４年人才公寓分配名单\n获取方式：电子邮件\n邮箱：ｂａｉｊｉｅ＠１６３．ｃｏｍ",
     {"applicant.id_number": "330304199001011238", "applicant.phone": "13905771234",
      "applicant.email": "baijie@163.com", "missing": ()}),
    # A name written just before its identity number, after a role word.
    ("瓯海区农业农村局：\n我是丽岙街道某村村民洪文彬（身份证号330381196507071237）。隔壁家2024年批了宅基地，"
     "申请公开该宅基地的审批表。请邮寄：温州市瓯海区丽岙街道某村5号。\n2025年3月1日",
     {"applicant.name": "洪文彬", "applicant.applicant_type": "自然人", "missing": ()}),
    # A villager's "我村" is not the applicant speaking for the village collective.
    ("我是某村村民崔某（身份证330381196507071237，电话13505771234）。我村股份经济合作社每年分红从不公布。"
     "申请公开：某村股份经济合作社2023年度收益分配方案。请邮寄：温州市瓯海区某村214号。",
     {"applicant.name": "崔某", "applicant.kind": "自然人", "applicant.applicant_type": "自然人"}),
    # An organisation named just before its credit code, in prose; the code says 事业单位 near 大学.
    ("云岩区教育局：\n贵州某某大学教育政策研究中心（统一社会信用代码123300004700123450）申请公开：2022—2024年学区划片方案。\n"
     "联系人：冉老师 0851-86713592，邮箱 ran@gz.edu.cn\n请通过电子邮件发送。",
     {"applicant.name": "贵州某某大学教育政策研究中心", "applicant.applicant_type": "科研机构",
      "applicant.id_number": "123300004700123450", "applicant.contact_person": "冉老师", "missing": ()}),
    ("本店（雁塔区某某面馆，个体工商户，统一社会信用代码92330304MA2AB3CD4C）申请公开今年商业燃气调价的批复文件。\n"
     "经营者：袁某　电话：13709183526\n请邮寄至西安市雁塔区某路1号。",
     {"applicant.name": "雁塔区某某面馆", "applicant.applicant_type": "商业企业", "applicant.contact_person": "袁某"}),
    ("铜陵市生态环境局：\n铜陵市江豚守护环保志愿服务队申请公开：铜陵市2024年土壤污染重点监管单位名录。请以纸质件邮寄。",
     {"applicant.name": "铜陵市江豚守护环保志愿服务队", "applicant.applicant_type": "社会公益组织",
      "missing": ("身份证明", "联系方式", "邮寄地址")}),
    # The contact person's ID card is not the organisation's identity: its credit code is.
    ("西安市人民防空办公室：\n西安市雁塔区邻里守望应急互助中心（统一社会信用代码52330304MJ87654328）申请公开以下信息：\n"
     "1．西安市城区人防工程分布图。\n联系人：贾某，身份证330381196507071237，电话13700001111\n获取方式：电子邮件 jia@hz.org",
     {"applicant.id_type": "统一社会信用代码", "applicant.id_number": "52330304MJ87654328",
      "applicant.applicant_type": "社会公益组织", "applicant.contact_person": "贾某"}),
    # The organisation section of the form is filled, the citizen section left blank.
    ("公民 | 姓名 | | 证件号码 |\n法人或其他组织 | 名称 | 温州某某物业管理有限公司 | 统一社会信用代码 | 91330304MA2H4K7P1K\n"
     " | 法定代表人 | 林总 | 联系人 | 王经理 | 联系电话 | 0577-86000000\n"
     "所需政府信息的名称、文号或者便于行政机关查询的其他特征性描述 | 2024年物业服务企业信用评价结果\n"
     "获取信息的方式 | ☑电子邮件\n电子邮箱 | pm@wy.com",
     {"applicant.name": "温州某某物业管理有限公司", "applicant.contact_person": "王经理",
      "applicant.applicant_type": "商业企业", "description": "2024年物业服务企业信用评价结果", "missing": ()}),
]


@pytest.mark.parametrize("text, expected", INLINE_CASES, ids=[f"inline{i}" for i in range(len(INLINE_CASES))])
def test_more_request_shapes_parse_into_the_right_fields(text, expected):
    request = parse_request(text, today=date(2025, 6, 1))
    assert {path: _get(request, path) for path in expected} == expected


# ---------------------------------------------------------------- completeness on everyday wording

# Short complete requests as they arrive by WeChat, portal, window and letter: nothing is missing.
COMPLETE_CASES = {
    "mail_by_bare_ji": (
        "张家港市教育局：我叫蒋文斌，身份证32058319790312451X，电话13915628834。申请公开贵局《张家港市2025年"
        "义务教育学校招生工作意见》，请寄张家港市杨舍镇暨阳湖花园9幢1102室。",
        {"delivery_method": "邮寄", "applicant.address": "张家港市杨舍镇暨阳湖花园9幢1102室"}),
    "mail_to_without_verb_object": (
        "留言转录：柴立新，身份证41010519851120302X，手机13703817746，要金水区2025年老旧小区改造计划表，"
        "寄到郑州市金水区经三路68号院5号楼。",
        {"delivery_method": "邮寄", "description": "金水区2025年老旧小区改造计划表"}),
    "send_to_my_mailbox": (
        "道外区民政局：我是曲凤霞，身份证230103196209051816，电话13845107721，申请贵局2025年城乡低保标准调整的通知，"
        "发我邮箱qufx62@163.com。",
        {"delivery_method": "电子邮件", "applicant.email": "qufx62@163.com",
         "description": "2025年城乡低保标准调整的通知"}),
    "please_send_email_to": (
        "乌鲁木齐市天山区卫生健康委员会：新疆某某健康管理有限公司（统一社会信用代码91440300MA5G8N3D2B）"
        "申请公开贵委2024年医疗机构校验结果公告。联系人：热合曼，13999287705，请发电子邮件至hm_health@126.com。",
        {"applicant.name": "新疆某某健康管理有限公司", "delivery_method": "电子邮件"}),
    "fetch_at_the_window": (
        "窗口登记：申请人阿依古丽（650102198804173624，电话13899811256）要求公开天山区2025年公租房轮候名单，"
        "纸质件到窗口取。",
        {"applicant.name": "阿依古丽", "delivery_form": "纸质", "delivery_method": "自行领取"}),
    "i_come_and_get_it": (
        "成华区住建局：申请人于德水（身份证51012219700101091X，电话13608012264），要《成华区2025年城市更新项目清单》，"
        "我自己来拿。",
        {"applicant.name": "于德水", "description": "《成华区2025年城市更新项目清单》", "delivery_method": "自行领取"}),
    "bar_separated_note": (
        "岑秀珍｜身份证440304199308087128｜13760311582｜申请：福田区2025年人才住房配售房源公告｜邮箱cxz0808@qq.com",
        {"applicant.name": "岑秀珍", "description": "福田区2025年人才住房配售房源公告"}),
    "portal_short_labels": (
        "姓名：鲍国庆｜证件：370202196602281538｜电话：15853206647｜内容：市南区2025年道路大修计划｜获取：邮件bgq66@sina.com",
        {"description": "市南区2025年道路大修计划", "delivery_method": "电子邮件"}),
    "spaced_labels_and_a_title_with_a_year": (
        "姓名 桂晓东｜身份证 41010519851120302X｜电话 13838255109\n所需信息 2025年二七区退役军人优待证办理指南\n"
        "获取 ☑自行领取",
        {"applicant.name": "桂晓东", "description": "2025年二七区退役军人优待证办理指南",
         "delivery_method": "自行领取"}),
    "bracket_labels": (
        "在线表单\n[单位名称] 苏州某某电子科技有限公司\n[信用代码] 91320583MA1X7K2P44\n[联系人] 陆敏 0512-57663321\n"
        "[申请内容] 昆山市2025年工业企业技术改造补助项目名单\n[获取方式] 电子邮件 lumin@kskj.cn",
        {"applicant.name": "苏州某某电子科技有限公司", "description": "昆山市2025年工业企业技术改造补助项目名单"}),
    "ruled_form_blanks": (
        "申请人姓名______廖秋菊______\n身份证号码______440304199308087128______\n联系电话______13510623397______\n"
        "所需信息______南山区2025年学位补贴发放标准______\n获取方式______电子邮件 lqj@163.com______",
        {"applicant.name": "廖秋菊", "description": "南山区2025年学位补贴发放标准", "delivery_method": "电子邮件"}),
    "form_sections_under_headers": (
        "——申请人信息——\n单位名称：济南某某养老服务中心\n统一社会信用代码：52370202MJ0Q4H7T1X\n联系人：宫丽 0531-88012345\n"
        "——所需信息——\n名称：历下区2025年养老机构运营补贴发放结果\n——提供方式——\n电子邮件\n电子邮箱：gongli@jnyl.org",
        {"applicant.name": "济南某某养老服务中心", "description": "历下区2025年养老机构运营补贴发放结果",
         "delivery_method": "电子邮件"}),
    "organisation_before_a_bare_code": (
        "苏州某某环境发展中心（51320500MJ7R2W8X65）申请公开姑苏区2024年重点排污单位名录。联系人：过文清，18915502231，"
        "请发guowq@szhj.org。",
        {"applicant.name": "苏州某某环境发展中心", "applicant.applicant_type": "社会公益组织"}),
    "request_to_a_named_office": (
        "梁溪区某某街道办事处：\n    本人郁春华（身份证370202196602281538），想了解小区加装电梯的补贴。申请街道公开"
        "2025年加装电梯补贴资金发放名单。\n    电话：13812261190，地址：无锡市梁溪区清扬路8号。",
        {"description": "2025年加装电梯补贴资金发放名单"}),
    "i_want_a_copy_of": (
        "西湖区水利局：你好，我想要一份西湖区2025年小型水库安全鉴定结果。申请人：洪丽娟（440304199308087128）"
        "电话：13588021176　地址：杭州市西湖区转塘街道某村12号",
        {"description": "西湖区2025年小型水库安全鉴定结果"}),
}


@pytest.mark.parametrize("text, expected", list(COMPLETE_CASES.values()), ids=list(COMPLETE_CASES))
def test_short_complete_requests_in_everyday_words_miss_nothing(text, expected):
    request = parse_request(text, today=date(2025, 6, 1))
    assert request.missing == ()
    assert {path: _get(request, path) for path in expected} == expected


# What a 补正 notice would ask for: each text leaves out one thing, or says it in a way that cannot be used.
INCOMPLETE_CASES = {
    # 获取方式 asked on the form and left open (答复规范一（一）3)
    "delivery_field_not_chosen": (
        "姓名：冯丽\n证件号码：230103196209051816\n手机：13945011276\n所需信息内容描述：南岗区2025年供热收费标准\n"
        "信息载体形式：（未选）\n获取方式：（未选）", ("获取方式",)),
    "every_box_ticked": (
        "申请人：钟慧敏　身份证：440304199308087128　电话：13723415506\n通讯地址：深圳市福田区某某路1号\n"
        "所需信息：福田区2025年学位房认定办法\n获取方式：☑邮寄 ☑电子邮件 ☑自行领取\n电子邮箱：（空）", ("获取方式",)),
    "wechat_only": (
        "铜山区民政局：你好，我申请公开铜山区2025年高龄津贴发放标准的文件，弄好了发我微信就行。\n"
        "申请人：韦长生　32058319790312451X\n手机：15862150937", ("获取方式",)),
    "clerk_notes_no_choice": (
        "来访登记\n来访人：郑大勇，身份证370202196602281538，电话13905321147\n"
        "诉求：要市北区2025年棚户区改造征收补偿方案。未说明要纸质还是电子，也未说明如何领取。", ("获取方式",)),
    # 江苏答复规范一（二）1: 邮寄 chosen, no address and no phone to ask for it
    "mail_without_address_or_phone": (
        "申请人：吕晓兰\n身份证号：41010519851120302X\n电子邮箱：\n所需信息：中原区2025年城中村改造计划\n获取方式：邮寄",
        ("联系方式", "邮寄地址")),
    "address_field_left_as_see_id_card": (
        "申请人：巫桂芳\n证件号码：650102198804173624\n联系电话：13899902117\n通讯地址：同身份证地址\n"
        "所需信息：沙依巴克区2025年保障性住房分配方案\n获取方式：邮寄", ("邮寄地址",)),
    "e_mail_chosen_field_blank": (
        "申请人：陶建华　身份证：51012219700101091X　电话：13980011645\n所需信息：金牛区2025年义务教育划片范围\n"
        "获取方式：☑电子邮件\n电子邮箱：（空）", ("电子邮箱",)),
    # 身份证明: 17 digits are no 居民身份证 number
    "id_number_one_digit_short": (
        "申请人：靳红梅\n身份证号：41010519851120302\n电话：13783541260\n地址：郑州市管城区某某街9号\n"
        "所需信息：管城区2025年公益性岗位招聘公告\n获取方式：邮寄", ("身份证明",)),
    # 姓名: a nickname in the From header is no name
    "nickname_sender": (
        "发件人：山间清风 <sjqf2025@163.com>\n主题：申请公开\n\n请公开江宁区2025年农村公路建设计划，用电子邮件回复。",
        ("姓名或名称", "身份证明")),
    # 所需信息描述: a question is not a description of information
    "question_not_a_request": (
        "领导好，我叫闫守成，身份证230103196209051816，电话13845028876，家住道里区某某街3号。我想知道为什么我家的"
        "补偿比邻居少，请给个说法。", ("所需信息描述",)),
}


@pytest.mark.parametrize("text, missing", list(INCOMPLETE_CASES.values()), ids=list(INCOMPLETE_CASES))
def test_the_missing_items_are_the_ones_a_correction_notice_asks_for(text, missing):
    assert parse_request(text, today=date(2025, 6, 1)).missing == missing


@pytest.mark.parametrize("text, method", [
    ("……骨灰寄存在某某公墓，请公开寄存收费标准。", ""),  # 寄存 is no mailing
    ("……补偿款到现在只拿到一半，请公开补偿标准。", ""),  # 拿到 is no collecting
    ("……请公开该批复，我们派人来取。", "自行领取"),
    ("……请公开该批复，寄回给我。", "邮寄"),
    ("……请公开该批复，电子版请发 abc_1990@qq.com。", "电子邮件"),
])
def test_delivery_words_are_read_in_context(text, method):
    assert parse_request("姓名：石磊\n" + text).delivery_method == method


@pytest.mark.parametrize("text, name", [
    ("本人于近日向贵局申请公开2025年低保标准。电话13800001111", ""),  # 于近日 is a date, not a name
    ("我是某村村民阿布都（身份证650102198804173624），申请公开……", "阿布都"),  # a role word, no listed surname
    ("申请人刘某某于2024年3月来信申请公开……", "刘某某"),
])
def test_names_after_particles_and_role_words(text, name):
    assert parse_request(text).applicant.name == name


def test_a_vague_description_in_a_long_letter_is_what_triage_reads_as_vague():
    from rag.triage.patterns import vague_description

    everyday = _parse_file("long_letter_everyday.txt").description
    vague = _parse_file("long_letter_vague.txt").description
    assert vague_description(vague) and not vague_description(everyday)


@pytest.mark.parametrize("text, year_known", [("申请时间：3月5日", False), ("申请时间：2024年3月5日", True)])
def test_a_date_without_a_year_needs_today(text, year_known):
    request = parse_request("姓名：张三\n" + text)
    assert (request.submitted_date is not None) is year_known


def test_a_future_date_is_noted():
    request = parse_request("姓名：张三\n申请日期：2030年1月1日", today=date(2025, 1, 1))
    assert any("晚于今天" in n for n in request.notes)


def test_to_json_carries_the_contract_keys():
    data = _parse_file("letter_company.txt").to_json()
    json.dumps(data, ensure_ascii=False)
    assert {"name", "id_number", "phone", "address"} <= set(data["applicant"])
    assert data["applicant"]["applicant_type"] == "商业企业"
    assert data["submitted_date"] == "2024-06-03"
    assert isinstance(Applicant().to_json()["type_signals"], list)


@pytest.mark.parametrize("text", ["", "   \n\t ", "12345 67890 ……", "\x00\x01\x02abc\x03\x04\x05\x06"])
def test_unusable_text_is_a_clear_error(text):
    with pytest.raises(BadRequestText):
        parse_request(text)


# ---------------------------------------------------------------- reading files

def _docx_with_table() -> bytes:
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    doc = Document()
    doc.add_paragraph("政府信息公开申请表")
    table = doc.add_table(rows=4, cols=4)
    rows = [["申请人姓名", "张三", "证件号码", "330304199001011238"],
            ["联系电话", "13857712345", "通信地址", "温州市瓯海区娄桥街道1号"],
            ["所需信息内容描述", "瓯海区2023年征地补偿方案", "", ""],
            ["申请时间", "2024年3月5日", "", ""]]
    for row, values in zip(table.rows, rows):
        for cell, value in zip(row.cells, values):
            cell.text = value
    table.cell(2, 1).merge(table.cell(2, 3))
    p = doc.add_paragraph("获取方式：")
    for char, label in (("F0FE", "邮寄 "), ("F0A8", "电子邮件")):  # Wingdings ☑ and □, as Word inserts them
        sym = OxmlElement("w:sym")
        sym.set(qn("w:font"), "Wingdings")
        sym.set(qn("w:char"), char)
        p.add_run()._r.append(sym)
        p.add_run(label)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_a_word_table_is_read_cell_by_cell_and_parsed():
    text = read_request_file(_docx_with_table(), "申请表.docx")
    assert "申请人姓名 | 张三 | 证件号码 | 330304199001011238" in text
    assert "☑邮寄 □电子邮件" in text  # Wingdings tick boxes become characters
    request = parse_request(text)
    assert (request.applicant.name, request.applicant.phone, request.delivery_method) == ("张三", "13857712345", "邮寄")
    assert request.description == "瓯海区2023年征地补偿方案"
    assert request.submitted_date == date(2024, 3, 5)


def test_a_docx_renamed_to_doc_is_still_read():
    assert "申请人姓名 | 张三" in read_request_file(_docx_with_table(), "申请表.doc")


def test_a_word_file_holding_only_a_picture_says_so():
    from docx import Document

    out = io.BytesIO()
    Document().save(out)
    with pytest.raises(BadRequestText, match="没有文字"):
        read_request_file(out.getvalue(), "扫描件.docx")


def test_a_pdf_text_layer_is_read():
    pdf = pdf_with_text(["申请人：王五", "身份证号：11010519491231002X", "申请公开瓯海区2023年财政预算执行情况。"])
    request = parse_request(read_request_file(pdf, "scan.pdf"))
    assert request.applicant.name == "王五"
    assert request.applicant.id_valid is True
    assert "财政预算" in request.description


@pytest.mark.parametrize("data, filename, message", [
    (b"", "a.txt", "文件为空"),
    (image_only_pdf(), "申请.pdf", "PDF 没有文字层（可能是扫描件），请粘贴文字或上传文字版"),
    (b"%PDF-1.4\n garbage without objects", "broken.pdf", "PDF"),
    (b"PK\x03\x04 not really a zip", "申请.docx", "Word 文件已损坏或不是 .docx"),
    (b"just some text", "申请.docx", "Word 文件已损坏或不是 .docx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "申请.doc", ".docx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "", ".docx"),
    (b"{\\rtf1\\ansi hello}", "申请.doc", ".docx"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "photo.png", "图片"),
    (bytes(range(256)) * 8, "data.txt", "二进制"),
    (b"abc\xffdef\xff\xfe\xfd", "a.txt", "编码"),
    ("申请".encode() * (1024 * 1024 + 1), "big.txt", "过大"),
    ("！？。，".encode() * 10, "a.txt", "没有可识别的文字"),
    (b"x" * 10, "sheet.xlsx", ".xlsx"),
])
def test_unusable_files_give_a_clear_chinese_message(data, filename, message):
    with pytest.raises(BadRequestText) as caught:
        read_request_file(data, filename)
    assert message in caught.value.chinese()


def _rezip(docx: bytes, replace: dict[str, bytes | None]) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            if item.filename in replace:
                if replace[item.filename] is not None:
                    dst.writestr(item.filename, replace[item.filename])
            else:
                dst.writestr(item, src.read(item.filename))
    return out.getvalue()


@pytest.mark.parametrize("damage", [
    {"word/document.xml": b"<w:document xmlns:w='x'><w:body><w:p>"},  # cut off mid-file
    {"word/document.xml": None},  # the main part is missing
    {"[Content_Types].xml": b"<Types/>"},  # no content types
])
def test_a_damaged_word_file_is_reported_not_crashed(damage):
    with pytest.raises(BadRequestText, match="Word 文件已损坏"):
        read_request_file(_rezip(_docx_with_table(), damage), "x.docx")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_text_files_in_common_encodings_are_decoded(encoding):
    text = "姓名：张三\n申请公开：瓯海区2024年财政预算"
    assert read_request_file(text.encode(encoding), "申请.txt") == text


def test_a_pasted_email_saved_as_eml_reads_its_headers():
    text = read_request_file((DATA / "request.eml").read_bytes(), "request.eml")
    assert text.startswith("发件人：")
    assert "黄晓强" in text and "主题：政府信息公开申请" in text


def test_heavy_readers_are_imported_only_when_needed():
    code = "import sys, rag.intake.parse; print('docx' in sys.modules, 'pypdf' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_parsing_is_fast_enough_for_the_triage_budget():
    texts = [read_request_file((DATA / n).read_bytes(), n) for n in FILE_CASES]
    parse_request(texts[0])  # warm-up
    timings = []
    for text in texts * 5:
        start = time.perf_counter()
        parse_request(text)
        timings.append(time.perf_counter() - start)
    timings.sort()
    assert timings[int(len(timings) * 0.95)] < 0.02  # 20 ms p95: a fifth of the triage budget
