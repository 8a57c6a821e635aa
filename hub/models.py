"""Publications: accepted papers as the public reads and cites them, with metadata frozen at publishing.

A publication keeps its number for ever; its URL is /hub/papers/<number>/<slug>/, and any other slug
(an older title) redirects there. A correction makes a new version; a withdrawal leaves a tombstone.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from conference.models import Edition, Topic
from submissions.models import Submission

LICENCE_URIS = {
    Edition.Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Edition.Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Edition.Licence.CC_BY_NC: "https://creativecommons.org/licenses/by-nc/4.0/",
    Edition.Licence.CC_BY_NC_ND: "https://creativecommons.org/licenses/by-nc-nd/4.0/",
}

validate_doi = RegexValidator(r"^10\.\d{4,9}/\S+$", _("A DOI looks like 10.1234/abc-567."))


def publication_file_path(instance: PublicationFile, filename: str) -> str:
    # A random name: the file is public, but its address is the landing page's, never guessable storage.
    return f"hub/{secrets.token_hex(16)}.pdf"


def type_key(paper_type: dict) -> str:
    """The type's English name (or its first), as a slug: one key for a type in every language."""
    name = paper_type.get("en") or next((value for value in paper_type.values() if value), "")
    return slugify(name)[:60]


class PublicationQuerySet(models.QuerySet):
    def listed(self) -> PublicationQuerySet:
        """What the hub shows in its lists: not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)

    def with_details(self) -> PublicationQuerySet:
        return self.select_related("edition__series").prefetch_related("authors", "topics")


class Publication(models.Model):
    number = models.PositiveIntegerField(_("number"), unique=True)
    submission = models.OneToOneField(
        Submission, on_delete=models.SET_NULL, null=True, blank=True, related_name="publication"
    )
    edition = models.ForeignKey(
        Edition, on_delete=models.PROTECT, null=True, blank=True, related_name="publications"
    )
    slug = models.SlugField(max_length=100)
    title = models.CharField(_("title"), max_length=300)
    abstract = models.TextField(_("abstract"))
    language = models.CharField(_("language"), max_length=10)
    translation_language = models.CharField(max_length=10, blank=True)
    translated_title = models.CharField(_("translated title"), max_length=300, blank=True)
    translated_abstract = models.TextField(_("translated abstract"), blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    key_messages = models.JSONField(_("key messages for policy makers"), default=list, blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="publications")
    paper_type = models.JSONField(_("type"), default=dict, blank=True)  # frozen name, per language
    type_key = models.SlugField(max_length=60, blank=True, editable=False)  # what browsing by type uses
    venue = models.JSONField(_("published in"), default=dict, blank=True)  # frozen edition title
    licence = models.CharField(_("licence"), max_length=20, choices=Edition.Licence.choices)
    doi = models.CharField(_("DOI"), max_length=100, blank=True, validators=[validate_doi])
    published_on = models.DateField(_("published"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    # Text the search reads besides title and abstract (kept in step by hub.search.index).
    authors_text = models.TextField(blank=True, editable=False)
    messages_text = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)  # PostgreSQL only; NULL on SQLite
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("why it was withdrawn"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-number"]
        indexes = [models.Index(fields=["type_key"], name="hub_publication_type")]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def save(self, *args, **kwargs):
        # The slug follows the title; the number keeps the address stable (old slugs redirect).
        self.slug = slugify(self.title)[:100].strip("-") or str(self.number)
        if self.slug == "pdf":  # the PDF's own address
            self.slug = "paper-pdf"
        self.type_key = type_key(self.paper_type)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("hub:paper", args=[self.number, self.slug])

    @property
    def licence_uri(self) -> str:
        return LICENCE_URIS.get(self.licence, "")

    @property
    def year(self) -> int:
        return self.published_on.year

    def current_file(self) -> PublicationFile | None:
        files = sorted(self.files.all(), key=lambda f: f.version)
        return files[-1] if files else None


class PublicationAuthor(models.Model):
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="authors")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=200)
    affiliation = models.CharField(_("affiliation"), max_length=300, blank=True)
    country = CountryField(_("country"), blank=True)
    orcid = models.CharField(_("ORCID iD"), max_length=19, blank=True)

    class Meta:
        ordering = ["publication", "position"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self) -> str:
        return self.name


class PublicationFile(models.Model):
    """One version of the publication's PDF; the newest is the one served."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="files")
    version = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(upload_to=publication_file_path, max_length=200)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    note = models.TextField(_("what changed"), blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["publication", "version"]
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        constraints = [
            models.UniqueConstraint(fields=["publication", "version"], name="one_file_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.publication.number} v{self.version}"


class MonthlyUsage(models.Model):
    """How often a paper's page was read and its PDF fetched in one month: counts, and nothing about
    who read it (see hub.statistics)."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="usage")
    month = models.DateField(_("month"))  # its first day
    views = models.PositiveIntegerField(_("page views"), default=0)
    downloads = models.PositiveIntegerField(_("downloads"), default=0)

    class Meta:
        ordering = ["publication", "month"]
        verbose_name = _("monthly usage")
        verbose_name_plural = _("monthly usage")
        indexes = [models.Index(fields=["month"], name="hub_usage_month")]  # the statistics page's months
        constraints = [
            models.UniqueConstraint(fields=["publication", "month"], name="one_usage_row_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.publication_id} {self.month:%Y-%m}"
