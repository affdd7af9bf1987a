"""Reads about users."""

from django.db.models import Q

from .models import User


def list_users(*, query="", role="", organisation_public_id=None):
    """Users for the administration list, with organisation and role grants loaded in a fixed number of queries."""
    users = User.objects.select_related("organisation").prefetch_related("role_grants").order_by("username")
    if query:
        query = query.strip()
        users = users.filter(
            Q(username__icontains=query) | Q(full_name__icontains=query) | Q(organisation__name__icontains=query)
        )
    if role:
        users = users.filter(role_grants__role=role)
    if organisation_public_id:
        users = users.filter(organisation__public_id=organisation_public_id)
    return users


def get_user(*, public_id):
    return User.objects.select_related("organisation").get(public_id=public_id)
