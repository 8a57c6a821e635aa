"""The network Convene is first built for, as demo data (see README: demo accounts)."""

from allauth.account.models import EmailAddress

from .demo import DEMO_PASSWORD, register_demo
from .models import Organisation, User

Kind = Organisation.Kind

ORGANISATIONS = [
    # (acronym, name, kind, country, website, e-mail domains)
    (
        "ILO",
        "International Labour Organization",
        Kind.MEMBER,
        "CH",
        "https://www.ilo.org",
        ["ilo.org", "itcilo.org"],
    ),
    (
        "OECD",
        "Organisation for Economic Co-operation and Development",
        Kind.MEMBER,
        "FR",
        "https://www.oecd.org",
        ["oecd.org"],
    ),
    (
        "UNCTAD",
        "United Nations Conference on Trade and Development",
        Kind.MEMBER,
        "CH",
        "https://unctad.org",
        ["unctad.org"],
    ),
    (
        "UNDESA",
        "United Nations Department of Economic and Social Affairs",
        Kind.MEMBER,
        "US",
        "https://www.un.org/en/desa",
        ["un.org"],
    ),
    ("UNDP", "United Nations Development Programme", Kind.MEMBER, "US", "https://www.undp.org", ["undp.org"]),
    (
        "UNRISD",
        "United Nations Research Institute for Social Development",
        Kind.MEMBER,
        "CH",
        "https://www.unrisd.org",
        ["unrisd.org"],
    ),
    (
        "CSEND",
        "Centre for Socio-Eco-Nomic Development",
        Kind.OBSERVER,
        "CH",
        "https://www.csend.org",
        ["csend.org"],
    ),
    (
        "CIRIEC",
        "International Centre of Research and Information on the Public, Social and Cooperative Economy",
        Kind.OBSERVER,
        "BE",
        "https://www.ciriec.uliege.be",
        ["ciriec.uliege.be"],
    ),
    ("Euclid", "Euclid Network", Kind.OBSERVER, "NL", "https://euclidnetwork.eu", ["euclidnetwork.eu"]),
    (
        "EURICSE",
        "European Research Institute on Cooperative and Social Enterprises",
        Kind.OBSERVER,
        "IT",
        "https://euricse.eu",
        ["euricse.eu"],
    ),
    ("FMDV", "Global Fund for Cities Development", Kind.OBSERVER, "FR", "https://www.fmdv.net", ["fmdv.net"]),
    (
        "GSEF",
        "Global Social Economy Forum",
        Kind.OBSERVER,
        "KR",
        "https://www.gsef-net.org",
        ["gsef-net.org"],
    ),
    ("ICA", "International Cooperative Alliance", Kind.OBSERVER, "BE", "https://www.ica.coop", ["ica.coop"]),
    (
        "SSE IF",
        "SSE International Forum",
        Kind.OBSERVER,
        "FR",
        "https://www.essforuminternational.com",
        ["essforuminternational.com"],
    ),
    (
        "RIPESS",
        "Intercontinental Network for the Promotion of Social Solidarity Economy",
        Kind.OBSERVER,
        "FR",
        "https://www.ripess.org",
        ["ripess.org"],
    ),
    ("UNIGE", "University of Geneva", Kind.OTHER, "CH", "https://www.unige.ch", ["unige.ch", "etu.unige.ch"]),
    ("UNAL", "Universidad Nacional de Colombia", Kind.OTHER, "CO", "https://unal.edu.co", ["unal.edu.co"]),
]

# (role shown to the newcomer, e-mail, name, organisation acronym, country, language, staff)
PEOPLE = [
    (
        "staff (asked to set up two-factor login)",
        "admin@convene.example",
        "Ada Admin",
        None,
        "CH",
        "en",
        True,
    ),
    ("chair of the organizing committee", "chair@unrisd.org", "Ilse Chair", "UNRISD", "CH", "en", False),
    ("committee member", "committee@ilo.org", "Kwame Committee", "ILO", "GH", "en", False),
    ("reviewer", "reviewer@euricse.eu", "Giulia Reviewer", "EURICSE", "IT", "en", False),
    ("reviewer", "revisora@unal.edu.co", "Camila Revisora", "UNAL", "CO", "es", False),
    ("author", "author@unige.ch", "Amélie Autrice", "UNIGE", "FR", "fr", False),
    ("participant", "participant@ripess.org", "Paulo Participant", "RIPESS", "BR", "en", False),
]


@register_demo(order=10)
def seed_organisations() -> list[tuple[str, str]]:
    for acronym, name, kind, country, website, domains in ORGANISATIONS:
        Organisation.objects.update_or_create(
            name=name,
            defaults={
                "acronym": acronym,
                "kind": kind,
                "country": country,
                "website": website,
                "email_domains": domains,
            },
        )
    return []


@register_demo(order=20)
def seed_people() -> list[tuple[str, str]]:
    logins = []
    for role, email, name, acronym, country, language, staff in PEOPLE:
        organisation = Organisation.objects.filter(acronym=acronym).first() if acronym else None
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "name": name,
                "organisation": organisation,
                "country": country,
                "preferred_language": language,
                "is_staff": staff,
                "is_superuser": staff,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        logins.append((role, email))
    return logins
