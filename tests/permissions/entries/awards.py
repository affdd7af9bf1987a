"""awards: the call administrator's 授牌 page; the designation (发文) and plaque PDFs for the administrator and the
unit named in them."""

from tests.permissions.dsl import ADMIN, APPLICANT, OWN, allow, get, post

CALL = "call=jincheng-2022"

ENTRIES = [
    get("awards:award", allow(ADMIN), query=CALL),
    post("awards:award", allow(ADMIN), query=CALL, data={}),
    get("awards:designation_pdf", allow(ADMIN, APPLICANT), obj="designation", denied=404, sample=1),
    get("awards:plaque_pdf", allow(ADMIN), allow(APPLICANT, on=OWN), obj="plaque", sample=2),
]
