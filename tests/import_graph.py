"""Reading a package's import graph with `ast` (tests/test_app_boundaries.py states the rules it is checked
against): every import of every module, function-level ones included, with how each imported name is used (a type
hint, a model's vocabulary, anything else), and cycles in a graph of those imports."""

import ast
import itertools
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

SOURCE = Path(settings.BASE_DIR) / "shenbao"


@dataclass(frozen=True)
class Import:
    importer: str  # dotted module name
    target: str  # dotted module name imported from (a package's __init__ is its package name)
    names: tuple  # names bound by `from … import …` (empty for `import x`)
    line: int
    type_checking: bool  # inside `if TYPE_CHECKING:`
    uses: frozenset = frozenset()  # how the bound name is used: HINT, VOCABULARY and/or OTHER

    @property
    def app(self):
        return app_of(self.importer)

    @property
    def target_app(self):
        return app_of(self.target)

    def __str__(self):
        names = f" ({', '.join(self.names)})" if self.names else ""
        return f"{self.importer}:{self.line} imports {self.target}{names}"


def app_of(module):
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "shenbao" else None


def module_name(path, root=SOURCE):
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_module(dotted, root=SOURCE):
    path = root.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


HINT, VOCABULARY, OTHER = "hint", "vocabulary", "other"


def _annotation_names(tree):
    """Ids of every Name inside an annotation (arguments, returns, annotated assignments; quoted ones too)."""
    found = set()

    def collect(node):
        if node is None:
            return
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name):
                found.add(id(sub))

    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            collect(node.returns)
            for arg in [
                *node.args.args,
                *node.args.kwonlyargs,
                *node.args.posonlyargs,
                node.args.vararg,
                node.args.kwarg,
            ]:
                if arg is not None:
                    collect(arg.annotation)
        elif isinstance(node, ast.AnnAssign):
            collect(node.annotation)
    return found


def _is_type_checking(test):
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _uses_of_names(tree):
    """{name: {HINT | VOCABULARY | OTHER}}: a name in an annotation is a hint; `Name.Capitalised` (a model's
    nested choices, its DoesNotExist) is vocabulary; anything else (`.objects`, a call, the class passed on) is
    OTHER."""
    in_annotation = _annotation_names(tree)
    vocabulary = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.attr[:1].isupper()
    }
    uses = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            kind = HINT if id(node) in in_annotation else VOCABULARY if id(node) in vocabulary else OTHER
            uses.setdefault(node.id, set()).add(kind)
    return uses


def imports_of_source(source, module, *, is_package=False, root=SOURCE):
    """Every import of a `shenbao.*` module in `source` (module and function level), relative ones resolved."""
    tree = ast.parse(source)
    uses = _uses_of_names(tree)
    package = module if is_package else module.rpartition(".")[0]
    found = []

    def visit(node, type_checking):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                for branch, guarded in ((child.body, True), (child.orelse, type_checking)):
                    for statement in branch:
                        visit(ast.Module(body=[statement], type_ignores=[]), guarded)
                continue
            if isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")[: len(package.split(".")) - (child.level - 1)]
                    base = ".".join([*anchor, *([base] if base else [])])
                if base == "shenbao" or base.startswith("shenbao."):
                    for alias in child.names:
                        bound = alias.asname or alias.name
                        candidate = f"{base}.{alias.name}"
                        target = candidate if is_module(candidate, root) else base
                        # No use at all as a name: used only in quoted annotations (an unused import is ruff's).
                        used = frozenset(uses.get(bound, {HINT}))
                        found.append(Import(module, target, (alias.name,), child.lineno, type_checking, used))
            elif isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.startswith("shenbao."):
                        found.append(Import(module, alias.name, (), child.lineno, type_checking, frozenset({OTHER})))
            visit(child, type_checking)

    visit(tree, False)
    return found


def find_cycle(graph):
    """One cycle of the graph as a list of nodes (first == last), or None."""
    state = {}

    def visit(node, path):
        state[node] = "open"
        path.append(node)
        for nxt in sorted(graph.get(node, {})):
            if state.get(nxt) == "open":
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt, path)
                if found:
                    return found
        state[node] = "done"
        path.pop()
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node, [])
            if found:
                return found
    return None


def describe_cycle(graph, cycle):
    lines = [" → ".join(cycle)]
    for source, target in itertools.pairwise(cycle):
        lines += [f"  {source} → {target}: {imp}" for imp in graph[source][target][:3]]
    return "\n".join(lines)
