"""How fast a chair's list of a large call renders and exports.

Run: `make bench` (or `python -m bench.submissions`). Uses a scratch database unless DATABASE_URL is set.
"""

import os
import sys
import tempfile
import time

# A large call: 1,000 papers with 3 authors and 3 topics each. The first page of the chair's list
# must render within 300 ms; the CSV export of every paper within 2 s and the XLSX within 4 s.
PAPERS = 1000
TARGETS = {"list page": 0.3, "CSV export": 2.0, "XLSX export": 4.0}


def main() -> int:
    handle, scratch = tempfile.mkstemp(suffix=".sqlite3")
    os.close(handle)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}")
    if not os.environ["DATABASE_URL"].endswith(("bench", ".sqlite3")):
        sys.exit("Point DATABASE_URL at a database whose name ends in 'bench', or leave it unset.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from conference.models import Edition, Role, Series, SubmissionType, Topic, Track
    from submissions.models import Authorship, Submission

    call_command("migrate", verbosity=0)
    series, _ = Series.objects.get_or_create(slug="bench", defaults={"name": {"en": "Bench"}})
    now = timezone.now()
    edition, created = Edition.objects.get_or_create(
        series=series, year=2030,
        defaults={"title": {"en": "Bench"}, "languages": ["en"], "cfp_opens_at": now,
                  "submission_deadline": now + timezone.timedelta(days=10),
                  "review_deadline": now + timezone.timedelta(days=20),
                  "notification_date": now + timezone.timedelta(days=30),
                  "camera_ready_deadline": now + timezone.timedelta(days=40)},
    )  # fmt: skip
    chair, _ = User.objects.get_or_create(email="bench-chair@example.org", defaults={"name": "Bench Chair"})
    Role.objects.get_or_create(edition=edition, user=chair, kind=Role.Kind.CHAIR)
    if created:
        kind = SubmissionType.objects.create(edition=edition, name={"en": "Paper"})
        track = Track.objects.create(edition=edition, name={"en": "Track"})
        papers = Submission.objects.bulk_create(
            Submission(edition=edition, number=n, state="submitted", language="en", title=f"Paper {n}",
                       abstract="An abstract. " * 30, submission_type=kind, track=track, submitted_at=now)
            for n in range(1, PAPERS + 1)
        )  # fmt: skip
        Authorship.objects.bulk_create(
            Authorship(submission=paper, position=p, name=f"Author {paper.number}-{p}",
                       email=f"a{paper.number}-{p}@example.org", country="CH", corresponding=p == 0)
            for paper in papers for p in range(3)
        )  # fmt: skip
        sdgs = list(Topic.objects.sdgs()[:3])
        Submission.topics.through.objects.bulk_create(
            Submission.topics.through(submission_id=paper.pk, topic_id=topic.pk)
            for paper in papers
            for topic in sdgs
        )

    client = Client(HTTP_HOST="localhost")
    client.force_login(chair)
    base = f"/calls/{series.slug}/{edition.year}/chair/submissions/"
    timings = {}
    for name, url in [
        ("list page", base),
        ("CSV export", base + "export.csv"),
        ("XLSX export", base + "export.xlsx"),
    ]:
        client.get(url)  # warm caches and templates
        started = time.perf_counter()
        response = client.get(url)
        timings[name] = time.perf_counter() - started
        assert response.status_code == 200, (url, response.status_code)

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"chair's submissions on {engine}, {PAPERS} papers")
    missed = False
    for name, seconds in timings.items():
        ok = seconds <= TARGETS[name]
        missed |= not ok
        verdict = "ok" if ok else "MISSED"
        print(f"  {name:<14} {seconds * 1000:8.0f} ms   target ≤ {TARGETS[name] * 1000:.0f} ms   {verdict}")
    os.unlink(scratch)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
