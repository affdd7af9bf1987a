from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "shenbao.core"
    label = "core"

    def ready(self) -> None:
        # Every app's workflow table registers its machine (`core.transitions.register`), so a page can ask any
        # object for its state record (`state_of`, the `state` template filter) without importing the app.
        autodiscover_modules("workflow")
        # Several web nodes and object storage: refuse per-process state and public uploads (`manage.py check`).
        from . import checks  # noqa: F401
