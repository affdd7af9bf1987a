"""Plaque numbers take the call file's `plaque_number_prefix` of the project type (JCJS in the 2022 file)."""

import datetime
import shutil

import pytest

from shenbao.awards.models import Plaque
from shenbao.awards.services import award_applications, save_designation
from shenbao.calls.services import load_call_file
from tests.calls.helpers import jincheng_data, write_call_file
from tests.paths import JINCHENG_2022

from .builders import AFTER_NOTICE

pytestmark = pytest.mark.django_db


def test_plaques_are_numbered_with_the_call_files_prefix(call, tmp_path, in_notice, call_admin_user):
    shutil.copytree(JINCHENG_2022.parent / "jincheng-2022", tmp_path / "jincheng-2022")
    data = jincheng_data()
    next(item for item in data["project_types"] if item["code"] == "workstation")["plaque_number_prefix"] = "JCGZZ"
    load_call_file(path=write_call_file(tmp_path, data))
    designation = save_designation(
        call=call,
        actor=call_admin_user,
        document_number="晋市人社发〔2022〕88号",
        issued_on=datetime.date(2022, 12, 20),
    )

    outcome = award_applications(
        applications=in_notice, actor=call_admin_user, designation=designation, at=AFTER_NOTICE
    )

    assert not outcome.failed
    assert list(Plaque.objects.order_by("sequence").values_list("number", flat=True)) == [
        "JCGZZ-2022-01",
        "JCGZZ-2022-02",
    ]
