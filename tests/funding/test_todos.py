"""待办 after the award, through HTTP: the administrator's instalments to pay, the unit's progress reports to file
(each ended year of the construction period without a submitted report), and the figures' cost.

The dashboard's 待办 (shenbao/core/todos.py) of the construction stage, tested beside that stage's fixtures.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shenbao.acceptance.models import ProgressReport
from shenbao.core.todos import list_todos

pytestmark = pytest.mark.django_db


def todos_of(client, user):
    client.force_login(user)
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 200
    return {todo.text: (todo.url, todo.overdue) for todo in response.context["dashboard"].todos}


def test_administrator_sees_the_due_start_up_instalments_to_pay(client, make_designated, call_admin_user):
    make_designated()
    make_designated()

    # 启动经费 fall due on the designation (2022): both are overdue today; the 60% is not due before 验收.
    assert todos_of(client, call_admin_user) == {"2笔建设扶持经费待拨付": (reverse("funding:ledger"), 2)}


def test_another_citys_administrator_sees_none_of_them(client, workstation, other_city_admin):
    assert todos_of(client, other_city_admin) == {}


def test_unit_files_a_report_for_each_ended_year_overdue_after_its_due_date(client, workstation, unit_applicant):
    # The 2022 call's period is 2023–2024; both years have ended and both reports were due in early 2024 / 2025.
    home = reverse("acceptance:home")
    assert todos_of(client, unit_applicant) == {"2份年度进展报告待报送": (home, 2)}

    ProgressReport.objects.create(
        application=workstation,
        year=2023,
        due_on=datetime.date(2024, 1, 31),
        status=ProgressReport.Status.SUBMITTED,
        created_by=unit_applicant,
    )
    assert todos_of(client, unit_applicant) == {"1份年度进展报告待报送": (home, 1)}


def test_a_years_report_is_not_due_before_the_year_ends(workstation, unit_applicant):
    during_2024 = datetime.date(2024, 6, 30)
    [todo] = list_todos(user=unit_applicant, today=during_2024)
    assert (todo.text, todo.overdue) == ("1份年度进展报告待报送", 1)  # 2023's, due 2024-01-31


def test_report_due_boundary(workstation, unit_applicant):
    """2023's report is due on 2024-01-31: in time that day, overdue the next."""
    [on_the_day] = list_todos(user=unit_applicant, today=datetime.date(2024, 1, 31))
    [next_day] = list_todos(user=unit_applicant, today=datetime.date(2024, 2, 1))
    assert (on_the_day.total, on_the_day.overdue) == (1, 0)
    assert (next_day.total, next_day.overdue) == (1, 1)


def test_unit_dashboard_costs_the_same_with_one_or_many_projects(client, make_designated, make_applicant):
    first = make_designated()
    user = make_applicant(first.unit)
    client.force_login(user)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("core:dashboard")).status_code == 200
        return len(captured)

    one = queries()
    assert one == 14
    # A unit holds at most one project per type of a call: the second is its training base.
    second = make_designated("training_base")
    type(second).objects.filter(pk=second.pk).update(unit=first.unit)
    assert queries() == one
    assert todos_of(client, user) == {"4份年度进展报告待报送": (reverse("acceptance:home"), 4)}
    assert timezone.localdate().year > 2024  # the figures above assume the period has ended
