"""The application forms: one per registered project type (`shenbao.calls.project_types`), built for the
construction years and the 扶持经费 of the project type's call, so every year-bound field and choice and the
spending plan's total follow the call file."""

from functools import cache

from shenbao.calls.periods import construction_years
from shenbao.calls.project_types import APPLICATION_FORM, get_project_type_entry


@cache
def _build(code, years, funding_amount):
    return get_project_type_entry(code).resolve("form")(years=years, funding_amount=funding_amount)


def get_form_spec(project_type):
    """The form of a project type for its call's construction years and funding amount (UnknownProjectType for an
    unregistered code; the call loader refuses those)."""
    return _build(project_type.code, tuple(construction_years(project_type)), project_type.funding_amount)


def get_form_title(project_type, *, call=None):
    """「<city><type>建设项目申报书」 from the call's data: the city's name and the project type's plaque title
    (「某市」 + 「技师工作站」). `call`: the project type's call when the caller has it loaded already."""
    return f"{title_stem(project_type, call=call)}{APPLICATION_FORM}"


def title_stem(project_type, *, call=None):
    """「<city><type>建设项目」, the stem every document title of the project type shares."""
    call = call or project_type.call
    city = call.city.name
    name = project_type.plaque_title or project_type.name
    # The plaque title usually names the city already (「某市技师工作站」); never print it twice.
    return f"{name if name.startswith(city) else city + name}建设项目"


def document_titles(project_type):
    """The paper documents of the project type in print order (申报书 first)."""
    return get_project_type_entry(project_type.code).documents
