import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from conference.models import Question
from tests.factories import EditionFactory

pytestmark = pytest.mark.django_db


def question(**kwargs):
    defaults = {"edition": EditionFactory(), "text": {"en": "Region?"}, "kind": Question.Kind.CHOICE}
    return Question(**{**defaults, **kwargs})


@pytest.mark.parametrize(
    "kind, options, error",
    [
        (Question.Kind.CHOICE, [{"en": "Africa"}], "at least two options"),
        (Question.Kind.MULTIPLE_CHOICE, [], "at least two options"),
        (Question.Kind.CHOICE, ["Africa", "Europe"], "Each option is written as"),
        (Question.Kind.CHOICE, [{"en": ""}, {"en": "Europe"}], "Each option is written as"),
        (Question.Kind.YES_NO, [{"en": "Maybe"}, {"en": "Perhaps"}], "Only choices have options"),
    ],
)
def test_questions_with_the_wrong_options_are_refused_with_a_reason(kind, options, error):
    with pytest.raises(ValidationError) as refusal:
        question(kind=kind, options=options).full_clean()
    assert error in refusal.value.message_dict["options"][0]


def test_options_read_in_the_readers_language_with_the_editions_fallback():
    q = question(options=[{"en": "Africa", "fr": "Afrique"}, {"en": "Europe"}])
    q.full_clean()
    with translation.override("fr"):
        assert q.option_labels(fallback="en") == ["Afrique", "Europe"]
