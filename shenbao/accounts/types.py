"""Types other apps annotate with.

`AnyUser` is whoever makes a request: a signed-in `User` or Django's `AnonymousUser`. Permission predicates and
scoped selectors take it; `if user.is_authenticated:` narrows it to `User` for the type checker (django-stubs
declares the two attributes as literals).
"""

from django.contrib.auth.models import AnonymousUser

from .models import User

type AnyUser = User | AnonymousUser
