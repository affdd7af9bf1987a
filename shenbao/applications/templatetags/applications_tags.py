"""`{% load applications_tags %}{% if user|may_start_applications %}`: whether to offer the "开始申报" button.

Only decides what to show; `views.application_start` and `services.start_application` enforce it.
"""

from django import template

from shenbao.accounts.rules import is_applicant
from shenbao.applications.sections.spec import translate_spec

register = template.Library()


@register.filter
def may_start_applications(user):
    return bool(is_applicant(user)) and getattr(user, "organisation", None) is not None


@register.filter
def spec_label(value):
    """A form spec's label, section title or help text in the reader's language.

    The specs mark their strings with gettext_noop (so makemessages extracts them) and keep the Chinese original:
    the generated 申报书 and the stored diffs are Chinese whatever the reader's language.
    """
    return translate_spec(value)


@register.filter
def spec_labels(values):
    """A list of spec labels in the reader's language, joined with its 「、」."""
    return translate_spec(tuple(values or ()))
