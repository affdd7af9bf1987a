"""Cities are data (issue 17, point 3): no Python module or template of the product names a city, and the
settings hold no city name. Demo data (`demo.py` and its content modules `demo_*.py`) and migrations (history) may
keep theirs."""

from pathlib import Path

from django.conf import settings

SHENBAO = Path(settings.BASE_DIR) / "shenbao"
CITY_NAMES = ("晋城", "长治")


def is_demo_data(path):
    return path.name == "demo.py" or (path.suffix == ".py" and path.stem.startswith("demo_"))


def _product_files():
    for path in sorted(SHENBAO.rglob("*")):
        if not path.is_file() or path.suffix not in {".py", ".html", ".txt", ".js"}:
            continue
        relative = path.relative_to(SHENBAO)
        if "migrations" in relative.parts or is_demo_data(path):
            continue
        yield relative.as_posix(), path.read_text(encoding="utf-8")


def test_no_module_or_template_names_a_city():
    offenders = [f"{relative}: {name}" for relative, text in _product_files() for name in CITY_NAMES if name in text]
    assert offenders == []


def test_the_scan_sees_the_templates_and_modules():
    seen = {relative for relative, _text in _product_files()}
    assert "templates/base.html" in seen and "core/views.py" in seen
    assert not any(is_demo_data(Path(relative)) or "/migrations/" in relative for relative in seen)


def test_settings_name_no_city():
    names = [name for name in dir(settings) if name.startswith("SHENBAO_")]
    assert "SHENBAO_CITY_NAME" not in names
    for name in names:
        assert not any(city in str(getattr(settings, name)) for city in CITY_NAMES), name
    for path in (SHENBAO / "settings").glob("*.py"):
        assert not any(city in path.read_text(encoding="utf-8") for city in CITY_NAMES), path
