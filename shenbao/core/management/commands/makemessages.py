"""`makemessages` that also extracts `N_("…")`: the form specs mark their labels with `gettext_noop as N_` (they
keep the Chinese text for the documents and translate when shown), and xgettext knows only `gettext_noop`."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=N_"]
