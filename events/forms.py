from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Event, ParticipantType, Registration


class RegistrationForm(forms.ModelForm):
    participant_type = forms.ModelChoiceField(
        queryset=ParticipantType.objects.none(), label=_("I take part as")
    )

    class Meta:
        model = Registration
        fields = ["participant_type", "organisation", "position", "country"]

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        types = event.participant_types.all()
        if types:
            self.fields["participant_type"].queryset = types
        else:
            del self.fields["participant_type"]
        self.fields["organisation"].required = True

    def details(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "participant_type"}
