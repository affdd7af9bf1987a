"""funding: the ledger (经费台账) for the call administrator and the unit (read-only), one record with its payment
and reversal forms, the budget dashboard (预算执行) and the XLSX export for the call administrator.

The scenario's awarded applications got their funding records from the award step; `build` adds one payment per
record so the reversal URL has an object. The unit may read its own record, so a payment or reversal it posts
there is refused with 403 (it knows the record exists); another unit's record answers 404."""

from shenbao.funding.models import FundingRecord
from shenbao.funding.services import record_payment
from shenbao.notices.selectors import beijing_date
from tests.permissions.dsl import ADMIN, APPLICANT, OWN, allow, expect, get, post

UNIT_MAY_NOT_WRITE = "the unit reads its own record but records no payment: 403, not 404"

ENTRIES = [
    get("funding:ledger", allow(ADMIN, APPLICANT)),
    get("funding:ledger_xlsx", allow(ADMIN)),
    get("funding:budget", allow(ADMIN)),
    post("funding:budget", allow(ADMIN), data={}),
    get("funding:record", allow(ADMIN), allow(APPLICANT, on=OWN), obj="funding_record"),
    post(
        "funding:record_payment",
        allow(ADMIN),
        expect(403, APPLICANT, on=OWN),
        obj="funding_record",
        data={},
        note=UNIT_MAY_NOT_WRITE,
    ),
    post(
        "funding:reverse_entry",
        allow(ADMIN),
        expect(403, APPLICANT, on=OWN),
        obj="ledger_entry",
        data={},
        note=UNIT_MAY_NOT_WRITE,
    ),
]


def build(scenario):
    awarded = scenario.kinds["application.awarded"]
    admin = scenario.users[ADMIN]
    records = {relation: FundingRecord.objects.get(application=app) for relation, app in awarded.objects.items()}
    entries = {
        relation: record_payment(
            record=record,
            instalment=record.instalments.get(code="startup"),
            amount="100.00",
            paid_on=beijing_date(),
            voucher_number=f"矩阵-{relation}",
            actor=admin,
        )
        for relation, record in records.items()
    }
    scenario.add("funding_record", users=awarded.users, **records)
    scenario.add("ledger_entry", users=awarded.users, **entries)
