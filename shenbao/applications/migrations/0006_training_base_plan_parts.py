"""The training base's 实施方案 follows the paper template's seven parts: what the one 实施方案 section held moves to
its part (stored applications and their submitted versions alike, so documents, diffs and progress reports read one
shape). The 建设任务 of each year becomes that year's stage of 进度安排; 资金预算 becomes 经费预算; 绩效目标 moves
to 预期成效及考核指标. 建设目标 stays where it was."""

import re

from django.db import migrations

TASK_KEY = re.compile(r"^tasks_(\d{4})$")


def _split(form_data):
    if not isinstance(form_data, dict) or not isinstance(form_data.get("implementation_plan"), dict):
        return None
    plan = dict(form_data["implementation_plan"])
    moved = dict(form_data)
    stages = [
        {"year": match.group(1), "stage": f"{match.group(1)}年建设任务", "tasks": plan.pop(key), "outcome": ""}
        for key in sorted(plan)
        if (match := TASK_KEY.match(key))
    ]
    if stages:
        moved.setdefault("plan_schedule", {"stages": stages})
    if "budget" in plan:
        moved.setdefault("plan_budget", {"budget": plan.pop("budget")})
    if "performance_targets" in plan:
        moved.setdefault("plan_outcomes", {"performance_targets": plan.pop("performance_targets")})
    moved["implementation_plan"] = plan
    return moved


def split_plan(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    ApplicationVersion = apps.get_model("applications", "ApplicationVersion")
    for application in Application.objects.filter(project_type__code="training_base").only("form_data"):
        moved = _split(application.form_data)
        if moved is not None:
            Application.objects.filter(pk=application.pk).update(form_data=moved)
    versions = ApplicationVersion.objects.filter(application__project_type__code="training_base").only("form_data")
    for version in versions:
        moved = _split(version.form_data)
        if moved is not None:
            ApplicationVersion.objects.filter(pk=version.pk).update(form_data=moved)


class Migration(migrations.Migration):
    dependencies = [("applications", "0005_count_by_type_and_state")]

    operations = [migrations.RunPython(split_plan, migrations.RunPython.noop)]
