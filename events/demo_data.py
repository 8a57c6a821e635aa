"""Demo events: a technical symposium modelled on the network's Trento retreat (two days, hosted by
EURICSE, 36 places, by invitation with approval, most places taken) and an open conference for the
2028 call."""

import datetime
import random

from django.utils import timezone
from django.utils.text import slugify

from accounts.demo import register_demo

# (participant type, quota); organisations named in the network's reports.
TYPES = [("Member agency", 16), ("Observer", 14), ("Resource person", 6)]
MEMBERS = ["ILO", "OECD", "UNCTAD", "UNDESA", "UNDP", "UNRISD"]
OBSERVERS = [
    "CSEND",
    "CIRIEC",
    "Euclid Network",
    "EURICSE",
    "FMDV",
    "GSEF",
    "RIPESS",
    "ICA",
    "Social Economy Europe",
]
NAMES = [
    "Marta Bianchi", "Jonas Keller", "Aminata Sow", "Luis Herrera", "Chen Yu", "Sofia Lindqvist",
    "Omar Haddad", "Nadia Petrova", "Kwesi Mensah", "Elena García", "Thomas Moreau", "Priya Raman",
    "Lucas Ferreira", "Hana Novak", "Daniel Okafor", "Claire Dubois", "Mateo Rojas", "Ingrid Olsen",
    "Yuki Tanaka", "Fatou Diallo", "Paolo Conti", "Sara Cohen", "Ahmed Benali", "Julia Schmidt",
    "Ravi Kumar", "Ana Sousa", "Pierre Laurent", "Lina Haddad", "Marco Galli", "Teresa Ruiz",
]  # fmt: skip


@register_demo(order=80)
def seed_events() -> list[tuple[str, str]]:
    from accounts.models import User
    from conference.models import Edition

    from . import services
    from .models import Event, ParticipantType

    if Event.objects.exists():
        return []
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    starts = (now + datetime.timedelta(days=60)).replace(hour=8)  # 09:00 in Trento (UTC+1 in winter)
    trento = Event.objects.create(
        slug="technical-symposium-trento", kind=Event.Kind.SYMPOSIUM,
        title={"en": "Technical symposium on the SSE and the SDGs",
               "fr": "Symposium technique sur l’ESS et les ODD",
               "es": "Simposio técnico sobre la ESS y los ODS"},
        description={"en": "Two days for members and observers of the network: the knowledge hub, an SSE "
                           "operational programme, and the content priorities education and the local "
                           "dimension of the SDGs. Hosted by EURICSE; facilitated by the ITC-ILO."},
        languages=["en", "fr", "es"], starts_at=starts, ends_at=starts + datetime.timedelta(days=1, hours=9),
        time_zone="Europe/Rome", venue="EURICSE", address="Via Sighele 6\n38122 Trento\nItaly",
        map_url="https://www.openstreetmap.org/search?query=Via%20Sighele%206%20Trento",
        hosts="EURICSE, with the ILO and the ITC-ILO", capacity=36, mode=Event.Mode.INVITATION,
        registration_opens_at=now - datetime.timedelta(days=20),
        registration_closes_at=starts - datetime.timedelta(days=14),
    )  # fmt: skip
    types = {
        name: ParticipantType.objects.create(event=trento, name={"en": name}, quota=quota, position=n)
        for n, (name, quota) in enumerate(TYPES)
    }
    rng = random.Random(2019)
    for n, name in enumerate(NAMES):
        member = n % 2 == 0
        person, _created = User.objects.get_or_create(
            email=f"{slugify(name).replace('-', '.')}@participants.example", defaults={"name": name}
        )
        organisation = rng.choice(MEMBERS if member else OBSERVERS)
        kind = types["Member agency"] if member else types["Resource person" if n % 7 == 3 else "Observer"]
        registration = services.register(
            event=trento, user=person, participant_type=kind, organisation=organisation,
            position="Programme officer",
        )  # fmt: skip
        if n < 26:
            services.approve(registration)
    participant = User.objects.filter(email="participant@ripess.org").first()
    if participant is not None:  # the demo participant's request waits for the organisers' answer
        services.register(event=trento, user=participant, participant_type=types["Observer"],
                          organisation="RIPESS", position="Coordinator")  # fmt: skip
    chair = User.objects.filter(email="chair@unrisd.org").first()
    if chair is not None:
        trento.organisers.add(chair)

    edition = Edition.objects.filter(year=2028).first()
    conference_starts = (now + datetime.timedelta(days=400)).replace(hour=7)
    conference = Event.objects.create(
        slug="sse-sdgs-conference-2028", kind=Event.Kind.SYMPOSIUM, edition=edition,
        title={"en": "International conference on the SSE and the SDGs 2028",
               "fr": "Conférence internationale sur l’ESS et les ODD 2028",
               "es": "Conferencia internacional sobre la ESS y los ODS 2028"},
        description={"en": "The accepted papers of the 2028 call, presented and discussed. Open to all."},
        languages=["en", "fr", "es"], starts_at=conference_starts,
        ends_at=conference_starts + datetime.timedelta(days=1, hours=9), time_zone="Europe/Zurich",
        venue="Palais des Nations", address="Avenue de la Paix 8-14\n1211 Geneva\nSwitzerland",
        online_url="https://meet.example.org/sse-sdgs-2028", hosts="UNRISD and the ILO", capacity=250,
        mode=Event.Mode.OPEN, registration_opens_at=now - datetime.timedelta(days=1),
        registration_closes_at=conference_starts - datetime.timedelta(days=7),
    )  # fmt: skip
    for n, name in enumerate(["Researcher", "Practitioner", "Policy maker", "Student"]):
        ParticipantType.objects.create(event=conference, name={"en": name}, position=n)
    return []
