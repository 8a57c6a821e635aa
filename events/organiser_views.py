"""The organisers' pages beyond the list: one registration, exports, passport data, invitations and
group mail. Organisers of the event and staff only; a registration is 404 for anyone else."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from config.pagination import paginate
from config.params import small_int

from . import exports, privacy, services
from . import group_mail as group_mails
from . import invitations as invitation_services
from .forms import GroupMailForm, InvitationCodeForm, InvitationForm, InvitationImportForm, SupportForm
from .models import Event, Invitation, Registration, SensitiveExport, VisaDetails
from .views import _event, _letter_response, _organised

SPREADSHEETS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
VISA_PERMISSION = "events.view_visadetails"


def _registration_for_organiser(request: HttpRequest, slug: str, pk: int) -> tuple[Event, Registration]:
    """404, not 403, for anyone who does not organise the event: a registration's existence is private."""
    event = _event(slug)
    if not event.is_organised_by(request.user):
        raise Http404
    registration = get_object_or_404(
        Registration.objects.select_related("user", "participant_type", "visa"), pk=pk, event=event
    )
    registration.event = event
    return event, registration


def may_see_passports(user, event: Event) -> bool:
    """Passport data needs the event's organiser role, its own permission, and two-factor sign-in."""
    return event.is_organised_by(user) and user.has_perm(VISA_PERMISSION) and user.has_two_factor()


@login_required
def registration(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event, registration = _registration_for_organiser(request, slug, pk)
    support_form = SupportForm(instance=registration, prefix="support")
    if request.method == "POST":
        if "approve" in request.POST or "reject" in request.POST:
            decide = services.approve if "approve" in request.POST else services.reject
            decided = decide(registration)
            name = decided.user.name or decided.user.email
            messages.success(
                request, _("%(name)s: %(status)s.") % {"name": name, "status": decided.get_status_display()}
            )
            return redirect("events:registration", slug, pk)
        if "cancel" in request.POST:
            services.cancel(registration)
            messages.success(request, _("The registration is cancelled, and the participant was told."))
            return redirect("events:registration", slug, pk)
        if "undo_check_in" in request.POST:
            services.undo_check_in(registration)
            messages.success(request, _("The check-in is undone."))
            return redirect("events:registration", slug, pk)
        if "support" in request.POST:
            support_form = SupportForm(request.POST, instance=registration, prefix="support")
            if support_form.is_valid():
                services.set_support_status(registration, support_form.cleaned_data["support_status"])
                messages.success(request, _("The support request is updated."))
                return redirect("events:registration", slug, pk)
        if "letter" in request.POST:
            details = getattr(registration, "visa", None)
            if details is None or not may_see_passports(request.user, event):
                raise Http404
            try:
                privacy.issue_letter(details)
            except ValidationError as refusal:
                messages.error(request, " ".join(refusal.messages))
            else:
                messages.success(request, _("The letter is ready, and the participant was told."))
            return redirect("events:registration", slug, pk)
    context = {
        "event": event,
        "registration": registration,
        "answers": registration.answer_pairs(event.questions.all()),
        "support_form": support_form,
        "visa": getattr(registration, "visa", None),
        "may_see_passports": may_see_passports(request.user, event),
    }
    return render(request, "events/organise_registration.html", context)


@login_required
def registration_letter(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event, registration = _registration_for_organiser(request, slug, pk)
    details = getattr(registration, "visa", None)
    if details is None or not details.letter or not may_see_passports(request.user, event):
        raise Http404
    SensitiveExport.objects.create(event=event, user=request.user, rows=1)  # a letter holds passport data
    return _letter_response(details)


@login_required
def export(request: HttpRequest, slug: str, file_format: str) -> HttpResponse:
    """Every registration and its answers; never passport data."""
    event = _organised(request, slug)
    if file_format not in SPREADSHEETS:
        raise Http404
    response = HttpResponse(exports.export(event, file_format), content_type=SPREADSHEETS[file_format])
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-registrations.{file_format}"'
    return response


@login_required
def export_visa(request: HttpRequest, slug: str, file_format: str) -> HttpResponse:
    """Passport data for the visa letters: its own permission, two-factor sign-in, and a log entry."""
    event = _organised(request, slug)
    if file_format not in SPREADSHEETS:
        raise Http404
    if not may_see_passports(request.user, event):
        context = {"event": event, "has_permission": request.user.has_perm(VISA_PERMISSION)}
        return render(request, "events/visa_export_refused.html", context, status=403)
    data, count = exports.visa_export(event, file_format)
    SensitiveExport.objects.create(event=event, user=request.user, rows=count)
    response = HttpResponse(data, content_type=SPREADSHEETS[file_format])
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-visa-letters.{file_format}"'
    response["Cache-Control"] = "private, no-store"
    return response


INVITATION_PAGE = 50


@login_required
def invitations(request: HttpRequest, slug: str) -> HttpResponse:
    """Invite people one by one or from a list, see who answered, remind the others, share codes."""
    event = _organised(request, slug)
    add_form = InvitationForm(event=event, prefix="add")
    import_form = InvitationImportForm(event=event, prefix="import")
    code_form = InvitationCodeForm(event=event, prefix="code")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add":
            add_form = InvitationForm(request.POST, event=event, prefix="add")
            if add_form.is_valid():
                if invitation_services.invite(event, [add_form.cleaned_data]):
                    messages.success(request, _("The invitation is on its way."))
                return redirect("events:invitations", slug)
        elif action == "import":
            import_form = InvitationImportForm(request.POST, request.FILES, event=event, prefix="import")
            if import_form.is_valid():
                made = invitation_services.invite(event, import_form.cleaned_data["file"])
                sent = ngettext(
                    "%(count)d invitation is on its way.",
                    "%(count)d invitations are on their way.",
                    len(made),
                )
                messages.success(request, sent % {"count": len(made)})
                return redirect("events:invitations", slug)
        elif action == "withdraw":
            invitation = get_object_or_404(
                Invitation, pk=small_int(request.POST.get("invitation")) or 0, event=event
            )
            if invitation_services.withdraw(invitation):
                messages.success(
                    request, _("The invitation to %(name)s is withdrawn.") % {"name": invitation.name}
                )
            else:
                messages.error(request, _("%(name)s has already answered: cancel their registration instead.")
                               % {"name": invitation.name})  # fmt: skip
            return redirect("events:invitations", slug)
        elif action == "remind":
            count = invitation_services.remind(event)
            sent = ngettext(
                "%(count)d reminder is on its way.", "%(count)d reminders are on their way.", count
            )
            messages.success(request, sent % {"count": count})
            return redirect("events:invitations", slug)
        elif action == "code":
            code_form = InvitationCodeForm(request.POST, event=event, prefix="code")
            if code_form.is_valid():
                code_form.instance.event = event
                try:
                    with transaction.atomic():
                        code_form.save()
                except IntegrityError:  # the same code, added at the same moment by someone else
                    code_form.add_error("code", _("This event already has this code."))
                else:
                    messages.success(request, _("The code is ready to share."))
                    return redirect("events:invitations", slug)
    status = request.GET.get("status", "")
    active = Registration.objects.filter(invitation=OuterRef("pk"), status__in=Registration.ACTIVE)
    listed = (
        event.invitations.select_related("participant_type")
        .annotate(registration_status=Subquery(active.values("status")[:1]))
        .order_by("name", "pk")
    )
    if status in Invitation.Status.values:
        listed = listed.filter(status=status)
    listing = paginate(request, listed, INVITATION_PAGE)
    statuses = dict(Registration.Status.choices)
    for invitation in listing["page"].object_list:
        invitation.link = invitation_services.link(invitation)
        # "Registered" by its answer; the registration itself may still await approval.
        invitation.registration_label = statuses.get(invitation.registration_status, "")
    by_status = dict(event.invitations.values_list("status").annotate(n=Count("pk")).order_by())
    codes = event.codes.select_related("participant_type").annotate(
        used=Count("registrations", filter=Q(registrations__status__in=Registration.ACTIVE))
    )
    context = {
        "event": event, **listing, "status": status, "add_form": add_form, "import_form": import_form,
        "code_form": code_form, "codes": codes, "max_reminders": invitation_services.MAX_REMINDERS,
        "statuses": [(value, label, by_status.get(value, 0)) for value, label in Invitation.Status.choices],
        "unanswered": by_status.get(Invitation.Status.INVITED, 0),
        "remindable": invitation_services.remindable(event).count(),
    }  # fmt: skip
    return render(request, "events/invitations.html", context)


@login_required
def group_mail(request: HttpRequest, slug: str) -> HttpResponse:
    """Write to the registrants, see the mail as its first recipient will, then send it."""
    event = _organised(request, slug)
    form = GroupMailForm(request.POST or None, initial={"token": uuid.uuid4().hex})
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        people = group_mails.recipients(event, data["audience"])
        if not people:
            form.add_error("audience", _("Nobody is in this group yet."))
        elif "send" in request.POST:
            try:
                count = group_mails.send(event, audience=data["audience"], subject=data["subject"],
                                         body=data["body"], token=data["token"])  # fmt: skip
            except ValidationError as refusal:  # the group emptied since the preview
                form.add_error(None, refusal)
            else:
                sent = ngettext("The mail is on its way to %(count)d person.",
                                "The mail is on its way to %(count)d people.", count)  # fmt: skip
                messages.success(request, sent % {"count": count})
                return redirect("events:group_mail", slug)
        else:
            subject, text = group_mails.render(event, people[0], data["subject"], data["body"])
            preview = {"to": people[0].user, "count": len(people), "subject": subject, "text": text}
    context = {"event": event, "form": form, "preview": preview, "placeholders": group_mails.PLACEHOLDERS}
    return render(request, "events/group_mail.html", context)


@login_required
@require_POST
def forget_passport(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Erase one person's passport data now (they asked, or the letter is no longer needed)."""
    event, registration = _registration_for_organiser(request, slug, pk)
    details = VisaDetails.objects.filter(registration=registration).first()
    if details is None or not may_see_passports(request.user, event):
        raise Http404
    privacy.erase_visa_details(details)
    messages.success(request, _("The passport details and the letter are erased."))
    return redirect("events:registration", slug, pk)
