"""Display filters for personal data: `{{ phone|mask_phone }}` shows 138****5678 (`shenbao.core.crypto`)."""

from django import template

from shenbao.core.crypto import mask_phone as _mask_phone

register = template.Library()


@register.filter
def mask_phone(value):
    return _mask_phone(value)
