"""Unified social credit codes (统一社会信用代码): each kind of mistake gets its own message."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from stdnum.cn import uscc

from enterprises import actions
from enterprises.models import Enterprise
from enterprises.validators import normalise_credit_code, validate_credit_code

from .factories import credit_code

VALID = credit_code(12345)


def rejection(value: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_credit_code(value)
    return caught.value


def wrong_check_digit(code: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return code[:17] + next(c for c in alphabet if c != code[17])


def test_a_valid_code_passes():
    validate_credit_code(VALID)


def test_wrong_length_says_how_many_characters_there_are(in_english):
    error = rejection(VALID[:-1])
    assert error.code == "credit_code_length"
    assert error.messages == ["A unified social credit code has 18 characters; this one has 17."]


@pytest.mark.parametrize("bad", ["I", "O", "S", "V", "Z", "*"])
def test_characters_never_used_in_credit_codes_are_named(in_english, bad):
    error = rejection(VALID[:10] + bad + VALID[11:])
    assert error.code == "credit_code_format"
    assert "the letters I, O, S, V and Z are never used" in error.messages[0]


def test_letters_in_the_region_code_are_bad_characters():
    assert rejection("9133A2" + VALID[6:]).code == "credit_code_format"


def test_wrong_check_digit_tells_the_expected_one(in_english):
    error = rejection(wrong_check_digit(VALID))
    assert error.code == "credit_code_checksum"
    assert error.messages == [f"The check digit (last character) of the credit code is wrong: expected {VALID[-1]}."]


def test_the_three_messages_differ(in_english):
    messages = {
        rejection(VALID[:-1]).messages[0],
        rejection(VALID[:10] + "O" + VALID[11:]).messages[0],
        rejection(wrong_check_digit(VALID)).messages[0],
    }
    assert len(messages) == 3


def test_lower_case_spaces_and_dashes_are_normalised():
    code = "91330282MA2CKX5Y1" + uscc.calc_check_digit("91330282MA2CKX5Y1")
    assert any(c.isalpha() for c in code)
    pasted = " " + code[:6].lower() + " " + code[6:12].lower() + "-" + code[12:].lower() + " "
    assert normalise_credit_code(pasted) == code
    validate_credit_code(pasted)


@pytest.mark.django_db
def test_an_enterprise_with_a_bad_code_is_not_created(system_admin, zhouxiang):
    with pytest.raises(ValidationError) as caught:
        actions.do_create_enterprise(
            acting_user=system_admin, credit_code=wrong_check_digit(VALID), name="慈溪市错码有限公司", town=zhouxiang
        )
    assert "credit_code" in caught.value.message_dict
    assert not Enterprise.objects.exists()


@pytest.mark.django_db
def test_an_enterprise_is_stored_with_the_normalised_code(system_admin, zhouxiang):
    code = "91330282MA2CKX5Y1" + uscc.calc_check_digit("91330282MA2CKX5Y1")

    enterprise = actions.do_create_enterprise(
        acting_user=system_admin, credit_code=code.lower(), name="慈溪市小写有限公司", town=zhouxiang
    )

    assert Enterprise.objects.get(pk=enterprise.pk).credit_code == code
