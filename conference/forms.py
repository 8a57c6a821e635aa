from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import Edition, Invitation, Role


class InvitationForm(forms.ModelForm):
    kind = forms.ChoiceField(label=_("Role"), choices=Role.Kind.choices, initial=Role.Kind.REVIEWER)

    class Meta:
        model = Invitation
        fields = ["email", "name", "kind", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"message": _("Added to the invitation mail, e.g. why you thought of them.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("invite", _("Send the invitation")))


class EditionSettingsForm(forms.ModelForm):
    """An edition's settings and timeline, as its chair edits them (dates in the edition's zone)."""

    main_language = forms.ChoiceField(label=_("Main language"), choices=settings.LANGUAGES)
    other_languages = forms.MultipleChoiceField(
        label=_("Other languages"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # The version the chair started from: a save over someone else's newer one is refused.
    loaded_version = forms.CharField(widget=forms.HiddenInput)

    class Meta:
        model = Edition
        fields = [
            "title", "call_text", "time_zone", "blind_mode", "reviews_per_paper", "submissions_per_author",
            "page_limit", "file_size_limit_mb", "licence", *Edition.TIMELINE, "announced",
        ]  # fmt: skip
        widgets = {name: forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
                   for name in Edition.TIMELINE}  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        languages = self.instance.languages or [settings.LANGUAGE_CODE]
        self.fields["main_language"].initial = languages[0]
        self.fields["other_languages"].initial = languages[1:]
        self.fields["loaded_version"].initial = self.instance.updated_at.isoformat()
        for name in ["title", "call_text"]:
            self.fields[name].set_languages(languages)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("save", _("Save the settings")))

    def clean(self):
        cleaned = super().clean()
        self._check_version(cleaned.get("loaded_version"))
        main = cleaned.get("main_language")
        if main:
            others = [code for code in cleaned.get("other_languages", []) if code != main]
            self.instance.languages = [main, *others]
        return cleaned

    def _check_version(self, loaded: str | None) -> None:
        current = Edition.objects.filter(pk=self.instance.pk).values_list("updated_at", flat=True).first()
        if loaded != (current.isoformat() if current else None):
            raise forms.ValidationError(
                _("Another chair changed these settings while you were editing them. Nothing was saved: "
                  "reload the page to see their changes, then make yours again."),
                code="stale",
            )  # fmt: skip

    @transaction.atomic
    def save(self, commit: bool = True) -> Edition:
        # Locked and checked again: of two chairs saving at once, the second is told, not overwritten.
        Edition.objects.select_for_update().get(pk=self.instance.pk)
        self._check_version(self.cleaned_data["loaded_version"])
        return super().save(commit=commit)
