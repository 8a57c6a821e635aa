"""The organisers' spreadsheets of registrations: everything but passport data in one, and passport
data alone in another that needs its own permission (see organiser_views.export_visa)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from config.multilingual import localise
from submissions.exports import table_csv, table_xlsx

from .models import Event, Registration


def registrations_for_export(event: Event):
    return (
        Registration.objects.filter(event=event)
        .select_related("user", "participant_type")
        .order_by("status", "user__name", "pk")
    )


def header(event: Event, questions) -> list[str]:
    return [
        _("Name"), _("E-mail"), _("Status"), _("Participant type"), _("Organisation"), _("Position"),
        _("Country"), _("Days"), _("Meals"), _("Dietary needs"), _("Accessibility needs"), _("Arrival"),
        _("Departure"), _("Support requested"), _("About the support"), _("Support request"),
        _("Visa letter needed"), _("In the public list"), _("Checked in"), _("Registered on"),
        *(localise(q.text) for q in questions),
    ]  # fmt: skip


def rows(event: Event, registrations: Iterable[Registration], questions) -> Iterator[list]:
    zone = event.zone
    for r in registrations:
        r.event = event
        yield [
            r.user.name, r.user.email, r.get_status_display(),
            localise(r.participant_type.name) if r.participant_type else "", r.organisation, r.position,
            r.country.name if r.country else "", "; ".join(r.days), "; ".join(r.meal_labels()),
            r.dietary_needs, r.accessibility_needs, r.arrival_on.isoformat() if r.arrival_on else "",
            r.departure_on.isoformat() if r.departure_on else "", r.get_support_display(), r.support_details,
            r.get_support_status_display(), _("yes") if r.needs_visa_letter else _("no"),
            _("yes") if r.listed else _("no"),
            r.checked_in_at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if r.checked_in_at else "",
            r.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            *(str(r.answers.get(str(q.pk), "")) for q in questions),
        ]  # fmt: skip


def export(event: Event, file_format: str) -> bytes:
    questions = list(event.questions.all())
    table = rows(event, registrations_for_export(event), questions)
    if file_format == "xlsx":
        return table_xlsx(_("Registrations"), header(event, questions), table)
    return table_csv(header(event, questions), table)


def visa_header() -> list[str]:
    return [_("Name"), _("E-mail"), _("Status"), _("Organisation"), _("Name as in the passport"),
            _("Nationality"), _("Passport number"), _("Date of birth"), _("Letter issued")]  # fmt: skip


def visa_rows(event: Event) -> list[list]:
    registrations = (
        Registration.objects.filter(event=event, visa__isnull=False, status__in=Registration.ACTIVE)
        .select_related("user", "visa")
        .order_by("user__name", "pk")
    )
    return [
        [r.user.name, r.user.email, r.get_status_display(), r.organisation, r.visa.passport_name,
         r.visa.nationality.name, r.visa.passport_number, r.visa.date_of_birth.isoformat(),
         r.visa.letter_sent_at.astimezone(event.zone).strftime("%Y-%m-%d") if r.visa.letter_sent_at else ""]
        for r in registrations
    ]  # fmt: skip


def visa_export(event: Event, file_format: str) -> tuple[bytes, int]:
    table = visa_rows(event)
    if file_format == "xlsx":
        return table_xlsx(_("Visa letters"), visa_header(), table), len(table)
    return table_csv(visa_header(), table), len(table)
