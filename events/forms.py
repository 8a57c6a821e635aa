"""The registration form (the event's days, meals, needs, support, visa letter and its own questions),
and the organisers' forms: invitations, shared codes, group mail."""

from __future__ import annotations

import csv
import io

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, validate_email
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from config.multilingual import localise
from notifications import placeholders

from .models import Event, Invitation, InvitationCode, ParticipantType, Question, Registration

VISA_FIELDS = ["passport_name", "nationality", "passport_number", "date_of_birth"]


class DateInput(forms.DateInput):
    input_type = "date"


class RegistrationForm(forms.ModelForm):
    """Also edits a registration: its participant type is then fixed (a quota was counted for it), and
    passport details are write-only, never shown back, even to their owner."""

    participant_type = forms.ModelChoiceField(
        queryset=ParticipantType.objects.none(), label=_("I take part as")
    )
    code = forms.CharField(
        label=_("Invitation code"), max_length=40, required=False,
        help_text=_("The code in the invitation your organisation received."),
    )  # fmt: skip
    days = forms.MultipleChoiceField(label=_("I will attend on"), widget=forms.CheckboxSelectMultiple)
    meals = forms.MultipleChoiceField(
        label=_("I will take these meals"), widget=forms.CheckboxSelectMultiple, required=False
    )
    passport_name = forms.CharField(label=_("Name as in the passport"), max_length=200, required=False)
    nationality = LazyTypedChoiceField(label=_("Nationality"), choices=[("", "---------"), *countries],
                                       required=False)  # fmt: skip
    passport_number = forms.CharField(label=_("Passport number"), max_length=40, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput)

    class Meta:
        model = Registration
        fields = [
            "participant_type", "organisation", "position", "country", "days", "meals", "dietary_needs",
            "accessibility_needs", "arrival_on", "departure_on", "support", "support_details",
            "needs_visa_letter", "listed",
        ]  # fmt: skip
        widgets = {"arrival_on": DateInput, "departure_on": DateInput}
        labels = {"support": _("I ask for support with")}

    def __init__(self, *args, event: Event, needs_code: bool = False, fixed_type=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        editing = self.instance.pk is not None
        types = event.participant_types.all()
        if types and not editing and fixed_type is None:
            self.fields["participant_type"].queryset = types
        else:
            del self.fields["participant_type"]
        if not needs_code:
            del self.fields["code"]
        self.fields["organisation"].required = True
        self.fields["days"].choices = [(day.isoformat(), date_format(day, "l j F")) for day in event.days]
        self.fields["days"].initial = [day.isoformat() for day in event.days]
        if event.meals:
            self.fields["meals"].choices = event.meal_choices()
        else:
            del self.fields["meals"]
        self.fields["support"].choices = [("", _("No support needed")), *Registration.Support.choices]
        self.on_file = editing and hasattr(self.instance, "visa")
        if self.on_file:
            for name in VISA_FIELDS:
                self.fields[name].help_text = _("On file. Fill in only to replace it.")
        self.questions = list(event.questions.all())
        for question in self.questions:
            self.fields[question_field(question)] = _question_field(
                question, initial=self.instance.answers.get(str(question.pk))
            )

    def answer_fields(self):
        return [self[question_field(q)] for q in self.questions]

    def visa_fields(self):
        return [self[name] for name in VISA_FIELDS]

    def clean(self) -> dict:
        data = super().clean()
        arrival, departure = data.get("arrival_on"), data.get("departure_on")
        if arrival and departure and departure < arrival:
            self.add_error("departure_on", _("Departure must be on or after arrival."))
        if data.get("support") and not data.get("support_details", "").strip():
            self.add_error("support_details", _("Tell the organisers what support you need."))
        if not data.get("support"):
            data["support_details"] = ""
        given = {name: data.get(name) for name in VISA_FIELDS if data.get(name)}
        if (data.get("needs_visa_letter") and not self.on_file) or given:
            for name in VISA_FIELDS:
                if not data.get(name):
                    self.add_error(name, _("Needed for the visa invitation letter."))
        return data

    def details(self) -> dict:
        """The registration's own fields, with the answers to the event's questions."""
        skip = {"participant_type", "code", *VISA_FIELDS}
        values = {name: value for name, value in self.cleaned_data.items()
                  if name not in skip and not name.startswith("question_")}  # fmt: skip
        values["answers"] = {
            str(q.pk): self.cleaned_data[question_field(q)] for q in self.questions
            if self.cleaned_data.get(question_field(q)) not in (None, "")
        }  # fmt: skip
        return values

    def visa(self) -> dict | None:
        """Passport details to store, if any were given."""
        if not self.cleaned_data.get("passport_number"):
            return None
        return {name: self.cleaned_data[name] for name in VISA_FIELDS}


def question_field(question: Question) -> str:
    return f"question_{question.pk}"


def _question_field(question: Question, *, initial) -> forms.Field:
    label = localise(question.text)
    if question.kind == Question.Kind.CHOICE:
        choices = [("", "---------"), *((c, c) for c in question.choice_list)]
        return forms.ChoiceField(label=label, choices=choices, required=question.required, initial=initial)
    if question.kind == Question.Kind.YES_NO:
        choices = [("", "---------"), ("yes", _("Yes")), ("no", _("No"))]
        return forms.ChoiceField(label=label, choices=choices, required=question.required, initial=initial)
    return forms.CharField(label=label, max_length=1000, required=question.required, initial=initial,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["name", "email", "organisation", "participant_type"]

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["participant_type"].queryset = event.participant_types.all()

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if Invitation.objects.filter(event=self.event, email__iexact=email).exists():
            raise ValidationError(_("%(email)s is already invited.") % {"email": email})
        return email


MAX_IMPORT_BYTES = 1024 * 1024


class InvitationImportForm(forms.Form):
    file = forms.FileField(
        label=_("List of people (CSV)"),
        help_text=_("Columns: name, e-mail, organisation, participant type (its name as on this event). "
                    "A first row of headings is skipped."),
    )  # fmt: skip

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event

    def clean_file(self) -> list[dict]:
        """Every row, checked: one bad row refuses the whole file, with the line of each problem."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(_("This file is too large for a list of people (at most 1 MB)."))
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("Save the list as CSV in UTF-8 and try again.")) from None
        try:
            dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        types = {localise(t.name).casefold(): t for t in self.event.participant_types.all()}
        invited = {e.lower() for e in self.event.invitations.values_list("email", flat=True)}
        people, problems, seen = [], [], set()
        try:
            rows = list(csv.reader(io.StringIO(text.replace("\x00", "")), dialect))
        except csv.Error as error:
            refusal = _("This file is not a CSV list we can read (%(error)s).") % {"error": error}
            raise ValidationError(refusal) from None
        for line, row in enumerate(rows, 1):
            cells = [cell.strip() for cell in row] + ["", "", "", ""]
            name, email, organisation, kind = cells[:4]
            if not any(cells):
                continue
            if line == 1 and "@" not in email:
                continue  # headings
            if not _is_address(email):
                problems.append(_("Line %(line)d: “%(email)s” is not an e-mail address.") % {
                    "line": line, "email": email[:100]})  # fmt: skip
                continue
            if not name:
                problems.append(_("Line %(line)d: the name is missing.") % {"line": line})
            if kind and kind.casefold() not in types:
                problems.append(_("Line %(line)d: this event has no participant type “%(type)s”.") % {
                    "line": line, "type": kind})  # fmt: skip
            if email.lower() in invited or email.lower() in seen:
                continue  # already invited: importing the same list twice invites nobody twice
            seen.add(email.lower())
            people.append({"name": name[:200], "email": email, "organisation": organisation[:200],
                           "participant_type": types.get(kind.casefold()) if kind else None})  # fmt: skip
        if problems:
            raise ValidationError(problems)
        return people


def _is_address(email: str) -> bool:
    try:
        validate_email(email)
    except ValidationError:
        return False
    return len(email) <= Invitation._meta.get_field("email").max_length


class InvitationCodeForm(forms.ModelForm):
    class Meta:
        model = InvitationCode
        fields = ["code", "participant_type", "uses"]

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["participant_type"].queryset = event.participant_types.all()
        self.fields["uses"].min_value = 1
        self.fields["uses"].widget.attrs["min"] = 1
        self.fields["uses"].validators.append(MinValueValidator(1))

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if InvitationCode.objects.filter(event=self.event, code__iexact=code).exists():
            raise ValidationError(_("This event already has this code."))
        return code


class SupportForm(forms.ModelForm):
    class Meta:
        model = Registration
        fields = ["support_status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["support_status"].required = True
        self.fields["support_status"].choices = Registration.SupportStatus.choices


class GroupMailForm(forms.Form):
    audience = forms.ChoiceField(label=_("To"))
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 10}))
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        from .group_mail import AUDIENCES

        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = [(key, label) for key, (label, _statuses) in AUDIENCES.items()]

    def clean(self) -> dict:
        from .group_mail import PLACEHOLDERS

        cleaned = super().clean()
        try:
            placeholders.check(f"{cleaned.get('subject') or ''} {cleaned.get('body') or ''}", PLACEHOLDERS)
        except ValidationError as refusal:
            self.add_error(None, refusal)
        return cleaned
