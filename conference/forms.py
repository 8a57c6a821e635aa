from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from config.multilingual import MultilingualFormField

from .models import Edition, Invitation, Question, Role, SubmissionType, Topic, Track


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
            "page_limit", "file_size_limit_mb", "abstract_word_limit", "keyword_limit", "licence",
            *Edition.TIMELINE, "announced",
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


class EditionPartForm(forms.ModelForm):
    """A track, type, keyword or question of an edition, its texts in the edition's languages."""

    def __init__(self, *args, edition: Edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        for field in self.fields.values():
            if isinstance(field, MultilingualFormField):
                field.set_languages(edition.languages or [settings.LANGUAGE_CODE])
                for widget in field.widget.widgets:
                    if isinstance(widget, forms.Textarea):
                        widget.attrs["rows"] = 2  # many rows on one page: keep each short


class QuestionForm(EditionPartForm):
    options_text = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For choices: one option a line, its languages separated by | in the order of the edition's."
        ),
    )

    class Meta:
        model = Question
        fields = ["text", "help_text", "kind", "required", "shown_to_reviewers", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        languages = self.edition.languages or [settings.LANGUAGE_CODE]
        self.fields["options_text"].initial = "\n".join(
            " | ".join(option.get(code, "") for code in languages) for option in self.instance.options
        )

    def clean(self):
        cleaned = super().clean()
        languages = self.edition.languages or [settings.LANGUAGE_CODE]
        options = []
        for line in cleaned.get("options_text", "").splitlines():
            texts = [text.strip() for text in line.split("|")]
            if any(texts):
                options.append({code: text for code, text in zip(languages, texts, strict=False) if text})
        self.instance.options = options
        return cleaned

    def _update_errors(self, errors):
        # The model speaks of `options`; the chair typed them in `options_text`.
        if hasattr(errors, "error_dict") and "options" in errors.error_dict:
            errors.error_dict["options_text"] = errors.error_dict.pop("options")
        super()._update_errors(errors)


def edition_part_formset(model, *, fields: list[str] | None = None, form=EditionPartForm):
    return forms.inlineformset_factory(
        Edition, model, form=form, fields=fields, extra=1, can_delete=True, fk_name="edition"
    )


TrackFormSet = edition_part_formset(Track, fields=["name", "description", "position"])
SubmissionTypeFormSet = edition_part_formset(
    SubmissionType, fields=["name", "description", "page_limit", "position"]
)
KeywordFormSet = edition_part_formset(Topic, fields=["name"])
QuestionFormSet = edition_part_formset(Question, form=QuestionForm)
