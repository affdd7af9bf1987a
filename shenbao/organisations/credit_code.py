"""统一社会信用代码 (unified social credit code, GB 32100-2015) validation.

python-stdnum's `cn.uscc` is not enough on its own: it rejects codes whose first eight positions hold
letters, which are valid for registration authorities Y, A and N. The inner GB 11714 organisation-code
check fails on some real codes, so it only produces a warning.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [pow(3, i, 31) for i in range(17)]
ORG_CODE_CHARSET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


@dataclass(frozen=True)
class CreditCodeCheck:
    code: str
    error: str | None
    warning: str | None

    @property
    def is_valid(self):
        return self.error is None


def normalise_credit_code(raw):
    """Upper-case and strip spaces, the way people type codes off a licence."""
    return "".join((raw or "").split()).upper()


def compute_check_character(first17):
    total = sum(CHARSET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def _organisation_code_warning(code):
    body, check = code[8:16], code[16]
    if any(char not in ORG_CODE_CHARSET for char in body):
        return _("组织机构代码部分（第9-17位）含非法字符，请核对。")
    if check != organisation_code_check_character(body):
        return _("组织机构代码部分（第9-17位）校验位与国家标准不符，请核对营业执照；如与执照一致可继续。")
    return None


def check_credit_code(raw):
    """Check a code; returns the normalised code with an error (reject) or a warning (accept)."""
    code = normalise_credit_code(raw)
    if len(code) != 18:
        return CreditCodeCheck(code, _("统一社会信用代码应为18位，当前为%(count)s位。") % {"count": len(code)}, None)
    bad = sorted({char for char in code if char not in CHARSET})
    if bad:
        return CreditCodeCheck(
            code,
            _("统一社会信用代码含有不允许的字符：%(bad)s（不使用 I、O、S、V、Z）。") % {"bad": "、".join(bad)},
            None,
        )
    if compute_check_character(code[:17]) != code[17]:
        return CreditCodeCheck(code, _("统一社会信用代码校验位不正确，请核对营业执照上的代码。"), None)
    return CreditCodeCheck(code, None, _organisation_code_warning(code))


def validate_credit_code(value):
    """Django validator: rejects invalid codes with a Chinese message."""
    result = check_credit_code(value)
    if not result.is_valid:
        raise ValidationError(result.error, code="invalid_credit_code")


def organisation_code_check_character(body):
    """GB 11714 check character for an 8-character organisation code body."""
    total = sum(ORG_CODE_CHARSET.index(char) * weight for char, weight in zip(body, ORG_CODE_WEIGHTS, strict=True))
    remainder = 11 - total % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def build_credit_code(*, authority, division, organisation_code):
    """A fully valid code (both checks) from the authority/kind pair, division code and 8-character body."""
    first17 = f"{authority}{division}{organisation_code}{organisation_code_check_character(organisation_code)}"
    return first17 + compute_check_character(first17)
