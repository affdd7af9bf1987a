"""Fixtures live in one place: an app's own in its conftest.py, the shared ones in tests/fixtures/ (registered once
by tests/conftest.py). Importing a fixture shadows the one pytest would have chosen and needs ruff's redefinition
warning silenced; importing a conftest makes its fixtures appear twice. Both are refused here, with the line that
does it."""

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"


def _python_files():
    return sorted(TESTS.rglob("*.py"))


def _module_of(path):
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _imported_modules(path, tree):
    """(line, absolute module name, imported names) of every import in the file."""
    package = _module_of(path).rsplit(".", 1)[0] if path.name != "__init__.py" else _module_of(path.parent)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            yield node.lineno, module, [alias.name for alias in node.names]


def _is_fixture(decorator):
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return (isinstance(target, ast.Attribute) and target.attr == "fixture") or (
        isinstance(target, ast.Name) and target.id == "fixture"
    )


def _fixtures_defined_in(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and any(_is_fixture(decorator) for decorator in node.decorator_list)
    }


def _file_of(module):
    base = ROOT.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def test_no_module_imports_a_conftest():
    offenders = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, module, names in _imported_modules(path, tree):
            if module.split(".")[-1] == "conftest" or "conftest" in names:
                offenders.append(f"{path.relative_to(ROOT)}:{line} imports a conftest ({module})")
    assert not offenders, "\n".join(offenders)


def test_no_module_imports_a_fixture():
    """Fixtures are requested by name, never imported (an imported fixture is a second, shadowing copy)."""
    offenders = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, module, names in _imported_modules(path, tree):
            source = _file_of(module) if module.startswith("tests") else None
            if source is None or not names:
                continue
            imported = set(names) & _fixtures_defined_in(source)
            if imported:
                offenders.append(f"{path.relative_to(ROOT)}:{line} imports the fixture(s) {sorted(imported)}")
    assert not offenders, "\n".join(offenders)


def test_nothing_silences_a_redefined_name():
    marker = "noqa: " + "F811"  # split so this file does not match itself
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _python_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if marker in line
    ]
    assert not offenders, "\n".join(offenders)


def _registered_plugins():
    """tests/conftest.py's `pytest_plugins`, read from its source (this file imports no conftest either)."""
    tree = ast.parse((TESTS / "conftest.py").read_text(encoding="utf-8"))
    for node in tree.body:
        names = [getattr(target, "id", None) for target in getattr(node, "targets", [])]
        if isinstance(node, ast.Assign) and "pytest_plugins" in names:
            return ast.literal_eval(node.value)
    return []


def test_every_shared_fixture_module_is_registered_once(request):
    registered = _registered_plugins()
    modules = [_module_of(path) for path in sorted(FIXTURES.glob("*.py")) if path.name != "__init__.py"]
    assert modules, "tests/fixtures/ holds no fixture module"
    for module in modules:
        assert registered.count(module) == 1, f"{module} is not in tests/conftest.py's pytest_plugins"
        assert request.config.pluginmanager.get_plugin(module) is not None


def test_a_shared_fixture_has_one_definition():
    """Two shared fixture modules defining one name would make the winner depend on the registration order."""
    seen = {}
    for path in sorted(FIXTURES.glob("*.py")):
        for name in _fixtures_defined_in(path):
            assert name not in seen, f"{name} is defined in {seen[name]} and {path.relative_to(ROOT)}"
            seen[name] = path.relative_to(ROOT)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from tests.calls.conftest import X", ("tests.calls.conftest", ["X"])),
        ("from .conftest import X", ("tests.calls.conftest", ["X"])),
        ("from . import conftest", ("tests.calls", ["conftest"])),
        ("import tests.calls.conftest", ("tests.calls.conftest", [])),
    ],
)
def test_the_check_sees_a_conftest_import(source, expected):
    # The checks read files; this makes sure the import walker resolves every spelling it must refuse.
    path = TESTS / "calls" / "probe.py"
    [(_line, module, names)] = _imported_modules(path, ast.parse(source))
    assert (module, names) == expected
