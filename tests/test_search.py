"""Finding enterprises the way window staff type: names, credit codes, pinyin initials (拼音首字母)."""

from __future__ import annotations

import pytest

from enterprises import actions
from enterprises.models import Enterprise
from enterprises.search import initials_of, search_enterprises

from .factories import HONGDA_NAME, LONGTENG_NAME, credit_code

pytestmark = pytest.mark.django_db


def found(text: str) -> set[str]:
    return set(search_enterprises(Enterprise.objects.all(), text).values_list("name", flat=True))


def test_initials_of_a_company_name():
    assert initials_of(HONGDA_NAME) == "cxshddqyxgs"


def test_initials_keep_latin_letters_and_digits_and_drop_punctuation():
    assert initials_of("宁波ABC（慈溪）2号厂") == "nbabccx2hc"


def test_new_enterprises_carry_their_initials(hongda):
    assert Enterprise.objects.get(pk=hongda.pk).name_initials == "cxshddqyxgs"


def test_typed_initials_find_the_enterprise_and_not_others(hongda, longteng):
    # Given 慈溪市宏达电器 and 慈溪市龙腾五金制品, when a clerk types c-x-d-q (慈溪 … 电器)
    # then only 宏达电器 matches
    assert found("cxdq") == {HONGDA_NAME}
    assert found("CXDQ") == {HONGDA_NAME}
    assert found("ltwj") == {LONGTENG_NAME}
    assert found("cxs") == {HONGDA_NAME, LONGTENG_NAME}
    assert found("qdxc") == set()  # the right letters in the wrong order


def test_name_credit_code_and_former_name_are_searched(system_admin, hongda, longteng):
    assert found("宏达") == {HONGDA_NAME}
    assert found(hongda.credit_code) == {HONGDA_NAME}
    assert found(hongda.credit_code[:17].lower()) == {HONGDA_NAME}

    # When 宏达 is renamed, its old name still finds it
    actions.do_update_enterprise(hongda, acting_user=system_admin, name="慈溪市宏达智能科技有限公司")
    assert found("宏达电器") == {"慈溪市宏达智能科技有限公司"}
    assert found("cxhdzn") == {"慈溪市宏达智能科技有限公司"}


def test_latin_letters_in_names_and_former_names_are_found(system_admin, hongda, longteng):
    # Given 宏达 renamed to a name with Latin letters, and its old name kept as a former name
    actions.do_update_enterprise(hongda, acting_user=system_admin, name="慈溪市ABC电器有限公司")
    actions.do_update_enterprise(longteng, acting_user=system_admin, name="慈溪市龙腾电器有限公司")
    Enterprise.objects.filter(pk=longteng.pk).update(former_names="宁波XYZ五金厂")
    # then the letters find the name, in either case, and the former name
    assert found("abc") == {"慈溪市ABC电器有限公司"}
    assert found("ABC") == {"慈溪市ABC电器有限公司"}
    assert found("xyz") == {"慈溪市龙腾电器有限公司"}
    assert found("cxdq") == {"慈溪市ABC电器有限公司", "慈溪市龙腾电器有限公司"}


def test_search_text_is_not_a_pattern(hongda, longteng):
    assert found("%") == set()
    assert found("_") == set()


def test_empty_search_keeps_everything(hongda, longteng):
    assert found("  ") == {HONGDA_NAME, LONGTENG_NAME}


def test_credit_codes_are_matched_by_prefix_only(hongda):
    assert found(hongda.credit_code[4:]) == set()


def test_search_box_on_the_list_page_uses_initials(client, zhouxiang_clerk, hongda, zhouxiang, system_admin):
    actions.do_create_enterprise(
        acting_user=system_admin, credit_code=credit_code(77), name="慈溪市周巷五金厂", town=zhouxiang
    )
    client.force_login(zhouxiang_clerk)
    response = client.get("/enterprises/", {"q": "cxdq"})
    assert [e.name for e in response.context["page"].object_list] == [HONGDA_NAME]
