"""Rows of the request-wide rules: the shared rate-limit counters (`shenbao.core.ratelimit`)."""

from django.db import models


class RateLimitCounter(models.Model):
    """Hits of one key in one fixed window; incremented atomically by `ratelimit` (INSERT … ON CONFLICT)."""

    key = models.CharField(max_length=191)
    window_start = models.BigIntegerField()
    count = models.IntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="one_counter_per_window")]

    def __str__(self):
        return f"{self.key}@{self.window_start}: {self.count}"
