"""An event's public participant list: the people holding a place who agreed to be listed, and only
what they agreed to show (name, organisation, country, participant type); never an address."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Event, Registration


def listed_participants(event: Event) -> QuerySet[Registration]:
    """By name; one query for a page of them, whatever its length."""
    return (
        Registration.objects.filter(event=event, listed=True)
        .holding_places()
        .exclude(user__name="")  # the list shows names: it never falls back to the e-mail address
        .select_related("user", "participant_type")
        .only("organisation", "country", "user__name", "participant_type__name")
        .order_by("user__name", "pk")
    )
