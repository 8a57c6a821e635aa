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
COUNTRIES = ["IT", "CH", "SN", "CO", "CN", "SE", "LB", "BG", "GH", "ES", "FR", "IN", "BR", "CZ", "NG"]
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
    from conference.models import Edition, Series

    from . import services
    from .models import Event, Invitation, InvitationCode, ParticipantType, Question, Registration

    if Event.objects.exists():
        return []
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    starts = (now + datetime.timedelta(days=60)).replace(hour=8)  # 09:00 in Trento (UTC+1 in winter)
    trento = Event.objects.create(
        slug="technical-symposium-trento", kind=Event.Kind.SYMPOSIUM,
        series=Series.objects.filter(slug="sse-knowledge-hub").first(),
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
        meals=["lunch", "dinner"],
        registration_opens_at=now - datetime.timedelta(days=20),
        registration_closes_at=starts - datetime.timedelta(days=14),
    )  # fmt: skip
    types = {
        name: ParticipantType.objects.create(event=trento, name={"en": name}, quota=quota, position=n)
        for n, (name, quota) in enumerate(TYPES)
    }
    question = Question.objects.create(
        event=trento, text={"en": "Which working group will you join on the second day?"},
        kind=Question.Kind.CHOICE, choices="Knowledge hub\nOperational programme\nStatistics", position=0,
    )  # fmt: skip
    days = [day.isoformat() for day in trento.days]
    meals = [key for key, _label in trento.meal_choices()]
    rng = random.Random(2019)
    for n, name in enumerate(NAMES):
        member = n % 2 == 0
        email = f"{slugify(name).replace('-', '.')}@participants.example"
        person, _created = User.objects.get_or_create(email=email, defaults={"name": name})
        organisation = rng.choice(MEMBERS if member else OBSERVERS)
        kind = types["Member agency"] if member else types["Resource person" if n % 7 == 3 else "Observer"]
        invitation = Invitation.objects.create(
            event=trento, name=name, email=email, organisation=organisation, participant_type=kind,
            last_sent_at=now,
        )  # fmt: skip
        registration = services.register(
            event=trento, user=person, invitation=invitation, organisation=organisation,
            country=COUNTRIES[n % len(COUNTRIES)],
            position="Programme officer", days=days if n % 5 else days[:1],
            meals=meals if n % 3 else meals[:2],
            dietary_needs=["", "Vegetarian", "", "Halal", "", "No gluten"][n % 6],
            arrival_on=trento.days[0] - datetime.timedelta(days=1), departure_on=trento.days[-1],
            support=Registration.Support.BOTH if n in (4, 9) else "",
            support_details="Travel from Dakar and two nights in Trento." if n in (4, 9) else "",
            needs_visa_letter=n in (2, 9),
            visa={"passport_name": name.upper(), "nationality": "SN" if n == 9 else "GH",
                  "passport_number": f"P{4000321 + n}", "date_of_birth": datetime.date(1980 + n, 5, 1 + n)}
            if n in (2, 9) else None,
            answers={str(question.pk): question.choice_list[n % 3]},
        )  # fmt: skip
        if n < 26:
            services.approve(registration)
    # Invited, and not answered yet (or declined): the organisers can remind them.
    for name, email, organisation, status in [
        ("Grace Mwangi", "grace.mwangi@participants.example", "UNDP", Invitation.Status.INVITED),
        ("Henrik Berg", "henrik.berg@participants.example", "OECD", Invitation.Status.INVITED),
        ("Rosa Jiménez", "rosa.jimenez@participants.example", "RIPESS", Invitation.Status.DECLINED),
    ]:
        Invitation.objects.create(
            event=trento, name=name, email=email, organisation=organisation, status=status,
            participant_type=types["Observer"], last_sent_at=now,
        )  # fmt: skip
    InvitationCode.objects.create(
        event=trento, code="EURICSE-GUESTS", participant_type=types["Observer"], uses=3
    )
    participant = User.objects.filter(email="participant@ripess.org").first()
    if participant is not None:  # the demo participant's request waits for the organisers' answer
        invitation = Invitation.objects.create(
            event=trento, name=participant.name or "RIPESS", email=participant.email, organisation="RIPESS",
            participant_type=types["Observer"], last_sent_at=now,
        )  # fmt: skip
        services.register(event=trento, user=participant, invitation=invitation, organisation="RIPESS",
                          position="Coordinator", days=days, meals=meals)  # fmt: skip
    chair = User.objects.filter(email="chair@unrisd.org").first()
    if chair is not None:
        trento.organisers.add(chair)
    _seed_programme_and_participant_list(trento)

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
        mode=Event.Mode.OPEN, meals=["lunch"], registration_opens_at=now - datetime.timedelta(days=1),
        registration_closes_at=conference_starts - datetime.timedelta(days=7),
    )  # fmt: skip
    for n, name in enumerate(["Researcher", "Practitioner", "Policy maker", "Student"]):
        ParticipantType.objects.create(event=conference, name={"en": name}, position=n)
    if chair is not None:
        conference.organisers.add(chair)
    return []


# (hours after the start, hours long, title, room, chairs, papers presented): two days in Trento.
SESSIONS = [
    (0, 1.5, "Opening: the network and its knowledge hub", "Sala Plenaria", "Marta Bianchi (EURICSE)", 0),
    (2, 1.5, "Education and the SSE", "Aula 1", "Aminata Sow, Jonas Keller", 2),
    (2, 1.5, "The local dimension of the SDGs", "Aula 2", "Luis Herrera", 2),
    (5, 2, "Papers of the 2025 call", "Sala Plenaria", "Chen Yu, Sofia Lindqvist", 3),
    (24, 1.5, "Towards an SSE operational programme", "Sala Plenaria", "Omar Haddad", 0),
    (26, 2, "Statistics on the SSE", "Aula 1", "Nadia Petrova", 1),
    (29, 2, "Closing: the content priorities", "Sala Plenaria", "Marta Bianchi, Kwesi Mensah", 0),
]


def _seed_programme_and_participant_list(event) -> None:
    """The symposium's programme, with accepted papers of the 2025 call (seeded before, at order 50) in
    some sessions; and most registered participants agree to the public list."""
    from submissions.models import Submission

    from .models import Registration, Session

    papers = list(
        Submission.objects.filter(
            edition__series__slug="sse-knowledge-hub",
            edition__year=2025,
            state__in=Submission.ACCEPTED_STATES,
        ).order_by("number")
    )
    for offset, hours, title, room, chairs, presented in SESSIONS:
        starts = event.starts_at + datetime.timedelta(hours=offset)
        session = Session.objects.create(
            event=event, title={"en": title}, room=room, chairs=chairs, starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=hours),
            description={"en": "Short presentations, then discussion with the room."} if presented else {},
        )  # fmt: skip
        session.papers.set(papers[:presented])
        papers = papers[presented:]
    registered = Registration.objects.filter(event=event, status=Registration.Status.REGISTERED)
    shy = list(registered.order_by("pk").values_list("pk", flat=True))[4::5]  # one in five says no
    registered.exclude(pk__in=shy).update(listed=True)
