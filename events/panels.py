"""The chair dashboard's events panel: the edition's events with their registrations, in one query."""

from django.db.models import Count, Exists, OuterRef, Q, Value

from conference.dashboard import register_panel

from .models import Event, Registration

Status = Registration.Status


@register_panel("events", template="events/chair/panel.html", order=50)
def events_panel(edition, user) -> dict:
    # Counts only, no names: the chair sees how full each event is, its organisers see who.
    events = (
        Event.objects.filter(edition=edition)
        .with_places()
        .annotate(
            waitlisted=Count("registrations", filter=Q(registrations__status=Status.WAITLISTED)),
            pending=Count("registrations", filter=Q(registrations__status=Status.PENDING)),
            # Its organisers go straight to its registrations; anyone else to its public page.
            organised=Value(user.is_staff)
            | Exists(Event.organisers.through.objects.filter(event=OuterRef("pk"), user=user.pk)),
        )
        .order_by("starts_at", "pk")
    )
    return {"events": list(events)}
