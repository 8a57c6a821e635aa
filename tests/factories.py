import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone

from accounts.models import Organisation, User

PASSWORD = "a-long-test-password-1"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Organisation {n}")
    acronym = factory.Sequence(lambda n: f"ORG{n}")
    kind = Organisation.Kind.MEMBER
    email_domains = factory.LazyAttribute(lambda o: [f"{o.acronym.lower()}.example"])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name")
    country = "CH"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        # Most people in tests have confirmed their address; pass verified=False for those who have not.
        if create:
            EmailAddress.objects.create(
                user=self, email=self.email, primary=True, verified=extracted is not False
            )
            self.save()


class StaffFactory(UserFactory):
    """Staff as the site requires them: with a TOTP authenticator (its secret on `totp_secret`)."""

    is_staff = True
    is_superuser = True

    @factory.post_generation
    def two_factor(self, create, extracted, **kwargs):
        if create:
            self.totp_secret = generate_totp_secret()
            TOTP.activate(self, self.totp_secret)


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "conference.Series"
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"series-{n}")
    name = factory.LazyAttribute(lambda s: {"en": f"Series {s.slug}"})
    cadence_years = 3


def timeline(opens, *, days=(120, 180, 200, 240)):
    from datetime import timedelta

    names = ["submission_deadline", "review_deadline", "notification_date", "camera_ready_deadline"]
    return {
        "cfp_opens_at": opens,
        **{name: opens + timedelta(days=d) for name, d in zip(names, days, strict=True)},
    }


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "conference.Edition"

    series = factory.SubFactory(SeriesFactory)
    year = factory.Sequence(lambda n: 2028 + n)
    title = factory.LazyAttribute(lambda e: {"en": f"Call {e.year}"})
    call_text = factory.LazyFunction(lambda: {"en": "<p>Send us your papers.</p>"})
    languages = factory.LazyFunction(lambda: ["en", "fr", "es"])
    time_zone = "AoE"
    cfp_opens_at = factory.LazyFunction(timezone.now)

    @factory.lazy_attribute
    def submission_deadline(self):
        return timeline(self.cfp_opens_at)["submission_deadline"]

    @factory.lazy_attribute
    def review_deadline(self):
        return timeline(self.cfp_opens_at)["review_deadline"]

    @factory.lazy_attribute
    def notification_date(self):
        return timeline(self.cfp_opens_at)["notification_date"]

    @factory.lazy_attribute
    def camera_ready_deadline(self):
        return timeline(self.cfp_opens_at)["camera_ready_deadline"]


# --- Papers ---------------------------------------------------------------------------------------

AUTHOR_COUNTRIES = ["CH", "FR", "KE", "BR", "IN", "JP", "ZA", "MX", "SN"]


class SubmissionFactory(factory.django.DjangoModelFactory):
    """A paper, submitted unless told otherwise: `SubmissionFactory(edition=…, authors=3, topics=2,
    document=True)` adds three authors (distinct addresses and countries), the first two SDGs and a
    real PDF; `document=2` stores two versions of it."""

    class Meta:
        model = "submissions.Submission"
        skip_postgeneration_save = True

    edition = factory.SubFactory(EditionFactory)
    number = factory.Sequence(lambda n: n + 1)
    state = "submitted"
    language = "en"
    title = factory.Sequence(lambda n: f"Paper number {n} on the social economy")
    abstract = "How cooperatives and mutuals finance local development."
    keywords = factory.LazyFunction(lambda: ["cooperatives", "finance"])
    submission_type = factory.LazyAttribute(lambda s: s.edition.submission_types.first())
    track = factory.LazyAttribute(lambda s: s.edition.tracks.first())
    submitted_at = factory.LazyAttribute(lambda s: None if s.state == "draft" else timezone.now())

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create:
            for position in range(1 if extracted is None else extracted):
                AuthorshipFactory(submission=self, position=position, corresponding=position == 0)

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            from conference.models import Topic

            self.topics.set(Topic.objects.sdgs()[:extracted])

    @factory.post_generation
    def document(self, create, extracted, **kwargs):
        if create and extracted:
            for version in range(1, int(extracted) + 1):
                add_document(self, version=version)


class AuthorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "submissions.Authorship"

    submission = factory.SubFactory(SubmissionFactory, authors=0)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"author{n}@example.net")
    affiliation = factory.Sequence(lambda n: f"University {n}")
    country = factory.Sequence(lambda n: AUTHOR_COUNTRIES[n % len(AUTHOR_COUNTRIES)])


def add_document(submission, *, version: int, kind: str = "paper", pages: int = 2):
    """A stored PDF version of the paper, as an upload leaves it (with its SHA-256, size and pages)."""
    import hashlib

    from django.core.files.base import ContentFile

    from submissions.demo_pdf import make_pdf
    from submissions.models import Document

    data = make_pdf(title=f"{submission.title} (version {version})", pages=pages)
    document = Document(
        submission=submission, kind=kind, version=version, original_name=f"paper-v{version}.pdf",
        sha256=hashlib.sha256(data).hexdigest(), size=len(data), pages=pages,
    )  # fmt: skip
    document.file.save("paper.pdf", ContentFile(data), save=True)
    return document
