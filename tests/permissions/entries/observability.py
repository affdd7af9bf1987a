"""observability: the load balancer's probes, answered to everyone (no log-in, no session) with JSON."""

from tests.permissions.dsl import public

ENTRIES = [
    # The process is up: 200 for anyone.
    public("observability:healthz"),
    # Database, cache and storage answer (and the task worker's heartbeat where tasks wait for one; the test
    # profile runs tasks at once): 200 for anyone, 503 for anyone when a check fails.
    public("observability:readyz"),
]
