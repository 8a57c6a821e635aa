import pytest
from django.urls import reverse

from conference.models import Question, Role, SubmissionType, Topic, Track
from tests.factories import EditionFactory, UserFactory

pytestmark = pytest.mark.django_db
PARTS = {"tracks": Track, "types": SubmissionType, "keywords": Topic, "questions": Question}


@pytest.fixture
def edition():
    return EditionFactory(year=2028, languages=["en", "fr"])


@pytest.fixture
def chair_client(client, edition):
    chair = UserFactory()
    Role.objects.create(edition=edition, user=chair, kind=Role.Kind.CHAIR)
    client.force_login(chair)
    return client


def url(edition):
    return reverse("conference:setup", args=[edition.series.slug, edition.year])


def management(prefix, total, initial=0):
    return {f"{prefix}-TOTAL_FORMS": total, f"{prefix}-INITIAL_FORMS": initial,
            f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000}  # fmt: skip


def empty_post():
    data = {}
    for prefix in PARTS:
        data.update(management(prefix, 0))
    return data


def test_a_chair_adds_a_track_a_type_a_keyword_and_a_choice_question(chair_client, edition):
    data = empty_post()
    data.update(management("tracks", 1))
    data.update({"tracks-0-name_0": "Education", "tracks-0-name_1": "Éducation", "tracks-0-position": 1})
    data.update(management("types", 1))
    data.update({"types-0-name_0": "Policy brief", "types-0-page_limit": 6, "types-0-position": 0})
    data.update(management("keywords", 1))
    data.update({"keywords-0-name_0": "Cooperatives"})
    data.update(management("questions", 1))
    data.update({
        "questions-0-text_0": "Region?", "questions-0-kind": "choice", "questions-0-position": 0,
        "questions-0-options_text": "Africa | Afrique\nEurope | Europe\n\n", "questions-0-required": "on",
        "questions-0-shown_to_reviewers": "on",
    })  # fmt: skip
    response = chair_client.post(url(edition), data, follow=True)
    assert "are saved" in response.content.decode()
    assert Track.objects.get(edition=edition).name == {"en": "Education", "fr": "Éducation"}
    assert SubmissionType.objects.get(edition=edition).page_limit == 6
    assert str(Topic.objects.get(edition=edition)) == "Cooperatives"
    question = Question.objects.get(edition=edition)
    assert question.options == [{"en": "Africa", "fr": "Afrique"}, {"en": "Europe", "fr": "Europe"}]
    assert question.required


def test_a_choice_with_one_option_is_refused_and_nothing_is_saved(chair_client, edition):
    data = empty_post()
    data.update(management("tracks", 1))
    data.update({"tracks-0-name_0": "Education", "tracks-0-position": 0})
    data.update(management("questions", 1))
    data.update({"questions-0-text_0": "Region?", "questions-0-kind": "choice", "questions-0-position": 0,
                 "questions-0-options_text": "Africa"})  # fmt: skip
    page = chair_client.post(url(edition), data).content.decode()
    assert "A choice needs at least two options." in page
    assert 'value="Education"' in page  # what was typed stays
    assert not Track.objects.filter(edition=edition).exists()


def test_a_name_in_the_main_language_is_required(chair_client, edition):
    data = empty_post()
    data.update(management("tracks", 1))
    data.update({"tracks-0-name_0": "", "tracks-0-name_1": "Éducation", "tracks-0-position": 0})
    page = chair_client.post(url(edition), data).content.decode()
    assert "the main language" in page
    assert not Track.objects.exists()


def test_a_chair_deletes_a_track(chair_client, edition):
    track = Track.objects.create(edition=edition, name={"en": "Old"})
    data = empty_post()
    data.update(management("tracks", 1, initial=1))
    data.update({"tracks-0-id": track.pk, "tracks-0-edition": edition.pk, "tracks-0-name_0": "Old",
                 "tracks-0-position": 0, "tracks-0-DELETE": "on"})  # fmt: skip
    chair_client.post(url(edition), data)
    assert not Track.objects.filter(pk=track.pk).exists()


def test_the_setup_page_costs_the_same_for_2_or_30_rows(chair_client, edition, django_assert_max_num_queries):
    def fill(n):
        for i in range(n):
            Track.objects.create(edition=edition, name={"en": f"T{i}"})
            SubmissionType.objects.create(edition=edition, name={"en": f"S{i}"})
            Topic.objects.create(edition=edition, name={"en": f"K{i}"})
            Question.objects.create(edition=edition, text={"en": f"Q{i}"}, kind="choice",
                                    options=[{"en": "a"}, {"en": "b"}])  # fmt: skip

    fill(2)
    with django_assert_max_num_queries(10):
        assert chair_client.get(url(edition)).status_code == 200
    fill(28)
    with django_assert_max_num_queries(10):
        assert chair_client.get(url(edition)).status_code == 200
