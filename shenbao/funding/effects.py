"""Effect of the `award` step (授牌): open the unit's funding record (经费台账), after the plaque is issued."""

from . import services


def open_funding_record(*, application, actor, payload, at):
    services.open_funding_record(application=application, at=at, actor=actor)
