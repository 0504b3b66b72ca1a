"""Edge validation for enterprise data: credit codes and industry codes."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength

_INDUSTRY_CODE = re.compile(r"^[A-T](\d{2}|\d{3}|\d{4})?$")


def normalise_credit_code(value: str) -> str:
    """Upper-case the code and drop spaces and dashes people paste in."""
    return uscc.compact(value or "")


def validate_credit_code(value: str) -> None:
    """Raise a message that names the problem: length, characters or check digit."""
    code = normalise_credit_code(value)
    try:
        uscc.validate(code)
    except InvalidLength:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d.") % {"count": len(code)},
            code="credit_code_length",
        ) from None
    except InvalidFormat:
        raise ValidationError(
            _("The credit code contains characters that are not allowed (the letters I, O, S, V and Z are never used)."),
            code="credit_code_format",
        ) from None
    except InvalidChecksum:
        raise ValidationError(
            _("The check digit (last character) of the credit code is wrong: expected %(digit)s.")
            % {"digit": uscc.calc_check_digit(code[:17])},
            code="credit_code_checksum",
        ) from None


def validate_industry_code(value: str) -> None:
    """GB/T 4754: a section letter, optionally followed by 2, 3 or 4 digits (e.g. C3854)."""
    if value and not _INDUSTRY_CODE.match(value):
        raise ValidationError(
            _("The industry code must follow GB/T 4754, such as C or C3854."), code="industry_code"
        )
