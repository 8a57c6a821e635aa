"""An event open for registration now, with participant types and their quotas."""

import datetime

from django.utils import timezone

from events.models import Event, ParticipantType


def make_event(*, capacity=36, mode=Event.Mode.OPEN, quotas=None, slug="trento-2026") -> Event:
    now = timezone.now()
    event = Event.objects.create(
        slug=slug, kind=Event.Kind.RETREAT, title={"en": "Technical symposium, Trento"}, languages=["en"],
        starts_at=now + datetime.timedelta(days=30), ends_at=now + datetime.timedelta(days=31),
        time_zone="Europe/Rome", venue="EURICSE", capacity=capacity, mode=mode,
        registration_opens_at=now - datetime.timedelta(days=1),
        registration_closes_at=now + datetime.timedelta(days=20),
    )  # fmt: skip
    for position, (name, quota) in enumerate((quotas or {}).items()):
        ParticipantType.objects.create(event=event, name={"en": name}, quota=quota, position=position)
    return event


def kind(event: Event, name: str) -> ParticipantType:
    return event.participant_types.get(name__en=name)
