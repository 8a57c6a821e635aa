"""The submission form, one step at a time; each step saves the draft."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import Organisation
from accounts.validators import normalise_orcid
from conference.models import Question, Topic

from .models import Authorship, Conflict, Submission


def word_count(text: str) -> int:
    return len(text.split())


def abstract_too_long(count: int, limit: int) -> str:
    return ngettext(
        "This abstract has %(count)d word; the limit is %(limit)d.",
        "This abstract has %(count)d words; the limit is %(limit)d.",
        count,
    ) % {"count": count, "limit": limit}


def parse_keywords(text: str, *, limit: int) -> list[str]:
    """Comma-separated keywords, tidied and without repeats; more than `limit` is refused."""
    keywords: list[str] = []
    for word in text.split(","):
        word = " ".join(word.split())[:80]
        if word and word.lower() not in {k.lower() for k in keywords}:
            keywords.append(word)
    if len(keywords) > limit:
        raise forms.ValidationError(
            ngettext(
                "You gave %(count)d keyword; the limit is %(limit)d.",
                "You gave %(count)d keywords; the limit is %(limit)d.",
                len(keywords),
            )
            % {"count": len(keywords), "limit": limit}
        )
    return keywords


class StepForm(forms.ModelForm):
    """A step of the paper's form; `revision` is what the author loaded, checked again on save."""

    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revision"].initial = self.instance.revision
        self.edition = self.instance.edition


class TypeStep(StepForm):
    class Meta:
        model = Submission
        fields = ["submission_type", "track", "language"]
        widgets = {"submission_type": forms.RadioSelect, "track": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission_type"].queryset = self.edition.submission_types.all()
        self.fields["submission_type"].required = True
        self.fields["submission_type"].empty_label = None
        tracks = self.edition.tracks.all()
        self.fields["track"].queryset = tracks
        self.fields["track"].empty_label = None
        self.fields["track"].required = tracks.exists()
        if not tracks.exists():
            del self.fields["track"]
        languages = dict(settings.LANGUAGES)
        self.fields["language"].choices = [
            (c, languages[c]) for c in self.edition.languages if c in languages
        ]
        self.fields["language"].help_text = _("The language the paper is written in.")


class PaperStep(StepForm):
    class Meta:
        model = Submission
        fields = ["title", "abstract", "translation_language", "translated_title", "translated_abstract"]
        widgets = {"abstract": forms.Textarea(attrs={"rows": 10}),
                   "translated_abstract": forms.Textarea(attrs={"rows": 6})}  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = True
        self.fields["abstract"].required = True
        limit = self.edition.abstract_word_limit
        self.fields["abstract"].help_text = _("At most %(limit)d words.") % {"limit": limit}
        self.fields["translated_abstract"].help_text = _("Optional; at most %(limit)d words.") % {
            "limit": limit
        }
        self.fields["translation_language"].choices = [("", _("No translation"))] + [
            (code, name) for code, name in settings.LANGUAGES if code != self.instance.language
        ]
        self.fields["translated_title"].help_text = _("Optional: the title in another language.")

    def clean(self):
        cleaned = super().clean()
        limit = self.edition.abstract_word_limit
        for name in ["abstract", "translated_abstract"]:
            count = word_count(cleaned.get(name, ""))
            if count > limit:
                self.add_error(name, abstract_too_long(count, limit))
        has_translation = cleaned.get("translated_title") or cleaned.get("translated_abstract")
        if has_translation and not cleaned.get("translation_language"):
            self.add_error("translation_language", _("Say which language the translation is in."))
        return cleaned


# Enough for any paper the network receives; a cap also keeps the form from mailing a crowd.
MAX_AUTHORS = 20


class AuthorForm(forms.ModelForm):
    class Meta:
        model = Authorship
        fields = ["name", "email", "affiliation", "country", "orcid", "corresponding"]

    def clean_orcid(self):
        orcid = self.cleaned_data.get("orcid", "")
        return normalise_orcid(orcid) if orcid else ""

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class BaseAuthorFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, editor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editor = editor

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["ORDER"].label = _("Position in the list")
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this author")

    def get_unique_error_message(self, unique_check):
        if "email" in unique_check:
            return _("Each author appears once: two rows have the same e-mail address.")
        return super().get_unique_error_message(unique_check)

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not kept:
            raise forms.ValidationError(_("A paper needs at least one author."))
        emails = [f.cleaned_data["email"] for f in kept]
        if len(emails) != len(set(emails)):
            raise forms.ValidationError(_("Each author appears once: two rows have the same e-mail address."))
        if not any(f.cleaned_data.get("corresponding") for f in kept):
            raise forms.ValidationError(_("Mark at least one corresponding author."))
        if self.editor is not None and not any(f.instance.user_id == self.editor.pk for f in kept):
            raise forms.ValidationError(
                _("You cannot remove yourself: ask a co-author to do it, or withdraw the paper.")
            )
        for form in kept:
            if form.instance.user_id and form.has_changed() and "email" in form.changed_data:
                form.add_error("email", _("This author has claimed the paper: their address cannot change."))


AuthorFormSet = forms.inlineformset_factory(
    Submission, Authorship, form=AuthorForm, formset=BaseAuthorFormSet, extra=1, can_delete=True,
    can_order=True, max_num=MAX_AUTHORS, validate_max=True,
)  # fmt: skip


class TopicsStep(StepForm):
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"), queryset=Topic.objects.none(), widget=forms.CheckboxSelectMultiple,
        help_text=_("The Sustainable Development Goals and the call's keywords your paper speaks to."),
    )  # fmt: skip
    keywords_text = forms.CharField(
        label=_("Your own keywords"), required=False, help_text=_("Separated by commas.")
    )

    class Meta:
        model = Submission
        fields = ["topics"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = Topic.objects.for_edition(self.edition)
        self.fields["keywords_text"].initial = ", ".join(self.instance.keywords)
        self.fields["keywords_text"].help_text = _("Separated by commas; at most %(limit)d.") % {
            "limit": self.edition.keyword_limit
        }

    def clean_keywords_text(self):
        self.instance.keywords = parse_keywords(
            self.cleaned_data["keywords_text"], limit=self.edition.keyword_limit
        )
        return self.instance.keywords


class QuestionsStep(forms.Form):
    """The edition's own questions, one field each; answers are saved by the view."""

    revision = forms.IntegerField(widget=forms.HiddenInput)
    ANSWER_FILE_LIMIT = 10 * 1024 * 1024

    def __init__(self, *args, submission: Submission, **kwargs):
        super().__init__(*args, **kwargs)
        self.submission = submission
        self.fields["revision"].initial = submission.revision
        answers = {a.question_id: a for a in submission.answers.all()}
        fallback = submission.edition.main_language
        self.questions = list(submission.edition.questions.all())
        for question in self.questions:
            answer = answers.get(question.pk)
            field = self._field_for(question, fallback)
            field.label = str(question.text)
            field.help_text = str(question.help_text or "")
            field.required = question.required and not (
                question.kind == Question.Kind.FILE and answer and answer.file
            )
            if answer is not None:
                field.initial = self._initial(question, answer)
                if answer.file:
                    current = _("Current file: %(name)s. Choose another to replace it.") % {
                        "name": answer.file_name
                    }
                    field.help_text = f"{field.help_text} {current}".strip()
            self.fields[f"q{question.pk}"] = field

    def _field_for(self, question: Question, fallback: str) -> forms.Field:
        kind = Question.Kind
        choices = list(enumerate(question.option_labels(fallback=fallback)))
        if question.kind == kind.LONG_TEXT:
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
        if question.kind == kind.CHOICE:
            return forms.TypedChoiceField(choices=choices, coerce=int, widget=forms.RadioSelect)
        if question.kind == kind.MULTIPLE_CHOICE:
            return forms.TypedMultipleChoiceField(
                choices=choices, coerce=int, widget=forms.CheckboxSelectMultiple
            )
        if question.kind == kind.YES_NO:
            return forms.TypedChoiceField(
                choices=[(True, _("Yes")), (False, _("No"))], coerce=lambda v: v in (True, "True"),
                widget=forms.RadioSelect,
            )  # fmt: skip
        if question.kind == kind.FILE:
            return forms.FileField()
        return forms.CharField(max_length=500)

    def _initial(self, question: Question, answer):
        if question.kind == Question.Kind.FILE:
            return None
        return answer.value

    def clean(self):
        cleaned = super().clean()
        for question in self.questions:
            upload = cleaned.get(f"q{question.pk}") if question.kind == Question.Kind.FILE else None
            if upload and upload.size > self.ANSWER_FILE_LIMIT:
                self.add_error(f"q{question.pk}", _("This file is larger than 10 MB."))
        return cleaned

    def answers(self) -> list[tuple[Question, object]]:
        return [(q, self.cleaned_data.get(f"q{q.pk}")) for q in self.questions]


class ConflictsStep(forms.Form):
    """People and organisations who should not review the paper, declared by its authors."""

    revision = forms.IntegerField(widget=forms.HiddenInput)
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations"), queryset=Organisation.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Nobody from these organisations will review your paper."),
    )  # fmt: skip
    people = forms.CharField(
        label=_("People"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E-mail addresses of people who should not review your paper, one a line: recent "
                    "co-authors, supervisors, close colleagues."),
    )  # fmt: skip

    def __init__(self, *args, submission: Submission, **kwargs):
        super().__init__(*args, **kwargs)
        self.submission = submission
        declared = submission.conflicts.filter(kind=Conflict.Kind.DECLARED_BY_AUTHOR).select_related("user")
        self.fields["revision"].initial = submission.revision
        self.fields["organisations"].initial = [c.organisation_id for c in declared if c.organisation_id]
        self.fields["people"].initial = "\n".join(c.user.email if c.user_id else c.email for c in declared
                                                   if c.user_id or c.email)  # fmt: skip

    def clean_people(self) -> list[str]:
        text = self.cleaned_data["people"].replace(",", "\n").replace(";", "\n")
        emails = sorted({line.strip().lower() for line in text.splitlines() if line.strip()})
        # Whether an address has an account is never said: that would let anyone probe for accounts.
        invalid = [email for email in emails if not _is_email(email)]
        if invalid:
            raise forms.ValidationError(
                _("Not an e-mail address: %(values)s.") % {"values": ", ".join(invalid)}, code="invalid"
            )
        if len(emails) > 30:
            raise forms.ValidationError(_("Name at most 30 people; name their organisation instead."))
        return emails


def _is_email(value: str) -> bool:
    try:
        forms.EmailField().clean(value)
    except forms.ValidationError:
        return False
    return True


class UploadStep(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    file = forms.FileField(
        label=_("Paper (PDF)"), widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"})
    )

    def __init__(self, *args, submission: Submission, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revision"].initial = submission.revision
        edition = submission.edition
        limit = (
            submission.submission_type.page_limit if submission.submission_type_id else None
        ) or edition.page_limit
        self.fields["file"].help_text = _("PDF only, at most %(size)d MB and %(pages)d pages.") % {
            "size": edition.file_size_limit_mb,
            "pages": limit,
        }


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=3000)

    def __init__(self, *args, required: bool = True, label=None, help_text=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = required
        if label:
            self.fields["note"].label = label
        if help_text:
            self.fields["note"].help_text = help_text


class ExtensionForm(forms.Form):
    until = forms.DateTimeField(
        label=_("New deadline for this paper"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("In the edition's time zone. Leave empty to take an extension back."),
    )  # fmt: skip


class FinalVersionForm(StepForm):
    """The final PDF of an accepted paper and the metadata the hub will publish, confirmed by an author."""

    MAX_KEY_MESSAGES = 5

    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"), queryset=Topic.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    keywords_text = forms.CharField(label=_("Keywords"), required=False, help_text=_("Separated by commas."))
    file = forms.FileField(
        label=_("Final version (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    licence = forms.BooleanField(label=_("Licence"))

    class Meta:
        model = Submission
        fields = [
            "language",
            "title",
            "abstract",
            "translation_language",
            "translated_title",
            "translated_abstract",
        ]
        widgets = {
            "abstract": forms.Textarea(attrs={"rows": 8}),
            "translated_abstract": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = Topic.objects.for_edition(self.edition)
        self.fields["topics"].initial = list(self.instance.topics.all())
        self.fields["keywords_text"].initial = ", ".join(self.instance.keywords)
        for index in range(self.MAX_KEY_MESSAGES):
            self.fields[f"key_message_{index}"] = forms.CharField(
                label=_("Key message %(n)d") % {"n": index + 1},
                required=index == 0,
                max_length=300,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=(self.instance.key_messages + [""] * self.MAX_KEY_MESSAGES)[index],
                help_text=_("One sentence a policy maker can act on; at most 300 characters.")
                if index == 0
                else "",
            )
        self.fields["licence"].help_text = _(
            "I agree that the paper is published in the knowledge hub under the %(licence)s licence."
        ) % {"licence": self.edition.get_licence_display()}
        for name in ["title", "abstract"]:
            self.fields[name].required = True

    clean_keywords_text = TopicsStep.clean_keywords_text

    def clean(self):
        cleaned = super().clean()
        limit = self.edition.abstract_word_limit
        count = word_count(cleaned.get("abstract", ""))
        if count > limit:
            self.add_error("abstract", abstract_too_long(count, limit))
        return cleaned

    def key_messages(self) -> list[str]:
        messages = (
            self.cleaned_data.get(f"key_message_{i}", "").strip() for i in range(self.MAX_KEY_MESSAGES)
        )
        return [" ".join(message.split()) for message in messages if message]

    def apply(self, submission: Submission) -> None:
        """Copy the confirmed metadata onto the (locked) paper."""
        for name in self._meta.fields:
            setattr(submission, name, self.cleaned_data[name])
        submission.keywords = self.instance.keywords
        submission.key_messages = self.key_messages()
        submission.topics.set(self.cleaned_data["topics"])
