"""The personal-data scanner: what it finds, what it leaves alone, how it redacts."""

from __future__ import annotations

import pytest

from rag.letters.privacy import ADDRESS, BANK_CARD, EMAIL, ID_NUMBER, LANDLINE, MOBILE, redact, scan

_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _id(first17: str) -> str:
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, _W)) % 11]


def _luhn(prefix: str) -> str:
    for last in "0123456789":
        digits = prefix + last
        total = sum((d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 else d
                    for i, d in enumerate(int(c) for c in reversed(digits)))
        if total % 10 == 0:
            return digits
    raise AssertionError


ID = _id("33030419900101123")  # 330304199001011238
ID_X = _id("11010519491231002")  # ends in X
CARD = _luhn("622202123456789012")  # 19 digits, Luhn-valid
USCC = "91330304MA2AY8X73C"


@pytest.mark.parametrize(("text", "kind", "value"), [
    (f"身份证号码：{ID}", ID_NUMBER, ID),
    (f"公民身份号码{ID_X}，", ID_NUMBER, ID_X),
    ("旧身份证330304900101123。", ID_NUMBER, "330304900101123"),
    ("手机13812345678", MOBILE, "13812345678"),
    ("手机：138 1234 5678。", MOBILE, "138 1234 5678"),
    ("电话 0577-88881234", LANDLINE, "0577-88881234"),
    ("电话（0577）88881234转123", LANDLINE, "（0577）88881234转123"),
    ("联系电话：88881234", LANDLINE, "88881234"),
    ("邮箱 wang.wu@example.com。", EMAIL, "wang.wu@example.com"),
    (f"开户账号{CARD}", BANK_CARD, CARD),
    ("住浙江省温州市瓯海区娄桥街道古岸头村3组15号，", ADDRESS, "浙江省温州市瓯海区娄桥街道古岸头村3组15号"),
    ("家住瓯海大道123号5幢1801室", ADDRESS, "瓯海大道123号5幢1801室"),
    ("住所：温州市鹿城区人民路88号", ADDRESS, "温州市鹿城区人民路88号"),
    ("位于阳光花园3幢2单元301室", ADDRESS, "阳光花园3幢2单元301室"),
    ("住下垟村五组", ADDRESS, "下垟村五组"),
])
def test_scan_finds_personal_data(text, kind, value):
    findings = scan(text)
    assert [(f.kind, f.value) for f in findings] == [(kind, value)]
    assert text[findings[0].start:findings[0].end] == value


@pytest.mark.parametrize("text", [
    f"统一社会信用代码：{USCC}",  # an organisation's public number
    "瓯政办公开〔2024〕12号",
    "本机关于2024年3月5日收到申请，2024-03-20答复",
    "根据第三十六条第（三）项，应缴金额为人民币3000元，共35页",
    "娄桥街道办事处；瓯海区人民政府；温州市瓯海区",  # places without a house are not addresses
    "本机关将于20个工作日内答复，申请件数12件",
    "订单号12345678901234",  # 14 digits: no pattern
])
def test_scan_leaves_non_personal_text_alone(text):
    assert scan(text) == ()


def test_allowed_identifiers_are_kept_whatever_their_spacing():
    text = f"申请人身份证{ID}，电话138-1234-5678；第三方电话13900001111"
    findings = scan(text, allowed=(ID, "13812345678"))
    assert [(f.kind, f.value) for f in findings] == [(MOBILE, "13900001111")]


def test_redact_replaces_each_finding_with_a_visible_marker():
    text = f"王五，身份证{ID}，住瓯海大道123号，电话13900001111。"
    out = redact(text)
    assert ID not in out and "13900001111" not in out and "123号" not in out
    assert out == "王五，身份证【身份证号码已隐去】，住【住址已隐去】，电话【手机号码已隐去】。"


def test_masked_value_hides_the_middle():
    (f,) = scan("手机13900001111")
    assert f.masked().startswith("13") and f.masked().endswith("11") and "0000" not in f.masked()
