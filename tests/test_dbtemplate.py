"""The test database copied from the run's template (tests/dbtemplate.py) is what migrating would give."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests import dbtemplate

pytestmark = pytest.mark.django_db


def test_every_migration_is_applied_and_the_models_match_the_tables():
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    introspection = connection.introspection
    # Every model's table exists (a template from other migrations would lack some).
    assert set(introspection.django_table_names(only_existing=True)) == set(
        introspection.django_table_names(only_existing=False)
    )


def test_a_changed_migration_names_another_template(tmp_path, monkeypatch):
    before = dbtemplate._digest("sqlite")
    shenbao = tmp_path / "shenbao" / "app" / "migrations"
    shenbao.mkdir(parents=True)
    (shenbao / "0001_initial.py").write_text("operations = []\n")
    (tmp_path / "requirements.lock").write_text("django==6.1\n")
    monkeypatch.setattr(dbtemplate, "ROOT", tmp_path)
    first = dbtemplate._digest("sqlite")
    (shenbao / "0001_initial.py").write_text("operations = [1]\n")
    assert dbtemplate._digest("sqlite") != first
    assert dbtemplate._digest("postgresql") != dbtemplate._digest("sqlite")
    assert first != before
