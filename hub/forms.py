"""The chair's forms for a published paper: a correction (a new version) and a withdrawal."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from submissions.pdf import inspect_pdf

from .importing import MAX_PDF_BYTES
from .models import Publication, validate_doi

MAX_KEY_MESSAGES = 5


class CorrectionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    abstract = forms.CharField(label=_("Abstract"), widget=forms.Textarea(attrs={"rows": 8}))
    keywords = forms.CharField(label=_("Keywords"), required=False, help_text=_("Separated by commas."))
    key_messages = forms.CharField(
        label=_("Key messages for policy makers"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, five at most."),
    )  # fmt: skip
    doi = forms.CharField(
        label=_("DOI"), required=False, max_length=100, validators=[validate_doi],
        help_text=_("Once the paper has one, e.g. 10.5281/zenodo.1234567: it is shown wherever it is cited."),
    )  # fmt: skip
    pdf = forms.FileField(
        label=_("A corrected PDF"), required=False, widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}),
        help_text=_("Only when the PDF itself changes; otherwise the current one is kept."),
    )  # fmt: skip
    note = forms.CharField(
        label=_("What changed"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000,
        help_text=_("Shown on the paper's page and mailed to its authors."),
    )  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def for_publication(cls, publication: Publication, **kwargs) -> CorrectionForm:
        initial = {
            "title": publication.title, "abstract": publication.abstract,
            "keywords": ", ".join(publication.keywords), "key_messages": "\n".join(publication.key_messages),
            "doi": publication.doi, "version": publication.version,
        }  # fmt: skip
        return cls(initial=initial, **kwargs)

    def clean_keywords(self) -> list[str]:
        return [word.strip() for word in self.cleaned_data["keywords"].split(",") if word.strip()]

    def clean_key_messages(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["key_messages"].splitlines() if line.strip()]
        if len(lines) > MAX_KEY_MESSAGES:
            raise forms.ValidationError(
                _("At most %(count)d key messages, one per line.") % {"count": MAX_KEY_MESSAGES}
            )
        return lines

    def clean_pdf(self) -> bytes | None:
        upload = self.cleaned_data.get("pdf")
        if not upload:
            return None
        return inspect_pdf(upload, max_bytes=MAX_PDF_BYTES, page_limit=None).data

    def changes(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("title", "abstract", "keywords", "key_messages", "doi")}


class WithdrawalForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the paper withdrawn?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
        help_text=_("The paper's page keeps its reference and shows this reason; its authors are told."),
    )  # fmt: skip
