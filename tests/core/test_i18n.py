"""Chinese by default, English on request, and an English catalogue that translates every message."""

import pytest
from django.urls import reverse

from .catalogue import PO_FILE, compile_english_catalogue, run_gettext_tool

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def compiled_locale(tmp_path_factory):
    return compile_english_catalogue(tmp_path_factory.mktemp("locale"))


@pytest.fixture
def english_catalogue(settings, compiled_locale):
    settings.LOCALE_PATHS = [compiled_locale]


def test_home_is_chinese_by_default(client, english_catalogue):
    response = client.get(reverse("core:home"))

    content = response.content.decode()
    assert '<html lang="zh-hans">' in content
    assert response["Content-Language"] == "zh-hans"
    assert "正在受理的申报通知" in content
    assert "Open calls" not in content


def test_browser_language_does_not_override_the_chinese_default(client, english_catalogue):
    response = client.get(reverse("core:home"), headers={"accept-language": "en-US,en;q=0.9"})

    assert '<html lang="zh-hans">' in response.content.decode()


def test_language_switch_turns_the_site_english_and_back(client, english_catalogue):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("core:home")})
    assert response.status_code == 302

    content = client.get(reverse("core:home")).content.decode()
    assert '<html lang="en">' in content
    assert "Open calls" in content
    assert "Application and Review Platform" in content
    assert "正在受理的申报通知" not in content

    client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("core:home")})
    assert "正在受理的申报通知" in client.get(reverse("core:home")).content.decode()


def test_unknown_language_cookie_falls_back_to_chinese(client, settings, english_catalogue):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    assert '<html lang="zh-hans">' in client.get(reverse("core:home")).content.decode()


def test_english_catalogue_translates_every_message():
    untranslated = run_gettext_tool("msgattrib", "--untranslated", "--no-obsolete", str(PO_FILE))
    fuzzy = run_gettext_tool("msgattrib", "--only-fuzzy", "--no-obsolete", str(PO_FILE))

    assert untranslated.count('msgid "') == 0, untranslated
    assert fuzzy.count('msgid "') == 0, fuzzy
