"""`{% load dates %}{{ value|local_date }}`, `{{ value|local_datetime }}`, `{{ value|local_datetime:"seconds" }}`.

The one way templates show a date to a reader: the active language's DATE_FORMAT and DATETIME_FORMAT (Django's
locale formats, with shenbao/core/formats for English), so Chinese reads 「2022年12月2日」 and English
「2 Dec 2022」. Hand-written 「Y年n月j日」 in a template would print Chinese dates on English pages.
Generated documents (红头文件, PDFs) are Chinese by nature and keep their own formats.
"""

from django import template
from django.utils.formats import date_format, get_format

register = template.Library()


@register.filter(expects_localtime=True)
def local_date(value):
    if value in (None, ""):
        return ""
    return date_format(value, "DATE_FORMAT")


@register.filter(expects_localtime=True)
def local_datetime(value, precision=""):
    """`precision="seconds"` for audit times and other records where the second matters."""
    if value in (None, ""):
        return ""
    pattern = get_format("DATETIME_FORMAT")
    if precision == "seconds":
        pattern = pattern.replace("H:i", "H:i:s")
    return date_format(value, pattern)
