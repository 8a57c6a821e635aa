from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from conference.forms import EditionPartForm
from conference.models import Edition, Role, Topic
from notifications import placeholders

from .models import (
    Criterion,
    DecisionMail,
    GroupMail,
    Outcome,
    ReviewerPaper,
    ReviewerProfile,
    ReviewForm,
    ReviewSettings,
)

MIN_POINTS, MAX_POINTS = 2, 10


class ReviewerProfileForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages you review in"), choices=settings.LANGUAGES, widget=forms.CheckboxSelectMultiple,
        help_text=_("You are only given papers written in these languages."),
    )  # fmt: skip

    class Meta:
        model = ReviewerProfile
        fields = ["topics", "expertise", "languages", "max_load", "min_load"]
        widgets = {"topics": forms.CheckboxSelectMultiple, "expertise": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = Topic.objects.for_edition(self.instance.edition)
        self.fields["topics"].help_text = _("The SDGs and keywords you know well.")

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_load"), cleaned.get("max_load")
        if low is not None and high is not None and low > high:
            self.add_error("min_load", _("This cannot be more than your maximum."))
        return cleaned


ReviewerPaperFormSet = forms.inlineformset_factory(
    ReviewerProfile, ReviewerPaper, fields=["title", "abstract"], extra=1, max_num=5, validate_max=True,
    can_delete=True, widgets={"abstract": forms.Textarea(attrs={"rows": 3})},
)  # fmt: skip


class AddConflictForm(forms.Form):
    number = forms.IntegerField(label=_("Paper number"), min_value=1)
    email = forms.EmailField(label=_("Person's e-mail address"))
    reason = forms.CharField(label=_("Reason"), max_length=300)


class DismissConflictForm(forms.Form):
    reason = forms.CharField(label=_("Why it does not hold"), max_length=300)


class ReviewEditForm(forms.Form):
    """A review: one field a criterion, then the recommendation, the confidence and the comments."""

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    recommendation = forms.ChoiceField(label=_("Recommendation"), choices=[], widget=forms.RadioSelect)
    confidence = forms.TypedChoiceField(label=_("Your confidence"), coerce=int, widget=forms.RadioSelect)
    comments_to_authors = forms.CharField(
        label=_("Comments to the authors"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000,
        help_text=_("Shown to the authors once the decisions are released, without your name."),
    )  # fmt: skip
    confidential_comments = forms.CharField(
        label=_("Confidential comments to the committee"), widget=forms.Textarea(attrs={"rows": 4}),
        required=False, max_length=10000, help_text=_("Never shown to the authors."),
    )  # fmt: skip

    CONFIDENCE = [
        (1, _("1 – I am guessing")), (2, _("2 – Not my field")), (3, _("3 – Fairly sure")),
        (4, _("4 – Sure")), (5, _("5 – I know this field well")),
    ]  # fmt: skip

    def __init__(self, *args, criteria, review=None, fallback: str, **kwargs):
        from .models import Review

        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        self.fields["recommendation"].choices = Review.Recommendation.choices
        self.fields["confidence"].choices = self.CONFIDENCE
        for criterion in self.criteria:
            self.fields[f"c{criterion.pk}"] = forms.TypedChoiceField(
                label=str(criterion.name), coerce=int, choices=criterion.choices(fallback=fallback),
                widget=forms.RadioSelect, help_text=str(criterion.description or ""),
            )  # fmt: skip
        # Fields order: criteria first, as on paper forms.
        self.order_fields([f"c{c.pk}" for c in self.criteria] + ["recommendation", "confidence"])
        # A new review is at revision 0: two tabs opened before the first save must still clash.
        self.fields["revision"].initial = review.revision if review is not None else 0
        if review is not None:
            self.initial.update({
                "recommendation": review.recommendation, "confidence": review.confidence,
                "comments_to_authors": review.comments_to_authors,
                "confidential_comments": review.confidential_comments,
                **{f"c{pk}": point for pk, point in review.scores.items()},
            })  # fmt: skip

    def make_lenient(self) -> None:
        """A draft may be saved half-done: nothing is required then."""
        for field in self.fields.values():
            field.required = False

    def review_data(self) -> dict:
        data = self.cleaned_data
        return {
            "scores": {
                str(c.pk): data.get(f"c{c.pk}") for c in self.criteria if data.get(f"c{c.pk}") is not None
            },
            "recommendation": data.get("recommendation") or "",
            "confidence": data.get("confidence") or None,
            "comments_to_authors": data.get("comments_to_authors", ""),
            "confidential_comments": data.get("confidential_comments", ""),
        }


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you decline"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
        help_text=_("For the chairs only, to find someone else."),
    )  # fmt: skip


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your message"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )


class ReviewSettingsForm(forms.ModelForm):
    paper_manager = forms.ModelChoiceField(
        label=_("Paper manager"), queryset=None, required=False,
        help_text=_("Another chair or a committee member, who handles papers a chair is in conflict with."),
    )  # fmt: skip

    class Meta:
        model = ReviewSettings
        fields = [
            "bid_weight", "topic_weight", "text_weight", "load_spreading", "reviewers_see_each_other",
            "disagreement_threshold", "calibration",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        edition = self.instance.edition
        organisers = Role.objects.filter(edition=edition, kind__in=[Role.Kind.CHAIR, Role.Kind.COMMITTEE])
        self.fields["paper_manager"].queryset = (
            get_user_model().objects.filter(pk__in=organisers.values("user")).order_by("name")
        )
        self.fields["paper_manager"].initial = edition.paper_manager_id

    def clean(self):
        cleaned = super().clean()
        weights = [cleaned.get(name) or 0 for name in ("bid_weight", "topic_weight", "text_weight")]
        if not any(weights):
            raise forms.ValidationError(_("At least one weight must be above zero."))
        return cleaned


class CriterionForm(EditionPartForm):
    """A scored criterion: its name and description in the edition's languages, weight and scale."""

    scale_text = forms.CharField(
        label=_("Scale"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One point a line, lowest first; its languages separated by | in the order of the "
                    "edition's. From 2 to 10 points."),
    )  # fmt: skip

    class Meta:
        model = Criterion
        fields = ["name", "description", "weight", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        languages = self.edition.languages or [settings.LANGUAGE_CODE]
        self.fields["scale_text"].initial = "\n".join(
            " | ".join(label.get(code, "") for code in languages) for label in self.instance.scale
        )

    def clean(self):
        cleaned = super().clean()
        languages = self.edition.languages or [settings.LANGUAGE_CODE]
        scale = []
        for line in (cleaned.get("scale_text") or "").splitlines():
            texts = [text.strip() for text in line.split("|")]
            if any(texts):
                scale.append({code: text for code, text in zip(languages, texts, strict=False) if text})
        if "scale_text" in cleaned and not MIN_POINTS <= len(scale) <= MAX_POINTS:
            self.add_error(
                "scale_text",
                _("Give from %(low)d to %(high)d points, one a line (you gave %(count)d).")
                % {"low": MIN_POINTS, "high": MAX_POINTS, "count": len(scale)},
            )
        self.instance.scale = scale
        return cleaned


class BaseCriterionFormSet(forms.BaseInlineFormSet):
    """Once a review is written, its scores name these criteria and their points: from then on only
    wording, weights and order may change."""

    def __init__(self, *args, reviewed: bool = False, **kwargs):
        self.reviewed = reviewed
        super().__init__(*args, **kwargs)
        if reviewed:
            self.extra = 0

    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not kept:
            raise forms.ValidationError(_("The form needs at least one criterion."))
        if not self.reviewed:
            return
        # Read again: the forms' instances (the formset's queryset) already hold the new scales.
        saved = Criterion.objects.filter(form=self.instance)
        points_before = {criterion.pk: len(criterion.scale) for criterion in saved}
        for form in self.forms:
            if not form.cleaned_data:
                continue
            if form.instance.pk is None:
                raise forms.ValidationError(_("Reviews are being written: no criterion can be added now."))
            if form.cleaned_data.get("DELETE"):
                raise forms.ValidationError(_("Reviews are being written: no criterion can be removed now."))
            before = points_before.get(form.instance.pk)
            if before != len(form.instance.scale):
                message = _(
                    "Reviews already use this scale of %(count)d points: change its labels, not their number."
                )
                form.add_error("scale_text", message % {"count": before})


CriterionFormSet = forms.inlineformset_factory(
    ReviewForm, Criterion, form=CriterionForm, formset=BaseCriterionFormSet, extra=1, can_delete=True,
)  # fmt: skip


class DecisionMailForm(forms.ModelForm):
    class Meta:
        model = DecisionMail
        fields = ["subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 16})}

    def clean(self):
        from .release import PLACEHOLDERS

        cleaned = super().clean()
        for name in ("subject", "body"):
            try:
                placeholders.check(cleaned.get(name) or "", PLACEHOLDERS)
            except ValidationError as refusal:
                self.add_error(name, refusal)
        return cleaned


class GroupMailForm(forms.Form):
    audience = forms.ChoiceField(label=_("To"), choices=GroupMail.Audience.choices, widget=forms.RadioSelect)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Text"), max_length=20000, widget=forms.Textarea(attrs={"rows": 12}))
    token = forms.CharField(widget=forms.HiddenInput, max_length=32)

    def clean(self):
        from .group_mail import PLACEHOLDERS

        cleaned = super().clean()
        try:
            placeholders.check(f"{cleaned.get('subject') or ''} {cleaned.get('body') or ''}", PLACEHOLDERS)
        except forms.ValidationError as refusal:
            self.add_error("body", refusal)
        return cleaned


class OutcomeForm(EditionPartForm):
    class Meta:
        model = Outcome
        fields = ["name", "maps_to", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.decisions.exists():
            # Papers were decided (and maybe told) under this meaning: it is kept, the name may change.
            self.fields["maps_to"].disabled = True
            self.fields["maps_to"].help_text = _("Papers have been given this outcome: what it means stays.")


class BaseOutcomeFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not {f.cleaned_data.get("maps_to") for f in kept} >= set(Outcome.MapsTo.values):
            raise forms.ValidationError(_("Keep at least one outcome that accepts and one that rejects."))
        for form in self.forms:
            if form.cleaned_data.get("DELETE") and form.instance.pk and form.instance.decisions.exists():
                raise forms.ValidationError(
                    _("“%(name)s” has been given to papers: it cannot be removed, only renamed.")
                    % {"name": form.instance}
                )


OutcomeFormSet = forms.inlineformset_factory(
    Edition, Outcome, form=OutcomeForm, formset=BaseOutcomeFormSet, extra=1, can_delete=True
)
