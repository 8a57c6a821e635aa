"""Content that organisers write in several languages, shown in the reader's language.

One mechanism for the whole project (see README, "Multilingual content"): a JSON field holding
{"en": "…", "fr": "…"}. Reading picks the reader's language, then the content's own main
language (an edition's), then English, then whatever exists. It lives here, beside the
settings, because every app uses it and it depends on nothing but LANGUAGES.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


class Translations(dict):
    """A {language: text} dict that prints in the active language."""

    def get_text(self, language: str | None = None, *, fallback: str | None = None) -> str:
        language = language or translation.get_language() or settings.LANGUAGE_CODE
        for code in (language, language.split("-")[0], fallback, settings.LANGUAGE_CODE, *language_codes()):
            if code and self.get(code):
                return self[code]
        return next((text for text in self.values() if text), "")

    def __str__(self) -> str:
        return self.get_text()

    def __html__(self) -> str:
        # Plain text: escaped by the template like any string.
        from django.utils.html import escape

        return escape(self.get_text())


def localise(value, *, fallback: str | None = None, language: str | None = None) -> str:
    """The text of `value` for the reader, falling back to `fallback` (the content's main language)."""
    if isinstance(value, dict):
        return Translations(value).get_text(language, fallback=fallback)
    return value or ""


class MultilingualField(models.JSONField):
    """A model field for organiser-written text in several languages."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", True)
        self.long = kwargs.pop("long", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.long:
            kwargs["long"] = True
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        value = super().from_db_value(value, expression, connection)
        return Translations(value) if isinstance(value, dict) else value

    def to_python(self, value):
        return Translations(value) if isinstance(value, dict) else value

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        unknown = set(value or {}) - set(language_codes())
        if unknown:
            raise ValidationError(_("Unknown language: %(codes)s.") % {"codes": ", ".join(sorted(unknown))})

    def formfield(self, **kwargs):
        return MultilingualFormField(
            label=capfirst(self.verbose_name),
            required=not self.blank,
            help_text=self.help_text,
            long=self.long,
        )


class MultilingualWidget(forms.MultiWidget):
    template_name = "includes/multilingual_widget.html"

    def __init__(self, languages: list[str], long: bool = False, attrs=None):
        self.languages = languages
        widget = forms.Textarea(attrs={"rows": 6}) if long else forms.TextInput()
        super().__init__([widget] * len(languages), attrs)

    def decompress(self, value):
        value = value or {}
        return [value.get(code, "") for code in self.languages]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        names = dict(settings.LANGUAGES)
        for code, subwidget in zip(self.languages, context["widget"]["subwidgets"], strict=True):
            subwidget["language"] = code
            subwidget["language_name"] = names.get(code, code)
            subwidget["attrs"]["lang"] = code
        return context


class MultilingualFormField(forms.MultiValueField):
    """One input per language; the first language (the content's main one) is required."""

    def __init__(
        self, *, languages: list[str] | None = None, long: bool = False, required: bool = True, **kwargs
    ):
        self.languages = languages or language_codes()
        fields = [forms.CharField(required=False) for _code in self.languages]
        super().__init__(
            fields=fields,
            widget=MultilingualWidget(self.languages, long=long),
            require_all_fields=False,
            required=required,
            **kwargs,
        )
        self.main_required = required

    def set_languages(self, languages: list[str]) -> None:
        """Offer the inputs of these languages only, the main one first (an edition's languages)."""
        long = isinstance(self.widget.widgets[0], forms.Textarea) if self.widget.widgets else False
        self.languages = list(languages)
        self.fields = [forms.CharField(required=False) for _code in self.languages]
        self.widget = MultilingualWidget(self.languages, long=long)

    def compress(self, data_list):
        return Translations(
            {code: text.strip() for code, text in zip(self.languages, data_list or [], strict=False) if text}
        )

    def clean(self, value):
        result = super().clean(value)
        main = self.languages[0] if self.languages else settings.LANGUAGE_CODE
        if self.main_required and not (result or {}).get(main):
            names = dict(settings.LANGUAGES)
            raise ValidationError(
                _("Please write it at least in %(language)s, the main language.")
                % {"language": names.get(main, main)},
                code="main_language_missing",
            )
        return result or Translations()
