"""Real-browser tests: pytest-playwright driving Debian's Chromium against Django's live server.

Playwright's own browser downloads are never used (no internet at run time): the launch arguments point at Debian's
Chromium binaries, which the Makefile installs with apt when they are missing.

Headless runs (`make test`) use Debian's `chromium-headless-shell`: the same Chromium release and Blink engine as
`chromium`, built without the browser's user interface, and the headless browser Playwright itself picks. The full
`chromium` in its headless mode spent about a third more processor time on every page: an empty page cost 66 ms of
Chromium's CPU against 20 ms, the log-in page 83 against 51, and the 33 journeys took 122 s against 90 s with three
workers on this 2-core machine, where the browser's work competes with every other test. `--headed` (a window, to
watch a journey) opens the full `chromium`, which has one.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from shenbao.accounts.roles import Role
from shenbao.applications.services import fire_transition, start_application
from shenbao.calls.models import Call
from shenbao.calls.services import load_call_file
from shenbao.organisations.models import Organisation, Region, UnitType
from shenbao.organisations.reference import load_reference_file
from tests.applications.builders import attach_required_materials, fill_sections, workstation_sections
from tests.factories import OrganisationFactory, UserFactory

HEADLESS_SHELL = Path("/usr/bin/chromium-headless-shell")
CHROMIUM = Path("/usr/bin/chromium")  # for --headed only
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "test-results" / "screenshots"
BASE = Path(settings.BASE_DIR)
UNIT_NAME = "晋城市城区泰达精密机械有限公司"


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(item.path).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, pytestconfig):
    executable = CHROMIUM if pytestconfig.getoption("headed") else HEADLESS_SHELL
    if not executable.exists():
        pytest.fail(
            f"{executable} is missing: install Debian's {executable.name} (apt-get install {executable.name}, "
            "or make test)"
        )
    return {**browser_type_launch_args, "executable_path": str(executable), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A Chinese desktop browser, as the platform's users have; the page must be Chinese regardless. It asks for reduced
    # motion (an accessibility setting real users choose): Bootstrap then opens and closes its modals and menus at
    # once instead of after their transitions, which Playwright waited out at every confirmation (the journeys
    # measured 143 s against 110 s with three workers). The journeys test what the pages do, not their animations.
    return {
        **browser_context_args,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
        "viewport": {"width": 1280, "height": 900},
        "reduced_motion": "reduce",
    }


@pytest.fixture(autouse=True)
def _documents_worker_apart(documents_queued):
    """A submitted version's documents are rendered by the task worker, never in a request
    (tests/fixtures/documents.py): the journeys run that worker where production's would."""


@pytest.fixture
def screenshot(request):
    """`screenshot(page)` saves test-results/screenshots/<test name>.png and returns the path."""

    def take(page, suffix=""):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name).strip("_") + suffix
        path = SCREENSHOTS / f"{name}.png"
        # caret="initial": hiding the caret writes inline styles onto every input for the duration of the shot, and
        # an htmx swap landing meanwhile copies them onto new elements, which the CSP blocks with a console error.
        page.screenshot(path=str(path), full_page=True, caret="initial")
        return path

    return take


# The real reference data and 2022 call, for the journeys of the call editor, the next year's call and the home page.
@pytest.fixture
def call_2022(transactional_db):
    load_reference_file(path=BASE / "data" / "reference" / "jincheng.yaml")
    return load_call_file(path=BASE / "calls" / "jincheng-2022.yaml")


@pytest.fixture
def skills_office(call_2022):
    return UserFactory(
        organisation=Organisation.objects.get(name="晋城市人力资源和社会保障局技能办"),
        roles=[Role.CALL_ADMIN],
        full_name="郭大勇",
    )


@pytest.fixture
def submitted_application(transactional_db):
    """The real 2022 call, reopened, with one complete workstation application of a 城区 enterprise submitted."""
    load_reference_file(path=BASE / "data" / "reference" / "jincheng.yaml")
    call = load_call_file(path=BASE / "calls" / "jincheng-2022.yaml")
    Call.objects.filter(pk=call.pk).update(submission_deadline=timezone.now() + datetime.timedelta(days=30))
    call.refresh_from_db()
    unit = OrganisationFactory(
        name=UNIT_NAME, unit_type=UnitType.objects.get(code="enterprise"), region=Region.objects.get(key="140502")
    )
    applicant = UserFactory(organisation=unit, roles=[Role.APPLICANT], full_name="周经办")
    application = start_application(
        call=call, project_type=call.project_types.get(code="workstation"), unit=unit, user=applicant
    )
    application = fill_sections(application=application, user=applicant, sections=workstation_sections())
    attach_required_materials(application=application, user=applicant)
    return fire_transition(application=application, name="submit", actor=applicant)
