"""Template filters for calls: `{{ amount|wan_yuan }}`, `{{ amount|yuan }}`, `{% with status=call|call_status %}`."""

from django import template

from shenbao.calls import formatting

register = template.Library()


@register.filter
def wan_yuan(amount):
    return "" if amount in (None, "") else formatting.format_wan_yuan(amount)


@register.filter
def yuan(amount):
    return "" if amount in (None, "") else formatting.format_yuan(amount)


@register.filter
def call_status(call):
    return formatting.call_status(call)
