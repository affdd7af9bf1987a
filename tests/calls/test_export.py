"""Round trip: a call exported to YAML (with its attachment files beside it) and loaded under another slug is the
same call; the export button downloads exactly that YAML."""

import yaml
from django.core.files.storage import default_storage

from shenbao.calls.exports import dump_call_yaml, export_call_document
from shenbao.calls.services import load_call_file

from .helpers import jincheng_data


def _write_bundle(call, directory, *, slug):
    document = export_call_document(call)
    for attachment, row in zip(call.attachments.order_by("sort_order"), document["attachments"], strict=True):
        target = directory / row["path"].replace(call.slug, slug, 1)
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(attachment.file.name, "rb") as handle:
            target.write_bytes(handle.read())
        row["path"] = row["path"].replace(call.slug, slug, 1)
    document.update(slug=slug, application_number_prefix="2022R")
    for project_type in document["project_types"]:
        project_type["plaque_number_prefix"] += "R"
    path = directory / f"{slug}.yaml"
    path.write_text(dump_call_yaml(document), encoding="utf-8")
    return path


def _comparable(document):
    document = {**document, "slug": None, "application_number_prefix": None}
    document["attachments"] = [{**row, "path": row["path"].split("/", 1)[1]} for row in document["attachments"]]
    for project_type in document["project_types"]:
        project_type["plaque_number_prefix"] = project_type["plaque_number_prefix"].removesuffix("R")
    return document


def test_export_and_load_elsewhere_gives_the_same_call(jincheng_call, tmp_path):
    path = _write_bundle(jincheng_call, tmp_path, slug="jincheng-2022-copy")
    copy = load_call_file(path=path)
    assert copy.slug == "jincheng-2022-copy" and copy.pk != jincheng_call.pk
    assert _comparable(export_call_document(copy)) == _comparable(export_call_document(jincheng_call))
    for original, loaded in zip(
        jincheng_call.attachments.order_by("sort_order"), copy.attachments.order_by("sort_order"), strict=True
    ):
        assert (original.code, original.title, original.sha256) == (loaded.code, loaded.title, loaded.sha256)


def test_export_keeps_every_value_of_the_call_file(jincheng_call):
    """Each value the 2022 file writes comes back (numbers as text, as the file has them)."""
    exported = export_call_document(jincheng_call)
    original = jincheng_data()
    assert exported["deadline"] == "2022-12-08T23:59:59+08:00"
    assert exported["published_on"] == "2022-12-02"
    for key in ("title", "issuing_bodies", "recheck_bodies", "experts_per_application", "contact_phone"):
        assert exported[key] == original[key]
    workstation = exported["project_types"][0]
    source = original["project_types"][0]
    assert workstation["funding_amount"] == "300000"
    assert [m["code"] for m in workstation["materials"]] == [m["code"] for m in source["materials"]]
    assert [r["code"] for r in workstation["eligibility_rules"]] == [r["code"] for r in source["eligibility_rules"]]
    assert workstation["eligibility_rules"][1]["threshold"] == "3"
    assert [a["path"] for a in exported["attachments"]] == [a["path"] for a in original["attachments"]]


def test_reloading_the_export_over_the_same_call_changes_nothing(jincheng_call, tmp_path):
    document = export_call_document(jincheng_call)
    (tmp_path / "jincheng-2022").mkdir()
    for attachment, row in zip(jincheng_call.attachments.order_by("sort_order"), document["attachments"], strict=True):
        with default_storage.open(attachment.file.name, "rb") as handle:
            (tmp_path / row["path"]).write_bytes(handle.read())
    path = tmp_path / "again.yaml"
    path.write_text(dump_call_yaml(document), encoding="utf-8")
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["slug"] == "jincheng-2022"
    assert load_call_file(path=path).changes == [f"更新申报通知「{jincheng_call.title}」：source_file, source_sha256"]
