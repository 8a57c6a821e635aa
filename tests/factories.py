import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

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
