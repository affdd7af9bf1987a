"""Template filters for calls: `{{ amount|wan_yuan }}`, `{{ amount|yuan }}`, `{% with status=call|call_status %}`,
`{% if call|changed_since:application.created_at %}` (通知变更)."""

from django import template

from shenbao.calls import formatting
from shenbao.core.money import format_wan_yuan, format_yuan

register = template.Library()


@register.filter
def wan_yuan(amount):
    return "" if amount in (None, "") else format_wan_yuan(amount)


@register.filter
def yuan(amount):
    return "" if amount in (None, "") else format_yuan(amount)


@register.filter
def call_status(call):
    return formatting.call_status(call)


@register.filter
def changed_since(call, moment):
    """True when the published call was changed (通知变更) after `moment` (an application's start)."""
    return bool(call.revised_at and moment and call.revised_at > moment)
