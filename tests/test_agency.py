"""The reconsideration body implied by an agency's name (行政复议法第二十四条、第二十五条、第二十七条)."""

from __future__ import annotations

import pytest

from rag.core.agency import AgencyProfile, default_reconsideration_body


@pytest.mark.parametrize(("name", "body"), [
    # 第二十四条第一款第（一）项: a department of a county/district/city/province government → that government
    ("温州市瓯海区人民政府办公室", "温州市瓯海区人民政府"),
    ("温州市瓯海区市场监督管理局", "温州市瓯海区人民政府"),
    ("杭州市西湖区城市管理局", "杭州市西湖区人民政府"),  # "城市" is not a unit
    ("沛县教育局", "沛县人民政府"),
    ("浙江省自然资源厅", "浙江省人民政府"),
    ("广西壮族自治区南宁市青秀区民政局", "广西壮族自治区南宁市青秀区人民政府"),
    # 第（三）项 and 第四款: a 派出机关 / a department's 派出机构 → the government of that level
    ("温州市瓯海区娄桥街道办事处", "温州市瓯海区人民政府"),
    ("温州市公安局瓯海区分局", "温州市人民政府"),
    # 第（二）项: a lower people's government → the government one level up
    ("温州市瓯海区人民政府", "温州市人民政府"),
    ("苍南县灵溪镇人民政府", "苍南县人民政府"),
    ("北京市海淀区人民政府", "北京市人民政府"),
    # 第二款: a province reviews its own acts; 第二十五条: so does a 国务院部门
    ("浙江省人民政府", "浙江省人民政府"),
    ("国家发展和改革委员会", "国家发展和改革委员会"),
    # 第二十七条 (vertical lines, tax), zones run by 管委会, a bare city: the name does not settle it
    ("国家税务总局温州市瓯海区税务局", ""),
    ("温州海关", ""),
    ("温州经济技术开发区管理委员会", ""),
    ("温州市人民政府", ""),
    ("某某单位", ""),
    ("", ""),
])
def test_default_reconsideration_body_follows_the_reconsideration_law(name, body):
    assert default_reconsideration_body(AgencyProfile(name=name)) == body
