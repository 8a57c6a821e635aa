"""Demo papers: ~60 across the three editions, in every state, each with a real PDF made here."""

import random
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction

from accounts.demo import register_demo

from .demo_pdf import make_pdf
from .models import Authorship, Conflict, Document, StateChange, Submission
from .pdf import inspect_pdf, reviewer_copy

State = Submission.State

# (language, title, abstract): research the network's call brings in.
PAPERS = [
    ("en", "Cooperative banks and credit for social enterprises in West Africa",
     "We study how cooperative banks in Senegal and Ghana lend to social enterprises, using loan records "
     "from 2015 to 2023, and find lower default rates than commercial lenders for comparable firms."),
    ("en", "Measuring the social and solidarity economy: a satellite account for Colombia",
     "A satellite account of the SSE built from tax and registry data, with a method other statistical "
     "offices can follow and estimates of its share of employment."),
    ("fr", "Les coopératives scolaires au Sénégal : apprendre l'économie solidaire",
     "Une enquête auprès de quarante écoles montre comment les coopératives scolaires enseignent la "
     "gestion démocratique et renforcent les liens avec les communautés locales."),
    ("es", "Economía solidaria y cuidados comunitarios en Bogotá",
     "Analizamos las organizaciones comunitarias de cuidado en tres localidades de Bogotá y su papel en "
     "la reducción de la carga de trabajo no remunerado de las mujeres."),
    ("en", "Localising the SDGs through municipal SSE strategies",
     "Comparing twelve cities' SSE strategies, we show which policy instruments tie local economic "
     "development to SDG targets, and which stay symbolic."),
    ("en", "Platform cooperatives and decent work for delivery riders",
     "Interviews with riders in four platform cooperatives show better income stability and voice than on "
     "investor-owned platforms, at the cost of slower growth."),
    ("fr", "Les mutuelles de santé et la couverture sanitaire universelle en Afrique de l'Ouest",
     "Nous évaluons l'apport des mutuelles de santé communautaires à la couverture sanitaire universelle "
     "au Bénin et au Mali, et les conditions de leur intégration aux régimes nationaux."),
    ("es", "Marcos jurídicos de la economía social en América Latina: un análisis comparado",
     "Comparamos las leyes de economía social y solidaria de nueve países y proponemos criterios para "
     "evaluar su aplicación efectiva."),
    ("en", "Renewable energy cooperatives and a just transition in rural Europe",
     "Energy communities in Germany, Denmark and Spain: ownership, prices and local acceptance of wind and "
     "solar projects."),
    ("en", "Women's savings groups as a pathway to financial inclusion",
     "Evidence from 300 savings groups in Kenya on how members move from group savings to formal "
     "financial services, and what holds them back."),
    ("fr", "Statistiques de l'ESS : harmoniser les définitions entre pays",
     "Une proposition de définitions communes pour mesurer l'économie sociale et solidaire, testée sur "
     "les données de cinq pays francophones."),
    ("es", "Cooperativas agrícolas y seguridad alimentaria en los Andes",
     "Estudio de caso de cooperativas de productores de papa en Perú y su contribución a la seguridad "
     "alimentaria y a la conservación de variedades nativas."),
    ("en", "Social enterprises in refugee settlements: livelihoods and dignity",
     "Fieldwork in Uganda and Jordan on social enterprises run by and with refugees, and the rules that "
     "help or hinder them."),
    ("en", "Public procurement as a lever for the social economy",
     "How reserved contracts and social clauses in public procurement have grown SSE organisations in "
     "three European countries."),
    ("fr", "Finance solidaire et logement abordable : le cas des foncières citoyennes",
     "Nous analysons le modèle des foncières solidaires en France et en Belgique et leur capacité à "
     "produire du logement abordable durablement."),
    ("es", "Educación cooperativa en universidades públicas",
     "Programas universitarios de educación cooperativa en Colombia y México: contenidos, alcance y efectos "
     "en la creación de nuevas cooperativas."),
    ("en", "Waste pickers' cooperatives and the circular economy",
     "Organised waste pickers in Brazil and India: recycling rates, incomes and recognition in municipal "
     "waste management."),
    ("en", "Trust and governance in multi-stakeholder cooperatives",
     "A survey of 120 multi-stakeholder cooperatives on how they share power between workers, users and "
     "investors."),
    ("en", "Digital commons and the social economy",
     "Open-source and open-data projects as SSE organisations: governance, funding and contribution to "
     "SDG 9."),
    ("fr", "Économie sociale et emploi des jeunes au Maghreb",
     "Les coopératives et associations offrent-elles de meilleurs emplois aux jeunes diplômés ? Une "
     "analyse de données d'enquête au Maroc et en Tunisie."),
]  # fmt: skip

COAUTHORS = [
    ("Noor Saleh", "noor.saleh@example.org", "University of Jordan", "JO"),
    ("Bruno Costa", "bruno.costa@example.org", "Universidade de São Paulo", "BR"),
    ("Aïssatou Ba", "aissatou.ba@example.org", "Université Cheikh Anta Diop", "SN"),
    ("Jonas Berg", "jonas.berg@example.org", "Roskilde University", "DK"),
]

# Per edition: how many papers in which state (2028 is open; 2025 and 2022 ran their course).
PLAN = {
    2028: [(State.DRAFT, 5), (State.SUBMITTED, 17), (State.WITHDRAWN, 2), (State.REJECTED, 2)],
    2025: [(State.PUBLISHED, 6), (State.CAMERA_READY, 2), (State.FINAL_SUBMITTED, 2), (State.ACCEPTED, 2),
           (State.UNDER_REVIEW, 2), (State.REJECTED, 4), (State.WITHDRAWN, 1)],
    2022: [(State.PUBLISHED, 8), (State.REJECTED, 5)],
}  # fmt: skip

# The path each state took, for the audit log.
HISTORY = {
    State.SUBMITTED: [State.SUBMITTED],
    State.UNDER_REVIEW: [State.SUBMITTED, State.UNDER_REVIEW],
    State.ACCEPTED: [State.SUBMITTED, State.UNDER_REVIEW, State.ACCEPTED],
    State.FINAL_SUBMITTED: [State.SUBMITTED, State.UNDER_REVIEW, State.ACCEPTED, State.FINAL_SUBMITTED],
    State.CAMERA_READY: [State.SUBMITTED, State.UNDER_REVIEW, State.ACCEPTED, State.FINAL_SUBMITTED,
                         State.CAMERA_READY],
    State.PUBLISHED: [State.SUBMITTED, State.UNDER_REVIEW, State.ACCEPTED, State.FINAL_SUBMITTED,
                      State.CAMERA_READY, State.PUBLISHED],
    State.REJECTED: [State.SUBMITTED, State.REJECTED],
    State.WITHDRAWN: [State.SUBMITTED, State.WITHDRAWN],
    State.DRAFT: [],
}  # fmt: skip


@register_demo(order=50)
def seed_submissions() -> list[tuple[str, str]]:
    from accounts.models import Organisation, User
    from conference.models import Edition, Role, Topic

    rng = random.Random(2028)  # the same demo on every machine
    editions = Edition.objects.filter(series__slug="sse-knowledge-hub", year__in=PLAN)
    for edition in editions:
        if edition.submissions.exists():
            continue  # seeded before: seed_demo runs on every `make run`
        organisers = Role.objects.filter(edition__series=edition.series).values("user")
        authors = list(
            User.objects.exclude(pk__in=organisers).filter(is_staff=False, organisation__isnull=False)
        )
        if edition.year == 2028:
            # The demo author's own papers come first, so their "My papers" page shows both kinds.
            authors.sort(key=lambda user: user.email != "author@unige.ch")
        chair = User.objects.filter(email="chair@unrisd.org").first()
        topics = list(Topic.objects.for_edition(edition))
        types = list(edition.submission_types.all())
        tracks = list(edition.tracks.all())
        states = [state for state, count in PLAN[edition.year] for _ in range(count)]
        with transaction.atomic():
            for number, state in enumerate(states, start=1):
                language, title, abstract = PAPERS[(number + edition.year) % len(PAPERS)]
                lead = authors[0] if edition.year == 2028 and number <= 2 else rng.choice(authors)
                if edition.year == 2028 and number <= 2:
                    state = State.SUBMITTED if number == 1 else State.DRAFT
                _seed_paper(edition, number, state, language, title, abstract, lead, chair, rng, topics,
                            types, tracks)  # fmt: skip
            if edition.year == 2028:
                first = edition.submissions.get(number=1)
                rival = Organisation.objects.filter(acronym="OECD").first()
                if rival:
                    Conflict.objects.get_or_create(
                        submission=first, organisation=rival, kind=Conflict.Kind.DECLARED_BY_AUTHOR
                    )
    return []


def _seed_paper(edition, number, state, language, title, abstract, lead, chair, rng, topics, types, tracks):
    submitted_at = edition.cfp_opens_at + timedelta(days=rng.randint(5, 100))
    submission = Submission.objects.create(
        edition=edition, number=number, state=state, language=language, title=title, abstract=abstract,
        submission_type=rng.choice(types), track=rng.choice(tracks), created_by=lead,
        keywords=rng.sample(["cooperatives", "decent work", "local development", "finance", "gender",
                             "statistics", "policy"], k=rng.randint(1, 4)),
        submitted_at=None if state == State.DRAFT else submitted_at, revision=1,
    )  # fmt: skip
    submission.topics.set(rng.sample(topics, k=rng.randint(1, 4)))
    people = [
        (lead.name, lead.email, lead.organisation.name if lead.organisation_id else "", lead.country, lead)
    ]
    for name, email, affiliation, country in rng.sample(COAUTHORS, k=rng.randint(0, 3)):
        people.append((name, email, affiliation, country, None))
    for position, (name, email, affiliation, country, user) in enumerate(people):
        Authorship.objects.create(
            submission=submission, position=position, user=user, name=name, email=email,
            affiliation=affiliation, country=country, corresponding=position == 0,
            claimed_at=submitted_at if user else None,
        )  # fmt: skip
    data = make_pdf(
        title=title, pages=rng.randint(4, 12), body=[abstract, "", "1. Introduction", abstract * 3]
    )
    info = inspect_pdf(ContentFile(data, name="paper.pdf"), max_bytes=len(data) + 1, page_limit=None)
    document = Document(
        submission=submission, version=1, original_name=f"paper-{number}.pdf", size=info.size,
        sha256=info.sha256, pages=info.pages, uploaded_by=lead,
    )  # fmt: skip
    document.file.save("paper.pdf", ContentFile(data), save=False)
    if edition.blind_mode == edition.BlindMode.DOUBLE:
        document.reviewer_file.save("paper.pdf", ContentFile(reviewer_copy(data)), save=False)
    document.save()
    moment = submitted_at
    old = State.DRAFT
    for new in HISTORY[state]:
        by = lead if new in (State.SUBMITTED, State.WITHDRAWN, State.FINAL_SUBMITTED) else chair
        note = "Outside the scope of this call." if new == State.REJECTED and old == State.SUBMITTED else ""
        StateChange.objects.create(submission=submission, old=old, new=new, by=by, at=moment, note=note)
        old, moment = new, moment + timedelta(days=rng.randint(10, 40))
