"""Demo hub: the published papers of the 2022 and 2025 calls with a few months of readers, and two
approved final versions of 2025 left for the chair to publish."""

import random

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.demo import register_demo


@register_demo(order=70)
def seed_hub() -> list[tuple[str, str]]:
    from submissions.models import Document, StateChange, Submission

    from .models import Publication
    from .services import correct, freeze

    if Publication.objects.exists():
        return []
    published = (
        Submission.objects.filter(state=Submission.State.PUBLISHED)
        .select_related("edition__series", "submission_type")
        .prefetch_related("documents", "authorships", "topics")
        .order_by("edition__year", "number")
    )
    for paper in published:
        document = paper.current_document("final") or paper.current_document("paper")
        moved = StateChange.objects.filter(submission=paper, new=Submission.State.PUBLISHED).first()
        when = (moved.at if moved else paper.edition.camera_ready_deadline).date()
        with document.file.open("rb") as handle:
            freeze(paper, pdf=handle.read(), published_on=when)
    _seed_usage(Publication.objects.order_by("number"))
    # One 2022 paper got its DOI after publishing: version 2 says so on its page and in its citations.
    first = Publication.objects.order_by("number").first()
    if first is not None:
        correct(publication=first, by=None, note="The paper received its DOI.", doi="10.5281/zenodo.7012345")
    # The approved final versions of 2025 get their final PDF, so that "Publish to the hub" has work.
    for paper in Submission.objects.filter(state=Submission.State.CAMERA_READY).prefetch_related("documents"):
        if paper.current_document("final") is None:
            source = paper.current_document("paper")
            with source.file.open("rb") as handle:
                final = Document(
                    submission=paper, kind="final", version=1, original_name=source.original_name,
                    size=source.size, sha256=source.sha256, pages=source.pages,
                    uploaded_by=source.uploaded_by,
                )  # fmt: skip
                final.file.save("final.pdf", ContentFile(handle.read()), save=True)
    return []


def _seed_usage(publications) -> None:
    """Readers since each paper appeared (at most 18 months), so that the statistics page has a story."""
    from .models import MonthlyUsage
    from .statistics import months

    rng = random.Random(2025)
    rows = []
    for publication in publications:
        appeal = rng.uniform(0.3, 2.0)
        for month in months(18):
            if month < publication.published_on.replace(day=1) or month > timezone.localdate():
                continue
            views = int(rng.gauss(60, 20) * appeal)
            if views > 0:
                rows.append(MonthlyUsage(publication=publication, month=month, views=views,
                                         downloads=int(views * rng.uniform(0.2, 0.5))))  # fmt: skip
    MonthlyUsage.objects.bulk_create(rows)
