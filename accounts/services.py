"""Workflows about a person: what the views, the admin and the tasks call."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import User
from .personal_data import personal_data


def export_personal_data(*, user: User) -> dict[str, Any]:
    """Everything Convene stores about `user`, by model, ready for JSON (secrets left out)."""
    return {"exported_at": timezone.now(), "account": user.email, "data": personal_data.export(user)}


@transaction.atomic
def delete_account(*, user: User) -> None:
    """Erase `user` and every registered row about them; files go once the erasure is committed.

    Rows others rely on are kept, anonymised, by their own registration's eraser.
    """
    personal_data.erase(user)
