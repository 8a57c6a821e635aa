import json

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

from .forms import DeleteAccountForm, ProfileForm
from .models import User
from .personal_data import personal_data


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@require_GET
def photo(request: HttpRequest, pk: int) -> FileResponse:
    person = get_object_or_404(User, pk=pk, is_active=True)
    if not person.photo:
        raise Http404
    return FileResponse(person.photo.open("rb"), content_type="image/jpeg")


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    data = {
        "exported_at": timezone.now(),
        "account": request.user.email,
        "data": personal_data.export(request.user),
    }
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    filename = f"convene-personal-data-{timezone.now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@reauthentication_required
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        personal_data.erase(user)
        messages.success(request, _("Your account and the data about you are deleted."))
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})
