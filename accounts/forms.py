from dataclasses import dataclass

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import User
from .photos import make_thumbnail
from .validators import normalise_orcid


class SignupForm(forms.Form):
    """Extra fields for allauth's sign-up form."""

    name = forms.CharField(
        label=_("Full name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )

    def signup(self, request, user: User) -> None:
        user.name = self.cleaned_data["name"]
        user.preferred_language = translation.get_language() or user.preferred_language
        user.save(update_fields=["name", "preferred_language"])


@dataclass(frozen=True)
class CurrentPhoto:
    """What the file input shows as "Currently": the guarded URL, never the storage path."""

    url: str
    name: str

    def __str__(self) -> str:
        return self.name


class ProfileForm(forms.ModelForm):
    # Longer than the stored form: people paste https://orcid.org/… and we keep the 19 characters.
    orcid = forms.CharField(
        label=_("ORCID iD"),
        max_length=60,
        required=False,
        help_text=_("Like 0000-0002-1825-0097. Find yours at orcid.org."),
    )
    photo = forms.FileField(
        label=_("Profile photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
        help_text=_("JPEG, PNG, GIF or WebP, up to 5 MB. We keep a small copy without its metadata."),
    )

    class Meta:
        model = User
        fields = ["name", "organisation", "affiliation", "country", "orcid", "preferred_language"]
        widgets = {"name": forms.TextInput(attrs={"autocomplete": "name"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.photo:
            self.fields["photo"].initial = CurrentPhoto(self.instance.photo_url(), _("your current photo"))
        self.fields["organisation"].queryset = self.fields["organisation"].queryset.order_by("name")
        self._thumbnail = None
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("save", _("Save profile")))

    def clean_orcid(self) -> str:
        value = self.cleaned_data["orcid"]
        return normalise_orcid(value) if value else ""

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if isinstance(photo, UploadedFile):
            self._thumbnail = make_thumbnail(photo)
        return photo

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        old_photo = user.photo.name if user.photo else ""
        if self._thumbnail is not None:
            user.photo.save("photo.jpg", self._thumbnail, save=False)
        elif self.cleaned_data.get("photo") is False:
            user.photo = ""
        if commit:
            user.save()
            if old_photo and old_photo != user.photo.name:
                user.photo.storage.delete(old_photo)
        return user


class DeleteAccountForm(forms.Form):
    confirm_email = forms.EmailField(
        label=_("Type your e-mail address to confirm"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("delete", _("Delete my account for good"), css_class="btn-danger"))

    def clean_confirm_email(self) -> str:
        value = self.cleaned_data["confirm_email"]
        if value.strip().lower() != self.user.email.lower():
            raise forms.ValidationError(_("This is not the e-mail address of your account."))
        return value
