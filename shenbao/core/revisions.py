"""The one optimistic-lock check (乐观锁) of every form saved in place: application sections, progress reports,
self-evaluations, expert reviews and score sheets.

A page carries the revision it was loaded at; the service compares it with the locked row's and refuses a save
from an older copy (another tab, a colleague) instead of overwriting it. The refusal is a ValidationError, so a
caller that only shows refusals needs nothing more; one that must tell the user to reload catches
`StaleRevisionError`.
"""

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _


class StaleRevisionError(ValidationError):
    """Saved elsewhere since this copy was loaded; reload instead of overwriting. `current_revision` is the row's."""

    def __init__(self, *, current_revision: int, what: str | Promise) -> None:
        self.current_revision = current_revision
        super().__init__(
            _("%(what)s已在其他窗口保存过或已由他人修改，为避免覆盖，本次保存未生效。请刷新页面后重新填写。")
            % {"what": what},
            code="stale_revision",
        )


def as_revision(value: object) -> int | None:
    """A posted revision as a number; None for anything that is not one (never equal to a row's revision)."""
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def check_revision(*, current: int, expected: object, what: str | Promise, optional: bool = False) -> None:
    """Raise StaleRevisionError unless `expected` (as posted) is the row's `current` revision.

    `optional`: a caller that may omit the revision (an API client, an import) passes None to skip the check; a
    page that always posts one leaves it False, so a missing revision is refused like a stale one.
    """
    if optional and expected is None:
        return
    if as_revision(expected) != current:
        raise StaleRevisionError(current_revision=current, what=what)
