"""The kinds of export and the apps that produce them.

A kind lives in the app whose data it exports and is named here by dotted paths (no import of another app's code,
so the exporting apps never import this one and no cycle forms):

- `permission`: who may ask for it (anyone else gets 404 on the request);
- `prepare(data=…, language=…)`: checks the posted filters (ValidationError with the reasons) and returns the
  job's params, fixing the rows as they are now (e.g. up to the newest entry);
- `produce(owner=…, params=…)`: called by the task worker; checks again that the owner may still have these rows
  (a role taken away since the request fails the job) and returns a `core.background.ExportPlan`.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    title: str | Promise
    permission: str
    prepare: str
    produce: str


KINDS = {
    "audit.entries": Kind(
        title=_("审计记录导出（CSV）"),
        permission="audit.browse_auditentry",
        prepare="shenbao.audit.exports.prepare_export",
        produce="shenbao.audit.exports.plan_export",
    ),
    "review.summary": Kind(
        title=_("资格初审汇总表导出（XLSX）"),
        permission="review.view_summary",
        prepare="shenbao.review.exports.prepare_summary_export",
        produce="shenbao.review.exports.plan_summary_export",
    ),
    "experts.pool": Kind(
        title=_("专家库导出（XLSX）"),
        permission="experts.manage_pool",
        prepare="shenbao.experts.imports.prepare_pool_export",
        produce="shenbao.experts.imports.plan_pool_export",
    ),
    "applications.list": Kind(
        title=_("申报列表导出"),
        permission="applications.search_applications",
        prepare="shenbao.applications.search_exports.prepare_export",
        produce="shenbao.applications.search_exports.plan_export",
    ),
}
