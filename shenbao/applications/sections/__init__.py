"""The application forms, one spec per project type code of the call file."""

from .training_base import TRAINING_BASE_FORM
from .workstation import WORKSTATION_FORM

FORM_SPECS = {spec.project_type_code: spec for spec in (WORKSTATION_FORM, TRAINING_BASE_FORM)}


def get_form_spec(project_type):
    """The form of a project type; a call file naming an unknown code is refused when an application starts."""
    return FORM_SPECS[project_type.code]
