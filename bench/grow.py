"""Grow the demo database to a city or province scale, through the models, reproducibly (a seeded generator).

Run inside Django (`python -m bench.grow <scale>`, development profile) after `dataset.build` loaded the demo.
What it adds, derived from the repository's own data so no city or year is named here:
- synthetic cities 「基准NN市」: the first reference file's city with its counties and bodies, renamed and
  re-coded, loaded by the reference loader (`load_reference_data`);
- for each synthetic city, one call per year up to the current one: the first call file, re-dated by whole years
  and saved by the call writer (`save_call_document`), so each has its project types, rubric and materials;
- applicant units with valid credit codes and one applicant each (bulk inserts; the password hash is computed
  once), applications in a realistic spread of states (the past years' closed, the current year's in review)
  with the demo application's form data and a submitted version;
- audit entries (log-ins and submissions over the years), hash-chained with `shenbao.audit.chain.link` exactly as
  the writer chains them, inserted in batches: `audit_verify` holds on the grown database.
- the review rows (`bench.grow_review`): an expert pool per city, first-review checklists and records, panels with
  score sheets and entries, and the state log of every application.
The first city's newest call is large (thousands of applications, most in 专家评审): its administrator's pages
open on it.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from dataclasses import dataclass
from typing import Any

import yaml

from .dataset import ROOT, data_files

BATCH = 2000
# States of a closed call's applications and of the current call's, with their weights (out of 100).
CLOSED_STATES = {
    "not_selected": 52,
    "awarded": 10,
    "rejected": 14,
    "withdrawn": 8,
    "returned": 4,
    "revoked": 2,
    "objection_upheld": 1,
    "draft": 9,
}
CURRENT_STATES = {"draft": 30, "submitted": 30, "returned": 8, "recheck": 12, "expert_review": 12, "rejected": 8}
# The large call (the first city's newest: the one its administrator's pages open on) is well into 专家评审.
LARGE_CALL_STATES = {"draft": 8, "submitted": 8, "returned": 6, "recheck": 10, "expert_review": 60, "rejected": 8}


@dataclass(frozen=True)
class Growth:
    cities: int
    years: int
    units_per_city: int
    applications_per_call_type: int
    audit_entries: int
    experts_per_city: int = 0
    # The first city's newest call: thousands of applications, so its ranking and summary are measured at scale
    # (its city gets the units that many need).
    large_call_applications_per_type: int = 0
    large_city_units: int = 0


GROWTH = {
    "city": Growth(
        cities=1,
        years=5,
        units_per_city=1500,
        applications_per_call_type=500,
        audit_entries=100_000,
        experts_per_city=450,
        large_call_applications_per_type=800,
    ),
    "province": Growth(
        cities=11,
        years=8,
        units_per_city=2730,
        applications_per_call_type=560,
        audit_entries=1_000_000,
        experts_per_city=455,
        large_call_applications_per_type=2500,
        large_city_units=5000,
    ),
}


def _shift_years(value: Any, years: int) -> Any:
    if isinstance(value, dict):
        return {key: _shift_years(item, years) for key, item in value.items()}
    if isinstance(value, list):
        return [_shift_years(item, years) for item in value]
    if isinstance(value, dt.date):
        try:
            return value.replace(year=value.year + years)
        except ValueError:  # 29 February
            return value.replace(year=value.year + years, day=28)
    return value


def _template() -> tuple[dict, dict]:
    """The first call file and the reference file that holds its city."""
    reference_files, call_files = data_files()
    call = yaml.safe_load((ROOT / call_files[0]).read_text())
    for name in reference_files:
        reference = yaml.safe_load((ROOT / name).read_text())
        if any(str(region["key"]) == str(call["city"]) for region in reference["regions"]):
            return reference, call
    raise SystemExit(f"No reference file holds the city {call['city']} of {call_files[0]}.")


def _renamed(name: str, stem: str, new_stem: str) -> str:
    """The template city's name replaced by the synthetic one's, which a name without it gets as a prefix."""
    text = name.replace(stem, new_stem)
    return text if new_stem in text else f"{new_stem}{text}"


def _synthetic_city(reference: dict, city_key: str, index: int) -> tuple[dict, dict[str, str], tuple[str, str]]:
    """The reference data of 基准NN市 and the mapping of the template's region keys to its own."""
    city = next(region for region in reference["regions"] if str(region["key"]) == city_key)
    stem, new_stem = city["name"].removesuffix("市"), f"基准{index:02d}"
    prefix, new_prefix = city_key[:4], f"{city_key[:2]}{50 + index:02d}"
    keys = {}
    regions = []
    for region in reference["regions"]:
        key = str(region["key"])
        if region.get("level") == "province":
            regions.append(region)
            continue
        keys[key] = new_prefix + key[4:] if key.startswith(prefix) else f"{new_prefix}{key}"
        division = str(region.get("division_code") or "")
        copy = {**region, "key": keys[key], "division_code": new_prefix + division[4:] if division else ""}
        copy["name"] = f"{new_stem}市" if key == city_key else _renamed(region["name"], stem, new_stem)
        if region.get("portal_slug"):
            copy["portal_slug"] = f"bench{index:02d}"
            copy["portal_heading"] = f"{new_stem}市技能人才项目申报评审（基准测试数据）"
        regions.append(copy)
    for copy in regions:
        if copy.get("parent") in keys:
            copy["parent"] = keys[copy["parent"]]
    organisations = []
    for organisation in reference["organisations"]:
        copy = {**organisation, "region": keys.get(str(organisation["region"]), organisation["region"])}
        for field in ("name", "parent", "address"):
            if copy.get(field):
                copy[field] = _renamed(copy[field], stem, new_stem)
        organisations.append(copy)
    return {"regions": regions, "organisations": organisations}, keys, (stem, new_stem)


def _synthetic_call(call: dict, *, city_key: str, stems: tuple[str, str], index: int, year: int) -> dict:
    shift = year - int(call["year"])
    copy = _shift_years({key: value for key, value in call.items() if key != "attachments"}, shift)
    copy.update(
        slug=f"bench{index:02d}-{year}", year=year, city=city_key, application_number_prefix=f"JZ{index:02d}{year}"
    )
    for field in ("title", "body"):
        copy[field] = str(call[field]).replace(str(call["year"]), str(year))
    copy["issuing_bodies"] = [body.replace(*stems) for body in call.get("issuing_bodies", [])]
    for project_type in copy["project_types"]:
        project_type["plaque_number_prefix"] = f"{project_type['plaque_number_prefix']}{index:02d}"
        project_type["plaque_title"] = project_type["plaque_title"].replace(*stems)
    return copy


def grow(scale: str, *, seed: int = 2718) -> dict[str, int]:
    import django

    django.setup()
    from . import grow_rows

    growth = GROWTH[scale]
    rng = random.Random(seed)
    reference, call_template = _template()
    current_year = dt.date.today().year
    counts: dict[str, int] = {"cities": 0, "audit_entries": 0}
    for index in range(1, growth.cities + 1):
        data, keys, stems = _synthetic_city(reference, str(call_template["city"]), index)
        calls = [
            _synthetic_call(
                call_template, city_key=keys[str(call_template["city"])], stems=stems, index=index, year=year
            )
            for year in range(current_year - growth.years + 1, current_year + 1)
        ]
        added = grow_rows.add_city(
            reference_text=yaml.safe_dump(data, allow_unicode=True),
            calls=calls,
            growth=growth,
            rng=rng,
            states={"closed": CLOSED_STATES, "current": CURRENT_STATES, "large": LARGE_CALL_STATES},
            batch=BATCH,
        )
        for key, value in added.items():
            counts[key] = counts.get(key, 0) + value
        counts["cities"] += 1
        print(f"[grow] {stems[1]}市：{added}", file=sys.stderr, flush=True)
    counts["audit_entries"] = grow_rows.add_audit_entries(count=growth.audit_entries, rng=rng, batch=BATCH)
    # Planner statistics and visibility maps, as autovacuum would leave them on a live database: right after a bulk
    # load the planner would otherwise estimate from an empty database, and an index-only scan would still visit
    # every heap page (the count by type and state: 70 ms before the vacuum, 22 ms after, at province scale), so the
    # bench would measure plans and reads production never runs.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)" if connection.vendor == "postgresql" else "ANALYZE")
    return counts


if __name__ == "__main__":
    import json

    print(json.dumps(grow(sys.argv[1])))
