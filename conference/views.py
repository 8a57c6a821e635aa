from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.adapters import forget_return, remember_return

from . import invitations, next_edition
from .dashboard import panels as dashboard_panels
from .dashboard import register_chair_page, register_panel, role_pages
from .forms import (
    EditionSettingsForm,
    InvitationForm,
    KeywordFormSet,
    QuestionFormSet,
    SubmissionTypeFormSet,
    TrackFormSet,
)
from .models import Edition, Invitation, Role, Series, Topic
from .timezones import utc_offset, zone, zone_choices


def home(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    editions = (
        Edition.objects.public()
        .filter(submission_deadline__gt=now)
        .select_related("series")
        .order_by("submission_deadline")
    )
    return render(request, "home.html", {"calls": editions, "now": now})


def series_detail(request: HttpRequest, slug: str) -> HttpResponse:
    series = get_object_or_404(Series, slug=slug)
    editions = list(series.editions.public().order_by("-year"))
    if not editions:
        raise Http404
    return render(
        request, "conference/series.html", {"series": series, "current": editions[0], "past": editions[1:]}
    )


def _reader_zone(request: HttpRequest, edition: Edition) -> str:
    """The zone the visitor chose for the dates (?tz=…), else the edition's own."""
    wanted = request.GET.get("tz", "")
    return wanted if wanted in dict(zone_choices()) else edition.time_zone


def edition_detail(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    edition = get_object_or_404(
        Edition.objects.public().select_related("series"), series__slug=slug, year=year
    )
    now = timezone.now()
    reader_zone = _reader_zone(request, edition)
    dates = [
        {
            "label": Edition._meta.get_field(name).verbose_name,
            "moment": getattr(edition, name),
            "local": getattr(edition, name).astimezone(zone(reader_zone)),
            "offset": utc_offset(getattr(edition, name), reader_zone),
            "passed": getattr(edition, name) <= now,
        }
        for name in Edition.TIMELINE
    ]
    context = {
        "edition": edition,
        "series": edition.series,
        "phase": edition.phase_at(now),
        "is_open": edition.accepts_submissions_at(now),
        "time_left": _time_left(edition.submission_deadline, now),
        "dates": dates,
        "reader_zone": reader_zone,
        "zone_choices": zone_choices(),
        "tracks": edition.tracks.all(),
        "types": edition.submission_types.all(),
        "topics": Topic.objects.for_edition(edition),
        **_my_roles(request, edition),
    }
    return render(request, "conference/edition.html", context)


@login_required
def my_calls(request: HttpRequest) -> HttpResponse:
    """Every call in which the person holds a role, with the pages each role opens: after the deadline
    the home page no longer lists a call, and a reviewer or a chair still needs to find it."""
    roles = Role.objects.of(request.user).select_related("edition__series").order_by("-edition__year", "pk")
    managed = Edition.objects.filter(paper_manager=request.user).select_related("series")
    kinds_by_edition: dict[Edition, set[str]] = {}
    for role in roles:
        kinds_by_edition.setdefault(role.edition, set()).add(role.kind)
    for edition in managed:
        kinds_by_edition.setdefault(edition, set()).add("paper_manager")
    labels = dict(Role.Kind.choices)
    calls = []
    for edition, kinds in sorted(kinds_by_edition.items(), key=lambda item: (-item[0].year, item[0].pk)):
        args = [edition.series.slug, edition.year]
        pages = [
            {"label": page.label, "url": reverse(page.url_name, args=args)} for page in role_pages(kinds)
        ]
        if Role.Kind.CHAIR in kinds or request.user.is_staff:
            pages.insert(
                0, {"label": _("Chair dashboard"), "url": reverse("conference:dashboard", args=args)}
            )
        calls.append({"edition": edition, "roles": [labels[k] for k in labels if k in kinds], "pages": pages})
    return render(request, "conference/my_calls.html", {"calls": calls})


def _my_roles(request: HttpRequest, edition: Edition) -> dict:
    """The reader's roles in the edition (one query) and the pages each role opens."""
    kinds = set(Role.objects.of(request.user).filter(edition=edition).values_list("kind", flat=True))
    pages_for = kinds | ({"paper_manager"} if edition.paper_manager_id == request.user.pk else set())
    return {
        "my_roles": [label for kind, label in Role.Kind.choices if kind in kinds],
        "chairs_it": request.user.is_authenticated and (request.user.is_staff or Role.Kind.CHAIR in kinds),
        "role_pages": [
            {"label": page.label, "url": reverse(page.url_name, args=[edition.series.slug, edition.year])}
            for page in role_pages(pages_for)
        ],
    }


def _time_left(deadline: datetime, now: datetime) -> dict[str, int] | None:
    if now >= deadline:
        return None
    seconds = int((deadline - now).total_seconds())
    return {"days": seconds // 86400, "hours": seconds % 86400 // 3600, "minutes": seconds % 3600 // 60}


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The personal link of an invitation: who invites whom to what, and accept or decline."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("edition__series", "invited_by"), token=token
    )
    reason = invitations.closed_reason(invitation)
    if request.method == "POST" and not reason:
        try:
            if request.POST.get("answer") == "accept":
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                role = invitations.accept(token=token, user=request.user)
                forget_return(request)
                messages.success(
                    request,
                    _("Welcome to %(edition)s. Your role: %(role)s.")
                    % {"role": role.get_kind_display(), "edition": invitation.edition.text("title")},
                )
                return redirect(invitation.edition.get_absolute_url())
            if request.POST.get("answer") == "decline":
                invitations.decline(token=token, user=request.user)
                forget_return(request)
                messages.info(request, _("You declined the invitation. Thank you for letting us know."))
                return redirect("home")
        except invitations.InvitationClosed as closed:
            reason = " ".join(closed.messages)  # answered in another tab a moment ago
    if not reason and not request.user.is_authenticated:
        # Back here after signing up, verifying the address and signing in. The address is verified
        # as usual: an invitation link may have been forwarded, and must not vouch for an inbox.
        remember_return(request, invitation.get_absolute_url())
    status = 410 if reason else 200
    return render(
        request,
        "conference/invitation.html",
        {"invitation": invitation, "edition": invitation.edition, "reason": reason},
        status=status,
    )


def _edition_for_chair(request: HttpRequest, slug: str, year: int) -> Edition:
    """The edition, if the signed-in person chairs it (or is staff); 403 otherwise."""
    edition = get_object_or_404(Edition.objects.select_related("series"), series__slug=slug, year=year)
    if not edition.is_chaired_by(request.user):
        raise PermissionDenied
    return edition


@login_required
def dashboard(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    edition = _edition_for_chair(request, slug, year)
    now = timezone.now()
    context = {
        "edition": edition,
        "phase": edition.phase_at(now),
        "dates": [
            {
                "label": Edition._meta.get_field(n).verbose_name,
                "moment": getattr(edition, n),
                "offset": utc_offset(getattr(edition, n), edition.time_zone),
                "passed": getattr(edition, n) <= now,
            }
            for n in Edition.TIMELINE
        ],  # fmt: skip
        "pending": edition.invitations.pending(now).select_related("invited_by")[:10],
        "panels": [(panel, panel.context(edition, request.user)) for panel in dashboard_panels()],
    }
    return render(request, "conference/chair/dashboard.html", context)


@login_required
def people(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    edition = _edition_for_chair(request, slug, year)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitations.invite(edition=edition, by=request.user, **form.cleaned_data)
        except ValidationError as refusal:
            form.add_error("email", refusal)
        else:
            messages.success(request, _("The invitation is on its way to %(email)s.") % form.cleaned_data)
            return redirect("conference:people", slug, year)
    context = {
        "edition": edition,
        "form": form,
        "roles": edition.roles.select_related("user__organisation").order_by("kind", "user__name"),
        "invitations": edition.invitations.select_related("invited_by", "answered_by"),
        "now": timezone.now(),
    }
    return render(request, "conference/chair/people.html", context)


@login_required
def edition_settings(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    edition = _edition_for_chair(request, slug, year)
    # Dates are typed and shown in the edition's own zone, whatever the chair's is.
    with timezone.override(edition.zone):
        form = EditionSettingsForm(request.POST or None, instance=edition)
        if request.method == "POST" and form.is_valid():
            try:
                form.save()
            except ValidationError as stale:  # another chair saved between our check and our lock
                form.add_error(None, stale)
            else:
                messages.success(request, _("The settings are saved."))
                return redirect("conference:settings", slug, year)
        return render(request, "conference/chair/settings.html", {"edition": edition, "form": form})


register_chair_page("conference:dashboard", gettext_lazy("Overview"), order=0)
register_chair_page("conference:people", gettext_lazy("Committee and reviewers"), order=10)
register_chair_page("conference:settings", gettext_lazy("Settings and timeline"), order=20)
register_chair_page("conference:setup", gettext_lazy("Tracks, types and questions"), order=30)

SETUP_PARTS = [
    # (prefix, formset, heading)
    ("tracks", TrackFormSet, gettext_lazy("Tracks")),
    ("types", SubmissionTypeFormSet, gettext_lazy("Submission types")),
    ("keywords", KeywordFormSet, gettext_lazy("Keywords (besides the 17 SDGs)")),
    ("questions", QuestionFormSet, gettext_lazy("Questions to authors")),
]


@login_required
def setup(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """Tracks, submission types, keywords and questions: every part of the call a chair writes."""
    edition = _edition_for_chair(request, slug, year)
    formsets = [
        (
            heading,
            formset(request.POST or None, instance=edition, prefix=prefix, form_kwargs={"edition": edition}),
        )
        for prefix, formset, heading in SETUP_PARTS
    ]
    if request.method == "POST" and all(formset.is_valid() for _heading, formset in formsets):
        with transaction.atomic():
            for _heading, formset in formsets:
                formset.save()
        messages.success(request, _("The call's tracks, types, keywords and questions are saved."))
        return redirect("conference:setup", slug, year)
    return render(request, "conference/chair/setup.html", {"edition": edition, "formsets": formsets})


@login_required
@require_POST
def start_next(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    edition = _edition_for_chair(request, slug, year)
    try:
        new = next_edition.start_next_edition(edition=edition)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect("conference:dashboard", slug, year)
    messages.success(
        request,
        _("The %(year)d edition is ready as a draft, with this one's set-up and committee. Check its dates, "
          "then announce it.") % {"year": new.year},
    )  # fmt: skip
    return redirect("conference:settings", slug, new.year)


@login_required
@require_POST
def invitation_action(request: HttpRequest, slug: str, year: int, pk: int, action: str) -> HttpResponse:
    if action not in {"resend", "revoke"}:
        raise Http404
    edition = _edition_for_chair(request, slug, year)
    invitation = get_object_or_404(Invitation, pk=pk, edition=edition)
    if action == "resend":
        try:
            invitations.resend(invitation=invitation)
            messages.success(
                request, _("The invitation was sent again to %(email)s.") % {"email": invitation.email}
            )
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
    else:
        invitations.revoke(invitation=invitation)
        messages.success(
            request, _("The invitation to %(email)s has been withdrawn.") % {"email": invitation.email}
        )
    return redirect("conference:people", slug, year)


@register_panel("people", template="conference/chair/panel_people.html", order=10)
def people_panel(edition: Edition, user) -> dict:
    counts = dict(edition.roles.values_list("kind").annotate(n=Count("id")).order_by())
    return {"counts": [(label, counts.get(kind, 0)) for kind, label in Role.Kind.choices]}
