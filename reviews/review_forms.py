"""The review form of an edition: the network's default criteria, created the first time it is needed."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from conference.models import Edition

from .models import Criterion, ReviewForm

SCALE = [
    {"en": "Poor", "fr": "Faible", "es": "Deficiente"},
    {"en": "Fair", "fr": "Passable", "es": "Aceptable"},
    {"en": "Good", "fr": "Bon", "es": "Bueno"},
    {"en": "Very good", "fr": "Très bon", "es": "Muy bueno"},
    {"en": "Excellent", "fr": "Excellent", "es": "Excelente"},
]

DEFAULT_CRITERIA = [
    {"en": "Relevance to the social and solidarity economy",
     "fr": "Pertinence pour l'économie sociale et solidaire",
     "es": "Pertinencia para la economía social y solidaria"},
    {"en": "Contribution to the SDGs", "fr": "Contribution aux ODD", "es": "Contribución a los ODS"},
    {"en": "Originality", "fr": "Originalité", "es": "Originalidad"},
    {"en": "Methodological soundness", "fr": "Rigueur méthodologique", "es": "Solidez metodológica"},
    {"en": "Policy relevance", "fr": "Pertinence pour les politiques",
     "es": "Pertinencia para las políticas"},
    {"en": "Clarity", "fr": "Clarté", "es": "Claridad"},
]  # fmt: skip


def review_form_for(edition: Edition) -> ReviewForm:
    """The edition's form, made with the default criteria if it has none yet (two first visits: one form)."""
    form = ReviewForm.objects.filter(edition=edition).first()
    if form:
        return form
    try:
        with transaction.atomic():
            form = ReviewForm.objects.create(edition=edition)
            Criterion.objects.bulk_create(
                Criterion(form=form, name=name, scale=SCALE, position=position)
                for position, name in enumerate(DEFAULT_CRITERIA)
            )
    except IntegrityError:
        form = ReviewForm.objects.get(edition=edition)
    return form
