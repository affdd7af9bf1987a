"""Local development and demo (`make run`): DEBUG on unless the environment says otherwise."""

from .base import *  # noqa: F403
from .base import env, env_bool, mailer_from_env

DEBUG = env_bool("DEBUG", True)
# The printed demo log-ins work with the password alone; turn it on to try the TOTP enrolment.
SHENBAO_REQUIRE_SECOND_FACTOR = env_bool("SHENBAO_REQUIRE_SECOND_FACTOR", False)
# `manage.py flush` empties the append-only audit table too; refused unless allowed (shenbao/audit/…/flush.py).
SHENBAO_ALLOW_FLUSH = True
# `make run` never runs collectstatic: serve from the source folders and pick up edits.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# One process in development: background tasks (notification e-mails) run at once and print to the console.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# Links in the e-mails printed to the console point at the development server.
SHENBAO_PUBLIC_URL = env("SHENBAO_PUBLIC_URL", "http://127.0.0.1:8000")
# Demo units and log-ins (`manage.py seed_demo`); the production profile refuses them.
SHENBAO_ALLOW_DEMO_DATA = True
# The demo's practice call (「演示」) is open for submission today; list it with its badge.
SHENBAO_SHOW_PRACTICE_CALLS = env_bool("SHENBAO_SHOW_PRACTICE_CALLS", True)
# E-mails printed on the console as text (links of registration and reset e-mails can be opened from there).
MAILERS = {"default": mailer_from_env("shenbao.core.mail.ReadableConsoleBackend")}
