import json
import re

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import services
from .forms import DeleteAccountForm, ProfileForm
from .models import User

PHOTO_TOKEN = re.compile(r"[0-9a-f]{32}")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    # A copy of the person: a rejected name must not show in the header as if it were saved.
    person = User.objects.get(pk=request.user.pk)
    form = ProfileForm(request.POST or None, request.FILES or None, instance=person)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@require_GET
def photo(request: HttpRequest, token: str) -> FileResponse:
    if not PHOTO_TOKEN.fullmatch(token):
        raise Http404
    person = get_object_or_404(User, photo=f"photos/{token}.jpg", is_active=True)
    try:
        response = FileResponse(person.photo.open("rb"), content_type="image/jpeg")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    data = services.export_personal_data(user=request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    filename = f"convene-personal-data-{timezone.now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@reauthentication_required
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        services.delete_account(user=user)
        logout(request)
        messages.success(request, _("Your account and the data about you are deleted."))
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})
