"""`{% load applications_tags %}{% if user|may_start_applications %}`: whether to offer the "开始申报" button.

Only decides what to show; `views.application_start` and `services.start_application` enforce it.
"""

from django import template

from shenbao.accounts.rules import is_applicant

register = template.Library()


@register.filter
def may_start_applications(user):
    return bool(is_applicant(user)) and getattr(user, "organisation", None) is not None
