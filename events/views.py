"""Event pages and a participant's own registration: see it, register, cancel."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import services
from .forms import RegistrationForm
from .models import Event, Registration


def event_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    events = Event.objects.select_related("edition__series").with_places()
    upcoming, past = events.filter(ends_at__gte=now), events.filter(ends_at__lt=now).reverse()[:20]
    return render(request, "events/list.html", {"upcoming": upcoming, "past": past})


def _event(slug: str) -> Event:
    return get_object_or_404(Event.objects.select_related("edition__series").with_places(), slug=slug)


def _registration(request: HttpRequest, event: Event) -> Registration | None:
    if not request.user.is_authenticated:
        return None
    return (
        Registration.objects.filter(event=event, user=request.user).select_related("participant_type").first()
    )


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


@login_required
def register(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    existing = _registration(request, event)
    if existing is not None and existing.active:
        return redirect("events:mine", slug)
    form = RegistrationForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.register(
                event=event, user=request.user, participant_type=form.cleaned_data.get("participant_type"),
                **form.details(),
            )  # fmt: skip
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(request, STATUS_MESSAGES[registration.status])
            return redirect("events:mine", slug)
    context = {"event": event, "form": form, "open": event.accepts_registrations_at(timezone.now())}
    return render(request, "events/register.html", context)


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
    return render(request, "events/mine.html", {"event": event, "registration": registration, "ahead": ahead})


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


@login_required
def organise(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisers' list: counts per status and type, and the requests to approve or reject."""
    event = _organised(request, slug)
    if request.method == "POST":
        chosen = request.POST.get("registration", "")
        if not (chosen.isascii() and chosen.isdigit()):
            raise Http404
        registration = get_object_or_404(Registration, pk=int(chosen), event=event)
        decide = services.approve if "approve" in request.POST else services.reject
        decided = decide(registration)
        messages.success(
            request,
            _("%(name)s: %(status)s.") % {"name": decided.user.name or decided.user.email,
                                          "status": decided.get_status_display()},
        )  # fmt: skip
        return redirect(request.get_full_path())
    registrations = Registration.objects.filter(event=event)
    status = request.GET.get("status", "")
    shown = registrations.filter(status=status) if status in Registration.Status.values else registrations
    ordered = shown.select_related("user", "participant_type").order_by("status", "created_at", "pk")
    page = Paginator(ordered, ORGANISER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    by_status = dict(registrations.values_list("status").annotate(n=Count("pk")).order_by())
    types = event.participant_types.annotate(
        registered=Count("registrations", filter=Q(registrations__status=Registration.Status.REGISTERED)),
        waiting=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)),
    )
    context = {
        "event": event,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "ellipsis": Paginator.ELLIPSIS,
        "filter_query": params.urlencode(),
        "status": status,
        "statuses": [(value, label, by_status.get(value, 0)) for value, label in Registration.Status.choices],
        "types": types,
    }
    return render(request, "events/organise.html", context)
