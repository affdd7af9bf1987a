"""待办 of the 公示 through HTTP: the administrator's objections to answer, then the units to award once the
notice has ended (a unit with a pending objection waits for its decision).

The dashboard's 待办 (shenbao/core/todos.py) of the 公示 stage, tested beside that stage's fixtures.
"""

import pytest
from django.urls import reverse

from shenbao.notices.models import Objection

from .test_objections import _file

pytestmark = pytest.mark.django_db


def todos_of(client, user):
    client.force_login(user)
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 200
    return {todo.text: (todo.url, todo.overdue) for todo in response.context["dashboard"].todos}


def test_objections_to_answer_then_units_to_award(client, published, call_admin):
    objection = _file(published)  # about the first unit

    # The 2022 notice has long ended: the second unit may be awarded, the first waits for the decision.
    assert todos_of(client, call_admin) == {
        "1件公示异议待处理": (reverse("notices:objections"), 0),
        "1家单位公示期满，待授牌": (reverse("awards:award"), 0),
    }

    Objection.objects.filter(pk=objection.pk).update(status=Objection.Status.NOT_UPHELD)
    assert todos_of(client, call_admin) == {"2家单位公示期满，待授牌": (reverse("awards:award"), 0)}
