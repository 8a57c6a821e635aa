"""Event pages and a participant's own registration: see it, register, cancel."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from config.pagination import paginate
from config.params import small_int

from . import invitations as invitation_services
from . import services
from .forms import RegistrationForm
from .models import Event, Invitation, Registration


def event_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    events = Event.objects.select_related("edition__series").with_places()
    upcoming, past = events.filter(ends_at__gte=now), events.filter(ends_at__lt=now).reverse()[:20]
    return render(request, "events/list.html", {"upcoming": upcoming, "past": past})


@login_required
def my_registrations(request: HttpRequest) -> HttpResponse:
    """Every event the person registered for (or asked, or waits for), the coming ones first."""
    registrations = (
        Registration.objects.filter(user=request.user)
        .select_related("event", "participant_type")
        .order_by("-event__ends_at", "pk")
    )
    now = timezone.now()
    context = {
        "coming": [r for r in registrations if r.event.ends_at >= now],
        "past": [r for r in registrations if r.event.ends_at < now],
    }
    return render(request, "events/my_registrations.html", context)


def _event(slug: str) -> Event:
    return get_object_or_404(
        Event.objects.select_related("edition__series", "series").with_places(), slug=slug
    )


def _registration(request: HttpRequest, event: Event) -> Registration | None:
    if not request.user.is_authenticated:
        return None
    registration = (
        Registration.objects.filter(event=event, user=request.user)
        .select_related("participant_type", "visa")
        .first()
    )
    if registration is not None:
        registration.event = event  # already loaded, with its places
    return registration


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    context = {
        "event": event,
        "types": event.participant_types.all(),
        "registration": _registration(request, event),
        "open": event.accepts_registrations_at(timezone.now()),
        "organises": event.is_organised_by(request.user),
    }
    return render(request, "events/detail.html", context)


INVITATIONS = "event_invitations"  # session: {event slug: token of the personal invitation followed}


def _invitation(request: HttpRequest, event: Event) -> Invitation | None:
    token = request.session.get(INVITATIONS, {}).get(event.slug)
    if not token:
        return None
    return Invitation.objects.filter(event=event, token=token).select_related("participant_type").first()


@login_required
def register(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    existing = _registration(request, event)
    if existing is not None and existing.active:
        return redirect("events:mine", slug)
    invitation = _invitation(request, event)  # in any mode: the invitation's answer is tracked
    needs_code = event.mode == Event.Mode.INVITATION and invitation is None
    fixed_type = invitation.participant_type if invitation else None
    initial = {"organisation": invitation.organisation} if invitation else {}
    form = RegistrationForm(request.POST or None, event=event, needs_code=needs_code, fixed_type=fixed_type,
                            initial=initial)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.register(
                event=event, user=request.user, participant_type=form.cleaned_data.get("participant_type"),
                invitation=invitation, code=form.cleaned_data.get("code", ""), visa=form.visa(),
                **form.details(),
            )  # fmt: skip
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            # Used: on a shared computer, the next person to sign in must not register with it.
            request.session[INVITATIONS] = {
                s: t for s, t in request.session.get(INVITATIONS, {}).items() if s != event.slug
            }
            messages.success(request, STATUS_MESSAGES[registration.status])
            return redirect("events:mine", slug)
    context = {"event": event, "form": form, "open": event.accepts_registrations_at(timezone.now()),
               "invitation": invitation, "fixed_type": fixed_type}  # fmt: skip
    return render(request, "events/register.html", context)


@login_required
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    registration = _registration(request, event)
    if registration is None or not registration.active:
        raise Http404
    form = RegistrationForm(request.POST or None, instance=registration, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.update(registration, visa=form.visa(), **form.details())
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(request, _("Your registration is updated."))
            return redirect("events:mine", slug)
    return render(request, "events/edit.html", {"event": event, "form": form, "registration": registration})


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """A personal invitation's link: no account needed to open it, or to decline."""
    if not (token.isascii() and token.isprintable()):
        raise Http404  # PostgreSQL refuses a NUL in a query; no token has one
    invitation = get_object_or_404(Invitation.objects.select_related("event"), token=token)
    event = invitation.event
    if request.method == "POST":
        if "decline" in request.POST:
            invitation_services.decline(invitation)
            messages.success(request, _("Thank you for letting us know. We are sorry you cannot come."))
            return redirect("events:invitation", token)
        followed = request.session.get(INVITATIONS, {})
        request.session[INVITATIONS] = {**followed, event.slug: token}
        return redirect("events:register", event.slug)
    open_now = event.accepts_registrations_at(timezone.now())
    context = {"invitation": invitation, "event": event, "open": open_now}
    return render(request, "events/invitation.html", context)


@login_required
def visa_letter(request: HttpRequest, slug: str) -> HttpResponse:
    """The participant's own visa invitation letter, once the organisers have issued it."""
    event = _event(slug)
    registration = _registration(request, event)
    details = getattr(registration, "visa", None) if registration else None
    if details is None or not details.letter:
        raise Http404
    return _letter_response(details)


def _letter_response(details) -> FileResponse:
    response = FileResponse(details.letter.open("rb"), content_type="application/pdf", as_attachment=True,
                            filename="visa-invitation-letter.pdf")  # fmt: skip
    response["Cache-Control"] = "private, no-store"
    return response


STATUS_MESSAGES = {
    Registration.Status.REGISTERED: gettext_lazy("You are registered. A confirmation is on its way by mail."),
    Registration.Status.WAITLISTED: gettext_lazy(
        "The event is full: you are on the waitlist, and we will write if a place frees up."
    ),
    Registration.Status.PENDING: gettext_lazy(
        "Thank you: the organisers will look at your request and write to you."
    ),
}


@login_required
def mine(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    registration = _registration(request, event)
    if registration is None:
        raise Http404
    ahead = None
    if registration.status == Registration.Status.WAITLISTED:
        ahead = (
            Registration.objects.filter(event=event)
            .waiting()
            .filter(waitlisted_at__lt=registration.waitlisted_at)
            .count()
        )
    context = {
        "event": event, "registration": registration, "ahead": ahead, "days": registration.day_labels(),
        "meals": registration.meal_labels(), "answers": registration.answer_pairs(event.questions.all()),
    }  # fmt: skip
    return render(request, "events/mine.html", context)


@login_required
@require_POST
def cancel(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    registration = _registration(request, event)
    if registration is None:
        raise Http404
    if registration.active:
        services.cancel(registration)
        messages.success(request, _("Your registration is cancelled."))
    return redirect("events:mine", slug)


def _organised(request: HttpRequest, slug: str) -> Event:
    """The event, if the signed-in person organises it (or is staff); 403 otherwise."""
    event = _event(slug)
    if not event.is_organised_by(request.user):
        raise PermissionDenied
    return event


ORGANISER_PAGE = 50


def _filtered(registrations, query, event: Event):
    """The registrations the organiser's filters keep (a name, status, type, day, meal), and the filters."""
    filters = {name: query.get(name, "") for name in ("q", "status", "type", "day", "meal")}
    filters["q"] = filters["q"].replace("\x00", "").strip()[:100]  # PostgreSQL refuses a NUL
    if filters["q"]:
        registrations = registrations.matching(filters["q"])
    if filters["status"] in Registration.Status.values:
        registrations = registrations.filter(status=filters["status"])
    if small_int(filters["type"]) is not None:
        registrations = registrations.filter(participant_type_id=small_int(filters["type"]))
    # Days and meals are lists in JSON; `contains` on them is not portable to SQLite: match in Python.
    for name, offered in (("day", {d.isoformat() for d in event.days}), ("meal", dict(event.meal_choices()))):
        wanted = filters[name]
        if wanted in offered:
            kept = [pk for pk, chosen in registrations.values_list("pk", f"{name}s") if wanted in chosen]
            registrations = registrations.filter(pk__in=kept)
    return registrations, filters


def _days_and_meals(event: Event) -> tuple[list, list]:
    """How many registered participants come each day, and take each meal (for the caterer)."""
    placed = Registration.objects.filter(event=event).holding_places().values_list("days", "meals")
    days = {day.isoformat(): 0 for day in event.days}
    meals = dict.fromkeys(dict(event.meal_choices()), 0)
    for attending, eating in placed:
        for day in attending:
            if day in days:
                days[day] += 1
        for meal in eating:
            if meal in meals:
                meals[meal] += 1
    labels = dict(event.meal_choices())
    return (
        [(day, datetime.date.fromisoformat(day), n) for day, n in days.items()],
        [(meal, labels[meal], n) for meal, n in meals.items()],
    )


@login_required
def organise(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisers' list: counts per status and type, and the requests to approve or reject."""
    event = _organised(request, slug)
    if request.method == "POST":
        chosen = small_int(request.POST.get("registration")) or 0
        registration = get_object_or_404(Registration, pk=chosen, event=event)
        decide = services.approve if "approve" in request.POST else services.reject
        decided = decide(registration)
        messages.success(
            request,
            _("%(name)s: %(status)s.") % {"name": decided.user.name or decided.user.email,
                                          "status": decided.get_status_display()},
        )  # fmt: skip
        return redirect(request.get_full_path())
    registrations = Registration.objects.filter(event=event)
    shown, filters = _filtered(registrations, request.GET, event)
    ordered = shown.select_related("user", "participant_type").order_by("status", "created_at", "pk")
    by_status = dict(registrations.values_list("status").annotate(n=Count("pk")).order_by())
    types = event.participant_types.annotate(
        registered=Count("registrations", filter=Q(registrations__status=Registration.Status.REGISTERED)),
        waiting=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)),
    )
    per_day, per_meal = _days_and_meals(event)
    context = {
        "event": event,
        **paginate(request, ordered, ORGANISER_PAGE),
        "filters": filters,
        "statuses": [(value, label, by_status.get(value, 0)) for value, label in Registration.Status.choices],
        "types": types,
        "per_day": per_day,
        "per_meal": per_meal,
    }
    return render(request, "events/organise.html", context)
