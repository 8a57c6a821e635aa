import pytest
from django import forms
from django.utils import translation

from conference.models import Topic
from config.multilingual import MultilingualFormField, Translations, localise
from tests.factories import EditionFactory

pytestmark = pytest.mark.django_db


def test_text_is_shown_in_the_readers_language():
    title = Translations({"en": "Call for papers", "fr": "Appel à communications"})
    with translation.override("fr"):
        assert str(title) == "Appel à communications"
    with translation.override("es"):
        assert localise(title, fallback="fr") == "Appel à communications"
        assert localise(title, fallback="en") == "Call for papers"


def test_missing_languages_fall_back_to_the_main_language_then_to_anything_written():
    assert localise({"es": "Convocatoria"}, language="fr", fallback="en") == "Convocatoria"
    assert localise({"en": "", "fr": "Appel"}, language="en") == "Appel"
    assert localise({}, language="fr") == ""
    assert localise("plain", language="fr") == "plain"


def test_a_french_reader_sees_french_sdg_names_and_the_main_language_where_french_is_missing():
    edition = EditionFactory(title={"en": "Call 2028"}, languages=["en", "fr"])
    edition.refresh_from_db()
    assert isinstance(edition.title, Translations)
    with translation.override("fr"):
        assert edition.text("title") == "Call 2028"
        assert str(Topic.objects.get(sdg_number=4).name) == "Éducation de qualité"
    with translation.override("es"):
        assert str(Topic.objects.get(sdg_number=13).name) == "Acción por el clima"


def test_the_seventeen_sdgs_are_there_in_three_languages():
    sdgs = list(Topic.objects.sdgs())
    assert [t.sdg_number for t in sdgs] == list(range(1, 18))
    assert all(set(t.name) == {"en", "fr", "es"} and all(t.name.values()) for t in sdgs)
    assert sdgs[16].name["en"] == "Partnerships for the goals"


class TitleForm(forms.Form):
    title = MultilingualFormField(label="Title")


def test_the_form_field_needs_the_main_language_and_keeps_the_others():
    form = TitleForm(data={"title_0": "", "title_1": "Titre", "title_2": ""})
    assert not form.is_valid()
    assert "main language" in form.errors["title"][0]
    form = TitleForm(data={"title_0": " Title ", "title_1": "Titre", "title_2": ""})
    assert form.is_valid()
    assert form.cleaned_data["title"] == {"en": "Title", "fr": "Titre"}


def test_the_form_field_offers_an_editions_languages_main_one_first():
    form = TitleForm()
    form.fields["title"].set_languages(["fr", "en"])
    html = form.as_p()
    assert html.index('lang="fr"') < html.index('lang="en"')
    assert 'lang="es"' not in html
    form = TitleForm(data={"title_0": "", "title_1": "English only"})
    form.fields["title"].set_languages(["fr", "en"])
    assert not form.is_valid()
    assert "French" in form.errors["title"][0]
