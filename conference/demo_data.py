"""The network's triennial call as demo data: 2022 and 2025 finished, 2028 open (dates relative to today)."""

from datetime import timedelta

from django.utils import timezone

from accounts.demo import register_demo

from .models import Edition, Question, Series, SubmissionType, Topic, Track

SERIES = {
    "slug": "sse-knowledge-hub",
    "name": {
        "en": "Call for papers of the SSE Knowledge Hub for the SDGs",
        "fr": "Appel à communications du Centre de connaissances sur l'ESS pour les ODD",
        "es": "Convocatoria de ponencias del Centro de conocimiento sobre la ESS para los ODS",
    },
    "description": {
        "en": "Every three years the Task Force calls for research on the role of the social and "
        "solidarity economy in the 2030 Agenda, discussed at a symposium and published in its knowledge hub.",
        "fr": "Tous les trois ans, l'Équipe spéciale lance un appel à travaux de recherche sur le rôle "
        "de l'économie sociale et solidaire dans le Programme 2030, débattus lors d'un symposium et "
        "publiés dans son centre de connaissances.",
    },
}

CALL_TEXT = {
    "en": "<p>The social and solidarity economy (SSE) — cooperatives, mutual societies, associations, "
    "foundations, social enterprises — is a means of implementation of the Sustainable Development Goals. "
    "We invite researchers and practitioners to submit papers on how the SSE contributes to the SDGs, "
    "with short key messages for policy makers.</p>"
    "<h2>Priority themes</h2><ul><li>Education and the SSE</li><li>The local dimension: localising the "
    "SDGs and local economic development</li><li>Statistics on the SSE</li><li>Policy and legal "
    "frameworks</li></ul><p>Papers may be written in English, French or Spanish.</p>",
    "fr": "<p>L'économie sociale et solidaire (ESS) — coopératives, mutuelles, associations, fondations, "
    "entreprises sociales — est un moyen de mise en œuvre des objectifs de développement durable. Nous "
    "invitons chercheurs et praticiens à soumettre des communications sur la contribution de l'ESS aux ODD, "
    "accompagnées de messages clés pour les décideurs.</p>"
    "<h2>Thèmes prioritaires</h2><ul><li>L'éducation et l'ESS</li><li>La dimension locale : localiser "
    "les ODD et le développement économique local</li><li>Les statistiques de l'ESS</li><li>Les cadres "
    "politiques et juridiques</li></ul><p>Les communications peuvent être rédigées en anglais, en français "
    "ou en espagnol.</p>",
}

TRACKS = [
    {"en": "Education", "fr": "Éducation", "es": "Educación"},
    {"en": "Local development", "fr": "Développement local", "es": "Desarrollo local"},
    {"en": "Statistics and measurement", "fr": "Statistiques et mesure", "es": "Estadísticas y medición"},
    {"en": "Policy and legal frameworks", "fr": "Cadres politiques et juridiques",
     "es": "Marcos normativos y jurídicos"},
]  # fmt: skip

TYPES = [
    ({"en": "Full paper", "fr": "Article complet", "es": "Artículo completo"}, 30),
    ({"en": "Policy brief", "fr": "Note d'orientation", "es": "Nota de política"}, 6),
    ({"en": "Case study", "fr": "Étude de cas", "es": "Estudio de caso"}, 15),
]

KEYWORDS = [
    {"en": "Cooperatives", "fr": "Coopératives", "es": "Cooperativas"},
    {"en": "Finance", "fr": "Finance", "es": "Finanzas"},
    {"en": "Informal economy", "fr": "Économie informelle", "es": "Economía informal"},
]


REGIONS = [
    {"en": "Africa", "fr": "Afrique", "es": "África"},
    {"en": "Americas", "fr": "Amériques", "es": "Américas"},
    {"en": "Asia and the Pacific", "fr": "Asie et Pacifique", "es": "Asia y el Pacífico"},
    {"en": "Europe", "fr": "Europe", "es": "Europa"},
    {"en": "Global", "fr": "Mondial", "es": "Mundial"},
]

QUESTIONS = [
    (
        {
            "en": "Which region does your research cover?",
            "fr": "Quelle région votre recherche couvre-t-elle ?",
            "es": "¿Qué región abarca su investigación?",
        },
        Question.Kind.CHOICE,
        REGIONS,
        True,
    ),
    (
        {
            "en": "Would you present your paper at the symposium?",
            "fr": "Présenteriez-vous votre communication au symposium ?",
            "es": "¿Presentaría su ponencia en el simposio?",
        },
        Question.Kind.YES_NO,
        [],
        True,
    ),
    (
        {
            "en": "Anything the committee should know?",
            "fr": "Autre chose que le comité devrait savoir ?",
            "es": "¿Algo más que el comité debería saber?",
        },
        Question.Kind.LONG_TEXT,
        [],
        False,
    ),
]


def _timeline(opens):
    """Five dates from the opening day, the way the 2019 call ran them."""
    return {
        "cfp_opens_at": opens,
        "submission_deadline": opens + timedelta(days=120),
        "review_deadline": opens + timedelta(days=180),
        "notification_date": opens + timedelta(days=200),
        "camera_ready_deadline": opens + timedelta(days=240),
    }


@register_demo(order=30)
def seed_series() -> list[tuple[str, str]]:
    series, _created = Series.objects.update_or_create(
        slug=SERIES["slug"],
        defaults={
            "name": SERIES["name"],
            "description": SERIES["description"],
            "edition_defaults": {
                "languages": ["en", "fr", "es"],
                "blind_mode": "double",
                "reviews_per_paper": 3,
            },
        },
    )
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    # 2028 opened 30 days ago, so its deadline is 90 days ahead whenever the demo is loaded.
    opens = {2028: today - timedelta(days=30), 2025: today - timedelta(days=30 + 3 * 365),
             2022: today - timedelta(days=30 + 6 * 365)}  # fmt: skip
    for year, opening in opens.items():
        edition, created = Edition.objects.get_or_create(
            series=series,
            year=year,
            defaults={
                "title": {
                    "en": f"Call for papers {year}: the social and solidarity economy and the SDGs",
                    "fr": f"Appel à communications {year} : l'économie sociale et solidaire et les ODD",
                },
                "call_text": CALL_TEXT,
                "languages": ["en", "fr", "es"],
                "published_at": opening + timedelta(days=300) if year < 2028 else None,
                **_timeline(opening),
            },
        )
        if created:
            for position, name in enumerate(TRACKS):
                Track.objects.create(edition=edition, name=name, position=position)
            for position, (name, pages) in enumerate(TYPES):
                SubmissionType.objects.create(edition=edition, name=name, page_limit=pages, position=position)
            for name in KEYWORDS:
                Topic.objects.create(edition=edition, name=name)
            for position, (text, kind, options, required) in enumerate(QUESTIONS):
                Question.objects.create(
                    edition=edition,
                    text=text,
                    kind=kind,
                    options=options,
                    required=required,
                    position=position,
                )
    return []


# ~40 people in the network's organisations: the committee, reviewers and future authors.
PEOPLE = [
    ("Amina Diallo", "ILO", "SN"), ("Jürgen Weber", "OECD", "DE"), ("Lucía Romero", "UNAL", "CO"),
    ("Chen Wei", "UNCTAD", "CN"), ("Fatima Zahra Benali", "UNDP", "MA"), ("Olivia Mensah", "UNDESA", "GH"),
    ("Pierre Lambert", "CIRIEC", "BE"), ("Sofia Bianchi", "EURICSE", "IT"), ("Rahul Mehta", "GSEF", "IN"),
    ("Ana Souza", "RIPESS", "BR"), ("Mariam Haddad", "ICA", "LB"), ("Tomás Herrera", "UNAL", "CO"),
    ("Elena Petrova", "UNRISD", "BG"), ("Kofi Boateng", "ILO", "GH"), ("Hana Kobayashi", "OECD", "JP"),
    ("Marc Dubois", "SSE IF", "FR"), ("Nadia Rahman", "CSEND", "BD"), ("Diego Fernández", "FMDV", "AR"),
    ("Ingrid Larsen", "Euclid", "NO"), ("Samuel Otieno", "UNDP", "KE"), ("Claire Martin", "UNIGE", "CH"),
    ("Yusuf Adeyemi", "UNCTAD", "NG"), ("Laura Gómez", "RIPESS", "MX"), ("Thomas Keller", "UNIGE", "CH"),
    ("Aisha Khan", "ILO", "PK"), ("Mateo Rossi", "EURICSE", "IT"), ("Grace Njeri", "GSEF", "KE"),
    ("Luc Girard", "CIRIEC", "CA"), ("Valentina Cruz", "UNAL", "PE"), ("Omar Farouk", "UNRISD", "EG"),
    ("Sara Lindqvist", "Euclid", "SE"), ("Kim Min-jun", "GSEF", "KR"), ("Isabel Duarte", "ICA", "PT"),
]  # fmt: skip

# By name; the first ones are demo logins of their own (committee@ilo.org, reviewer@euricse.eu…).
COMMITTEE = ["Kwame Committee", "Amina Diallo", "Pierre Lambert", "Elena Petrova"]
REVIEWERS = [
    "Giulia Reviewer", "Camila Revisora", "Sofia Bianchi", "Rahul Mehta", "Ana Souza", "Kofi Boateng",
    "Claire Martin", "Laura Gómez", "Omar Farouk", "Isabel Duarte",
]  # fmt: skip


def _email(name: str, organisation) -> str:
    local = ".".join(name.lower().replace("ü", "u").replace("í", "i").replace("á", "a").replace("é", "e")
                     .replace("ó", "o").split()[:2])  # fmt: skip
    return f"{local}@{organisation.email_domains[0]}"


@register_demo(order=40)
def seed_people_and_roles() -> list[tuple[str, str]]:
    from allauth.account.models import EmailAddress

    from accounts.demo import DEMO_PASSWORD
    from accounts.models import Organisation, User

    from .models import Invitation, Role

    for name, acronym, country in PEOPLE:
        organisation = Organisation.objects.get(acronym=acronym)
        person, created = User.objects.get_or_create(
            email=_email(name, organisation),
            defaults={"name": name, "organisation": organisation, "country": country},
        )
        if created:
            person.set_password(DEMO_PASSWORD)
            person.save(update_fields=["password"])
            EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    edition = Edition.objects.get(series__slug=SERIES["slug"], year=2028)
    roles = [("Ilse Chair", Role.Kind.CHAIR)]
    roles += [(name, Role.Kind.COMMITTEE) for name in COMMITTEE]
    roles += [(name, Role.Kind.REVIEWER) for name in REVIEWERS]
    for name, kind in roles:
        Role.objects.get_or_create(edition=edition, user=User.objects.get(name=name), kind=kind)
    chair = User.objects.get(email="chair@unrisd.org")
    if not edition.invitations.exists():
        Invitation.objects.create(
            edition=edition, email="observer@csend.org", name="A CSEND researcher", kind=Role.Kind.REVIEWER,
            message="Your work on local development would help us.", invited_by=chair,
            expires_at=timezone.now() + timedelta(days=30), sent_count=1,
        )  # fmt: skip
    return []
