import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .validators import normalise_orcid, validate_orcid


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MEMBER = "member", _("Member agency")
        OBSERVER = "observer", _("Observer")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OTHER)
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), blank=True)
    email_domains = models.JSONField(
        _("e-mail domains"),
        default=list,
        blank=True,
        help_text=_(
            "The domains of its people's e-mail addresses, e.g. ilo.org. Used to detect conflicts of interest."  # noqa: E501
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def save(self, *args, **kwargs):
        self.email_domains = sorted({d.strip().lower().lstrip("@") for d in self.email_domains if d.strip()})
        super().save(*args, **kwargs)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("A user needs an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


def photo_path(instance: "User", filename: str) -> str:
    # Random names: a photo's URL must not reveal whose it is or be guessable.
    return f"photos/{uuid.uuid4().hex}.jpg"


class User(AbstractBaseUser, PermissionsMixin):
    """A person. E-mail is the login; roles are granted per edition or event, never here."""

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("full name"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
    )
    affiliation = models.CharField(
        _("affiliation"),
        max_length=255,
        blank=True,
        help_text=_("Your university, agency or employer, if it is not in the list of organisations."),
    )
    country = CountryField(_("country"), blank=True)
    orcid = models.CharField(
        _("ORCID iD"), max_length=19, blank=True, validators=[validate_orcid], help_text="0000-0002-1825-0097"
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    photo = models.ImageField(_("profile photo"), upload_to=photo_path, blank=True, db_index=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["name", "email"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name or self.email

    def clean(self) -> None:
        super().clean()
        if self.orcid:
            self.orcid = normalise_orcid(self.orcid)

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email

    @property
    def photo_token(self) -> str:
        """The random part of the photo's file name: its URL cannot be guessed from the person."""
        return self.photo.name.removeprefix("photos/").removesuffix(".jpg") if self.photo else ""

    def photo_url(self) -> str:
        return reverse("accounts:photo", args=[self.photo_token]) if self.photo else ""

    @property
    def email_domain(self) -> str:
        return self.email.rsplit("@", 1)[-1].lower()

    def has_two_factor(self) -> bool:
        """An authenticator app is set up (allauth then asks for its code at every sign-in)."""
        from allauth.mfa.models import Authenticator

        return self.authenticator_set.filter(type=Authenticator.Type.TOTP).exists()
