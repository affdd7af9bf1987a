"""The platform's name and its operating bureau, for every page and the auth views' e-mails."""

from django.conf import settings


def platform_brand() -> dict[str, str]:
    """The platform's name and its operating bureau, from configuration (never from the request's host)."""
    return {
        "site_name": settings.SHENBAO_SITE_NAME,
        "platform_name": settings.SHENBAO_SITE_NAME,
        "platform_operator": settings.SHENBAO_OPERATOR_NAME,
    }
