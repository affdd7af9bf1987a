"""gunicorn settings for `make serve` (production profile behind the intranet HTTPS proxy).

Everything is overridable from the environment so one file serves every deployment:
GUNICORN_BIND (or HOST/PORT), WEB_CONCURRENCY, GUNICORN_THREADS, GUNICORN_TIMEOUT, FORWARDED_ALLOW_IPS.
"""

import os

import gunicorn.http.wsgi

from shenbao.observability.logs import gunicorn_logconfig
from shenbao.settings.base import TIME_ZONE

# No product or version in the Server header (a banner only helps an attacker pick exploits); gunicorn reads this
# module global for every response, and the configuration is loaded before any worker starts.
gunicorn.http.wsgi.SERVER = "web"


def _cores():
    # Honour CPU affinity (containers, taskset) rather than the host's total core count.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


wsgi_app = "shenbao.wsgi:application"
raw_env = [f"DJANGO_SETTINGS_MODULE={os.environ.get('DJANGO_SETTINGS_MODULE', 'shenbao.settings.production')}"]

_default_bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
bind = os.environ.get("GUNICORN_BIND", _default_bind).split(",")
# One worker per core and one more, not the usual (2 x cores) + 1: a request here spends about three quarters of its
# time on the CPU (PostgreSQL's share included, on the same cores in the reference installation), so two workers per
# core only take turns. Measured with the deadline rush of `make bench` (200 submissions by 50 clients, PostgreSQL,
# 2 cores): 5 workers 38-42 submissions/s, 3 workers 44-51/s, p95 1.29 s against 1.01-1.23 s; two threads per
# worker made p95 worse (1.3-1.9 s). Where PostgreSQL has machines of its own, a few more may pay: measure first.
workers = int(os.environ.get("WEB_CONCURRENCY", str(_cores() + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# PDF and Excel exports render in the request; give them time before the worker is killed.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak in a dependency never takes the site down. The jitter is half the
# period: with 10 % the workers, started together and evenly loaded, were recycled within seconds of each other.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 2
# Load and warm the application once in the master (shenbao/wsgi.py): workers fork ready, so a recycled worker's
# first request no longer takes seconds. A code upgrade therefore needs a restart of the service, not a HUP.
preload_app = True

# Only the reverse proxy may claim the request was HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The client's address as the proxy saw it, then the usual combined format plus the duration in microseconds.
access_log_format = '%({x-forwarded-for}i)s %(h)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)s'

# The master's and the workers' lines, error and access, in the shape and time zone of Django's (JSON unless
# SHENBAO_LOG_FORMAT=text); the access line also gets method, path, status, duration and the request id as fields.
logconfig_dict = gunicorn_logconfig(
    log_format=os.environ.get("SHENBAO_LOG_FORMAT", "json"),
    level=loglevel,
    time_zone=TIME_ZONE,
    error_log=errorlog,
    access_log=accesslog,
)

# The control socket would land in $HOME/.gunicorn; nothing here uses it.
control_socket_disable = True
