"""WSGI entry point for gunicorn (`make serve`).

The application is warmed as it is loaded (`shenbao.core.warmup`): with gunicorn's `preload_app` in the master, so
no worker's first request pays for imports, catalogues and templates.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shenbao.settings.production")

application = get_wsgi_application()

from shenbao.core.warmup import warm_up  # noqa: E402 - needs the apps loaded by get_wsgi_application

warm_up()
