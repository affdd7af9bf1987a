"""Apps meet only at their public surface, and the apps' import graph has no cycle.

Every module under `shenbao/` is parsed with `ast`, function-level imports included (a cycle hidden in a function
is still a cycle). Three rules (docs/ARCHITECTURE.md, "Public surface"):

1. A module of app A imports from app B only B's public surface: `selectors`, `services` and the few modules of
   `PUBLIC_MODULES[B]` below. Anything else of B is B's own business. Imports under `if TYPE_CHECKING:` are
   type hints and may name any type.
2. Another app's `models` offers its model classes only: as a ForeignKey target in A's `models.py`, in type
   hints (annotations, or under `if TYPE_CHECKING:`) and for their vocabulary (`Model.Status.X`, nested choices,
   and `Model.DoesNotExist`, which B's selectors raise for "not in your scope"). Nothing else: no `.objects`, no
   instance built, no class passed on. Reading or writing B's tables goes through B's selectors and services, so
   B's scoping and invariants hold everywhere. Choices other apps need at module level live in a public module
   (the workflow's ApplicationStatus, audit's Event).
3. The graph of apps (an edge A → B for every runtime import of B by A) has no cycle. `shenbao.core` is two
   layers in one package: its kernel (`CORE_KERNEL`: helpers every app uses, importing no app) and its
   composition (the dashboard, portals, service hall, statistics and navigation, which gather every app and are
   imported by none) — node `core` and node `site`. The practice data (`demo.py` and `seed_demo`) is node `demo`:
   it seeds every app through their services and nothing imports it.

Left out: migrations (generated, frozen history that names other apps' tables by string) and the project's own
`shenbao/{urls,api,wsgi}.py` and `settings` (the composition root, which mounts every app).
"""

import importlib

import pytest
from django.db.models import Model

from tests.import_graph import (
    HINT,
    SOURCE,
    VOCABULARY,
    app_of,
    describe_cycle,
    find_cycle,
    imports_of_source,
    is_module,
    module_name,
)

# What each app offers the others besides `selectors` and `services`. Keep it short: a module belongs here only
# when it is a vocabulary other apps must share (roles, states, predicates), a registry, or a helper with one home.
PUBLIC_MODULES = {
    "core": {
        # The kernel: helpers with one home, imported by every app (they import no app).
        "background",  # what the task worker's jobs for people share (failure text, stall time)
        "brand",
        "crypto",
        "days",
        "fields",
        "files",
        "filetypes",  # what an uploaded file is, sniffed by content (materials, evidence, objections, imports)
        "forms",  # add_service_errors: a service's ValidationError onto a form
        "fragment_cache",  # cached_value / cached_fragment: kept until the next audited change (lists, rankings)
        "http",
        "mail",
        "money",
        "nodes",  # media storage from the environment and what multi-node mode refuses (settings read it too)
        "objectstore",  # X-Accel-Redirect targets and the S3 origin nginx proxies to (the nginx site reads it)
        "pending",
        "punctuation",
        "ratelimit",
        "revisions",  # check_revision: the one stale-edit guard of every edit form
        "risky_content",  # find_risk: active content in an upload (filetypes refuses it)
        "sms",
        "spreadsheets",
        "stored_files",  # StoredFile: the columns every stored upload has (materials, scans, seals, evidence)
        "transitions",  # the one transition helper every state machine fires through
        "uploads",  # the one upload pipeline (size, type, scan) every app's files go through
        "verification",
        "widgets",
    },
    "accounts": {
        "roles",  # the role table (Role): every app's rules name roles
        "rules",  # role predicates and get_city_of_user, combined into every app's rules
        "activation",  # 激活链接 for accounts made for someone (experts, staff)
        "admin_roles",  # the two-person rule for the administrator roles (the dashboard counts what waits)
    },
    "organisations": {"credit_code"},  # 统一社会信用代码 normalisation, also on the public status page
    "audit": {
        "events",  # the audit event names (Event) and results (Result)
        "network",  # the client's address behind the trusted proxies, for audit and rate limits
        "chain",  # the hash chain's verification (a restore checks it)
    },
    "calls": {
        "project_types",  # the registry of project types (dotted names into the apps that implement one)
        "defaults",  # platform settings a call file may leave out
        "rules",  # administers_call / get_admin_city: who administers a call (技能办), for every later stage
        "eligibility",  # the eligibility metrics a call file may name (KNOWN_METRICS) and their evaluation
        "guide",  # 办事指南, built from the call data for the service hall
        "formatting",  # how a call's project types are named in a sentence
        "aggregation",  # the call's score aggregation rule (rule_of), for the ranking and the acceptance evaluation
        "periods",  # the construction period's years (they shape the form and the progress reports)
        "picker",  # pick_call / get_administered_call: the staff pages' "which call, which project type"
        "extension_selectors",  # a unit's own deadline (延期提交): whether it may still start or submit
    },
    "applications": {
        "workflow",  # the workflow table: ApplicationStatus and the steps every later stage moves through
        "rules",  # application predicates (applicant_of_unit, call_admin …) combined into later stages' rules
        "sections",  # get_form_spec(project_type): the 申报书's form, read by documents, scoring and acceptance
        "formdata",  # the form's field kinds: display and ID-number checks shared with documents and notices
        "metrics",  # the eligibility metrics' values (the 初审 checklist shows them)
        "materials",  # the one upload pipeline and the materials' rows (review and scoring show them)
        "public_status",  # 进度查询 for the service hall
    },
    "documents": {"pdf", "content", "kinds"},  # rendering a PDF, the documents' formatting, the document kinds
    "notifications": {"recipients", "outbox", "texting"},  # notify audiences; the outboxes of every e-mail and SMS
    "experts": {"rules"},  # own_assignments_q and the 回避 rule, combined into scoring's rules
    "scoring": {
        "proposals",  # the rule that a proposed list follows the ranking (opinions checks it)
    },
    "opinions": {"rules"},  # who may answer an opinion request
    "funding": {"figures"},  # the money figures (committed, paid, remaining) its selectors return
    "acceptance": {"todo_selectors"},  # the 待办 counters of reports, rectifications and evaluations (core.todos)
}
ALWAYS_PUBLIC = {"selectors", "services", "demo"}
# The kernel of `shenbao.core` (rule 3): everything else in core is composition (node `site`).
CORE_KERNEL = PUBLIC_MODULES["core"] | {"apps", "checks", "models", "formats", "templatetags", "management"}
PROJECT_MODULES = {"shenbao", "shenbao.urls", "shenbao.api", "shenbao.wsgi"}

# Imports that still close a cycle, (module, the app it imports), each waiting for its inversion. Nothing may be
# added: the cycle test ignores exactly these, and fails when one of them is gone (then delete it here).
KNOWN_CYCLE_IMPORTS = {
    # The e-mail outbox is infrastructure inside the notifications app (which sits above applications): accounts
    # and self-registration queue their e-mails there. Next: the outbox behind a kernel entry point.
    ("shenbao.accounts.activation", "notifications"),
    ("shenbao.accounts.admin_roles", "notifications"),
    ("shenbao.accounts.email_change", "notifications"),
    ("shenbao.accounts.forms", "notifications"),
    ("shenbao.accounts.invitations", "notifications"),
    ("shenbao.organisations.registration_pending", "notifications"),
    ("shenbao.calls.editing", "notifications"),
    ("shenbao.applications.services", "notifications"),
    # Self-registration creates a unit and its first account: it belongs in accounts, and the organisations'
    # visibility rule reads the user's roles.
    ("shenbao.organisations.registration", "accounts"),
    ("shenbao.organisations.registration_pending", "accounts"),
    ("shenbao.organisations.selectors", "accounts"),
    # The one transition helper (core.transitions, merged last) audits every step through audit.services, while
    # audit uses core's kernel (http, spreadsheets): audit's recording belongs in the kernel, or the helper names it.
    ("shenbao.core.transitions", "audit"),
    # Follow-up (merged from main's `copies` work): the upload pipeline audits a refused file the same way.
    ("shenbao.core.uploads", "audit"),
    # Follow-up (merged from main): serving a generated file audits the download.
    ("shenbao.core.files", "audit"),
    # What is kept until the next audited change is keyed by the audit chain's head (audit.selectors).
    ("shenbao.core.fragment_cache", "audit"),
    # The paper documents of a project type, listed by the app that prints them.
    ("shenbao.applications.views", "documents"),
    ("shenbao.review.views", "documents"),
}


def source_modules(root=SOURCE):
    for path in sorted(root.rglob("*.py")):
        module = module_name(path, root)
        if "migrations" in path.parts or module in PROJECT_MODULES or module.startswith("shenbao.settings"):
            continue
        yield path, module


def all_imports(root=SOURCE):
    imports = []
    for path, module in source_modules(root):
        imports += imports_of_source(path.read_text(), module, is_package=path.name == "__init__.py", root=root)
    return imports


def boundary_violations(imports):
    """Imports of another app's private modules, or of its models for anything but a FK target or a type hint."""
    violations = []
    for imp in imports:
        app, target_app = imp.app, imp.target_app
        if app is None or target_app is None or app == target_app or imp.type_checking:
            continue  # a type hint may name any type (`if TYPE_CHECKING:` imports nothing at run time)
        if imp.target == f"shenbao.{target_app}":
            violations.append(f"{imp}: import the module that holds it, not the package")
            continue
        first = imp.target.split(".")[2]
        if first == "models":
            if imp.importer == f"shenbao.{app}.models" or imp.type_checking:
                continue
            if not all(_is_model(imp.target, name) for name in imp.names):
                violations.append(
                    f"{imp}: another app's models.py offers only its models; move this to a public module"
                )
            elif not imp.uses <= {HINT, VOCABULARY}:
                violations.append(
                    f"{imp}: another app's tables are read through its selectors, written by its services"
                )
        elif first not in ALWAYS_PUBLIC | PUBLIC_MODULES.get(target_app, set()):
            violations.append(f"{imp}: not in {target_app}'s public surface")
    return violations


def _is_model(module, name):
    return isinstance(obj := getattr(importlib.import_module(module), name, None), type) and issubclass(obj, Model)


def graph_node(module):
    """The node of the app graph `module` belongs to (rule 3)."""
    app = app_of(module)
    parts = module.split(".")
    if "demo" in parts or parts[-1] == "seed_demo":
        return "demo"
    if app == "core" and len(parts) > 2 and parts[2] not in CORE_KERNEL:
        return "site"
    return app


def app_graph(imports):
    """{node: {node: [the imports that make the edge]}} for every runtime import between two nodes."""
    graph = {}
    for imp in imports:
        if imp.type_checking:
            continue  # a type hint is not a runtime import
        source, target = graph_node(imp.importer), graph_node(imp.target)
        if source and target and source != target:
            graph.setdefault(source, {}).setdefault(target, []).append(imp)
    return graph


# --- the project ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def imports():
    return all_imports()


def test_apps_import_only_each_others_public_surface(imports):
    violations = boundary_violations(imports)
    assert not violations, "\n".join(violations)


def test_the_app_graph_has_no_cycle(imports):
    graph = app_graph(imp for imp in imports if (imp.importer, graph_node(imp.target)) not in KNOWN_CYCLE_IMPORTS)
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle between apps:\n" + describe_cycle(graph, cycle)


def test_the_known_cycle_imports_still_exist(imports):
    """The list of imports waiting for their inversion only shrinks: one that is gone must leave the list."""
    present = {(imp.importer, graph_node(imp.target)) for imp in imports if not imp.type_checking}
    assert not KNOWN_CYCLE_IMPORTS - present, sorted(KNOWN_CYCLE_IMPORTS - present)


def test_the_public_surface_names_existing_modules():
    """A module listed as public that no longer exists would silently widen nothing; keep the list true."""
    missing = [
        f"shenbao.{app}.{name}"
        for app, names in PUBLIC_MODULES.items()
        for name in names
        if not is_module(f"shenbao.{app}.{name}")
    ]
    assert not missing, missing


# --- the checker itself: each rule fails on a planted violation -----------------------------------------------


def _check(source, module="shenbao.scoring.views"):
    return boundary_violations(imports_of_source(source, module))


def test_a_query_on_another_apps_model_is_refused():
    source = "from shenbao.opinions.models import OpinionRequest\n\ndef f():\n    return OpinionRequest.objects.all()\n"
    assert len(_check(source)) == 1
    hidden = (
        "def f():\n    from shenbao.opinions.models import OpinionRequest\n    return OpinionRequest.objects.all()\n"
    )
    assert len(_check(hidden)) == 1
    relative_in_other_app = "from ..opinions.models import OpinionRequest\n\nOpinionRequest.objects.all()\n"
    assert len(_check(relative_in_other_app)) == 1


def test_a_private_module_of_another_app_is_refused():
    assert len(_check("from shenbao.opinions.guards import check\n")) == 1
    assert len(_check("import shenbao.opinions.guards\n")) == 1
    assert not _check("from shenbao.opinions.selectors import list_requests\n")
    assert not _check("from shenbao.opinions import services\n")
    assert not _check("from shenbao.applications.workflow import ApplicationStatus\n")


def test_a_model_imported_for_a_foreign_key_or_a_type_hint_is_allowed():
    assert not _check("from shenbao.calls.models import Call\n", module="shenbao.scoring.models")
    hints = "from shenbao.calls.models import Call\n\ndef f(*, call: Call) -> 'Call':\n    return call\n"
    assert not _check(hints)
    guarded = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from shenbao.calls.models import Call\n"
    assert not _check(guarded)
    mixed = "from shenbao.calls.models import Call\n\ndef f(*, call: Call):\n    return Call.objects.get()\n"
    assert len(_check(mixed)) == 1


def test_a_cycle_is_found_and_named():
    imports = [
        *imports_of_source("from shenbao.opinions.services import x\n", "shenbao.scoring.services"),
        *imports_of_source("def f():\n    from shenbao.scoring.selectors import y\n", "shenbao.opinions.views"),
        *imports_of_source("from shenbao.applications.workflow import Z\n", "shenbao.opinions.rules"),
    ]
    graph = app_graph(imports)
    cycle = find_cycle(graph)
    assert cycle in (["opinions", "scoring", "opinions"], ["scoring", "opinions", "scoring"])
    assert "shenbao.opinions.views:2 imports shenbao.scoring.selectors" in describe_cycle(graph, cycle)
    assert find_cycle(app_graph(imports[::2])) is None
    type_only = imports_of_source(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from shenbao.scoring.models import S\n",
        "shenbao.opinions.views",
    )
    assert find_cycle(app_graph([imports[0], *type_only])) is None
