"""Two chairs save an edition's settings at the same moment, on PostgreSQL, in real threads."""

import threading
from datetime import UTC, datetime

from django.db import connection
from django.test import Client
from django.urls import reverse

from conference.models import Edition, Role
from tests.conference.test_settings_page import form_data
from tests.factories import EditionFactory, UserFactory


def test_of_two_chairs_saving_at_once_one_wins_and_the_other_is_told(real_services):
    edition = EditionFactory(year=2028, languages=["en"], cfp_opens_at=datetime(2028, 1, 1, 12, tzinfo=UTC))
    chairs = [UserFactory(), UserFactory()]
    for chair in chairs:
        Role.objects.create(edition=edition, user=chair, kind=Role.Kind.CHAIR)
    url = reverse("conference:settings", args=[edition.series.slug, edition.year])
    posts = [form_data(edition, title_0=f"Title by chair {n}") for n in range(2)]  # both from one version
    barrier = threading.Barrier(2)
    pages: dict[int, str] = {}

    def save(n):
        client = Client()
        client.force_login(chairs[n])
        barrier.wait(timeout=30)
        try:
            pages[n] = client.post(url, posts[n], follow=True).content.decode()
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=[n]) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    saved = [n for n, page in pages.items() if "The settings are saved." in page]
    told = [n for n, page in pages.items() if "Another chair changed these settings" in page]
    assert len(saved) == 1 and len(told) == 1, pages.keys()
    assert Edition.objects.get(pk=edition.pk).title == {"en": f"Title by chair {saved[0]}"}
