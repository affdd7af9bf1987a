"""Dates follow the reader's language (issue 12, item 8): one filter pair, the locale's formats."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

TEMPLATE = Template(
    '{% load dates %}{{ d|local_date }}|{{ t|local_datetime }}|{{ t|local_datetime:"seconds" }}|{{ n|local_date }}'
)
# 2022-12-08 15:59:59 UTC is the 8th, 23:59:59 in Beijing: shown in the platform's time zone, not UTC.
MOMENT = datetime.datetime(2022, 12, 8, 15, 59, 59, tzinfo=ZoneInfo("UTC"))


def render(language):
    with translation.override(language):
        return TEMPLATE.render(Context({"d": datetime.date(2022, 12, 2), "t": MOMENT, "n": None}))


def test_chinese_dates():
    assert render("zh-hans") == "2022年12月2日|2022年12月8日 23:59|2022年12月8日 23:59:59|"


def test_english_dates():
    assert render("en") == "2 Dec 2022|8 Dec 2022 23:59|8 Dec 2022 23:59:59|"


def test_no_page_template_writes_chinese_dates_by_hand():
    """Generated documents (pdf/ templates, the defence schedule shared with its PDF) are Chinese by nature."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "shenbao"
    documents = {"_schedule_body.html"}
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("templates/**/*.html")
        if "pdf" not in path.parts and path.name not in documents and 'date:"Y年' in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


@pytest.mark.django_db
def test_the_call_page_shows_its_deadline_in_the_readers_language(client, call, settings):
    url = reverse("calls:detail", kwargs={"slug": call.slug})
    assert "2022年12月8日 23:59:59" in client.get(url).content.decode()

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = client.get(url).content.decode()
    assert "8 Dec 2022 23:59:59" in content
    assert "2022年12月8日" not in content
