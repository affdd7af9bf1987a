"""Fixtures of the application tests only; the shared ones (reference data, the 2022 call, units, drafts, a
submitted application) are in tests/fixtures/reference.py and tests/fixtures/applications.py."""

import pytest

from shenbao.applications.services import start_application

from .builders import IN_TIME, fill_sections, training_base_sections
from .test_materials import World


@pytest.fixture
def make_base_draft(call, base_type, make_unit, make_applicant):
    """A training-base draft for a unit of `unit_type`, filled with `training_base_sections(**counts)`."""

    def make(unit_type="vocational_college", **counts):
        unit = make_unit(unit_type=unit_type)
        user = make_applicant(unit)
        application = start_application(call=call, project_type=base_type, unit=unit, user=user, at=IN_TIME)
        return fill_sections(application=application, user=user, sections=training_base_sections(**counts))

    return make


@pytest.fixture
def world(db):
    """Two cities' units, applications and reviewers for the materials tests (`test_materials.World`)."""
    return World()
