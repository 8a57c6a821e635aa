"""At the event itself: name badges, checking people in at the door, certificates of attendance, and the
event's banner. The organisers' pages are for the event's organisers and staff (403 for anyone else); a
certificate is its participant's own (404 for anyone else)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from config.multilingual import localise
from config.params import small_int

from . import documents, services
from .models import Event, Registration
from .views import _event, _organised, _registration

SEARCH_LIMIT = 25
CODE = re.compile(r"[A-Za-z0-9_-]{16}")  # what models.check_in_code makes


def _by_name(registrations):
    """Ordered as on a list of names: by name, or by e-mail for someone without one."""
    return registrations.select_related("user", "participant_type").order_by(
        Lower(Coalesce(NullIf("user__name", Value("")), "user__email")), "pk"
    )


def _pdf(content: bytes, filename: str) -> FileResponse:
    response = FileResponse(io.BytesIO(content), content_type="application/pdf", as_attachment=True,
                            filename=filename)  # fmt: skip
    response["Cache-Control"] = "private, no-store"  # names, and the codes that let people in
    return response


@login_required
@require_GET
def badges(request: HttpRequest, slug: str) -> FileResponse:
    """Name badges of every registered participant, by name; `?type=<pk>` for one participant type."""
    event = _organised(request, slug)
    registrations = Registration.objects.filter(event=event).holding_places()
    kind = request.GET.get("type", "")
    if kind:
        if small_int(kind) is None:
            raise Http404
        registrations = registrations.filter(participant_type_id=small_int(kind))
    return _pdf(documents.badges_pdf(event, _by_name(registrations)), f"badges-{event.slug}.pdf")


@login_required
def check_in(request: HttpRequest, slug: str) -> HttpResponse:
    """The door: one field takes a scanned badge (checks the person in at once) or a name, e-mail or
    organisation to look for; each person found who holds a place can be checked in from the list."""
    event = _organised(request, slug)
    here = reverse("events:check_in", args=[event.slug])
    if request.method == "POST":
        return _check_in_posted(request, event, here)
    query = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    registrations = Registration.objects.filter(event=event)
    matches = []
    if query:
        found = registrations.matching(query) | registrations.filter(check_in_code=query)
        matches = list(_by_name(found)[: SEARCH_LIMIT + 1])
    counts = registrations.holding_places().aggregate(
        registered=Count("pk"), checked_in=Count("pk", filter=Q(checked_in_at__isnull=False))
    )
    context = {
        "event": event,
        "query": query,
        "matches": matches[:SEARCH_LIMIT],
        "more": len(matches) > SEARCH_LIMIT,
        "looks_like_code": bool(CODE.fullmatch(query)),
        "types": event.participant_types.all(),
        **counts,
    }
    return render(request, "events/check_in.html", context)


def _check_in_posted(request: HttpRequest, event: Event, here: str) -> HttpResponse:
    chosen, typed = (
        request.POST.get("registration", ""),
        request.POST.get("q", "").replace("\x00", "").strip()[:200],
    )
    if chosen:
        who = get_object_or_404(Registration, pk=small_int(chosen) or 0, event=event)
    elif typed:
        who = typed
    else:
        return redirect(here)
    try:
        registration, already = services.check_in(event, who)
    except ValidationError as refusal:
        if refusal.code == "unknown":
            # Not a badge of this event: what was typed is a name, an address or an organisation.
            return redirect(f"{here}?{urlencode({'q': typed})}")
        messages.error(request, " ".join(refusal.messages))
        return redirect(here)
    person = registration.user.name or registration.user.email
    if registration.participant_type:
        person = f"{person} ({localise(registration.participant_type.name)})"
    if already:
        at = time_format(timezone.localtime(registration.checked_in_at, event.zone), "H:i")
        messages.warning(
            request, _("%(person)s was already checked in at %(time)s.") % {"person": person, "time": at}
        )
    else:
        messages.success(request, _("Checked in: %(person)s.") % {"person": person})
    return redirect(here)


@login_required
@require_GET
def certificate(request: HttpRequest, slug: str) -> HttpResponse:
    """The signed-in participant's own certificate of attendance, once they were checked in."""
    event = _event(slug)
    registration = _registration(request, event)
    if registration is None:
        raise Http404
    if registration.checked_in_at is None:
        messages.info(
            request, _("Your certificate of attendance is ready once you are checked in at the event.")
        )
        return redirect("events:mine", slug)
    content = documents.certificate_pdf(registration, translation.get_language())
    return _pdf(content, f"certificate-{event.slug}.pdf")


@login_required
@require_GET
def certificates(request: HttpRequest, slug: str) -> FileResponse:
    """Certificates of everyone checked in, one a page, each in its participant's language."""
    event = _organised(request, slug)
    attended = _by_name(Registration.objects.filter(event=event, checked_in_at__isnull=False))
    registrations = list(attended)
    for registration in registrations:
        registration.event = event
    return _pdf(documents.certificates_pdf(registrations), f"certificates-{event.slug}.pdf")


@require_GET
def banner(request: HttpRequest, slug: str) -> HttpResponse:
    """The event's banner, public as the event's page is. Its file name changes with each upload: the
    ETag, so browsers check cheaply and never keep an old banner."""
    event = get_object_or_404(Event.objects.only("pk", "banner"), slug=slug)
    if not event.banner:
        raise Http404
    etag = f'"{Path(event.banner.name).stem}"'
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return not_modified
    try:
        response = FileResponse(event.banner.open("rb"), content_type="image/jpeg")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response["ETag"] = etag
    response["Cache-Control"] = "public, no-cache"
    return response
