"""What Convene stores about a person, for their export and their erasure.

Each app registers, in its AppConfig.ready(), every model that links to a user and
says how to export and how to erase it. `uncovered_user_links()` names any link
that nobody registered; a test keeps that list empty.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models.fields.files import FieldFile

Eraser = Callable[[models.QuerySet, Any], None]
Matcher = Callable[[Any], models.Q]


def delete_rows(rows: models.QuerySet, user) -> None:
    """Delete the rows, and their files once the deletion is committed."""
    file_fields = [f.name for f in rows.model._meta.concrete_fields if isinstance(f, models.FileField)]
    files = [getattr(obj, name) for obj in rows for name in file_fields if getattr(obj, name)]
    rows.delete()
    for stored in files:
        storage, name = stored.storage, stored.name
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))


@dataclass(frozen=True)
class Registration:
    model: type[models.Model]
    user_fields: tuple[str, ...]
    erase: Eraser | None = None
    secret_fields: frozenset[str] = field(default_factory=frozenset)
    also_matches: Matcher | None = None

    @property
    def label(self) -> str:
        return self.model._meta.label

    def _many_to_many(self) -> set[str]:
        return {f.name for f in self.model._meta.many_to_many}

    def rows_for(self, user) -> models.QuerySet:
        query = models.Q(pk__in=[])
        for name in self.user_fields:
            query |= models.Q(**{name: user.pk})
        if self.also_matches:
            query |= self.also_matches(user)
        return self.model._default_manager.filter(query).distinct().order_by("pk")

    def erase_for(self, user) -> None:
        if self.erase:
            self.erase(self.rows_for(user), user)
            return
        # By default a row that belongs to the person goes; a row they are only listed in stays,
        # without them (a co-author's bookmark they follow is not theirs to delete).
        owned = models.Q(pk__in=[])
        for name in self.user_fields:
            if name in self._many_to_many():
                for obj in self.model._default_manager.filter(**{name: user.pk}):
                    getattr(obj, name).remove(user.pk)
            else:
                owned |= models.Q(**{name: user.pk})
        if self.also_matches:
            owned |= self.also_matches(user)
        delete_rows(self.model._default_manager.filter(owned), user)

    def export(self, user) -> list[dict[str, Any]]:
        return [self._row(obj) for obj in self.rows_for(user)]

    def _row(self, obj: models.Model) -> dict[str, Any]:
        row: dict[str, Any] = {}
        for f in obj._meta.concrete_fields:
            if f.name in self.secret_fields:
                continue
            row[f.name] = _plain(getattr(obj, f.attname))
        for f in obj._meta.many_to_many:
            row[f.name] = [str(related) for related in getattr(obj, f.name).all()]
        return row


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, FieldFile):
        return _file(value)
    if isinstance(value, dict | list | str | int | float | bool) or value is None:
        return value
    return str(value)


def _file(stored: FieldFile) -> dict[str, str] | None:
    """A stored file travels in the export itself: its name and its content."""
    if not stored:
        return None
    try:
        with stored.storage.open(stored.name, "rb") as handle:
            content = base64.b64encode(handle.read()).decode("ascii")
    except FileNotFoundError:
        return {"name": stored.name, "missing": "the file is no longer in storage"}
    return {"name": stored.name, "content_base64": content}


class PersonalDataRegistry:
    def __init__(self) -> None:
        self._registrations: dict[str, Registration] = {}

    def register(
        self,
        model: type[models.Model],
        *,
        user_fields: Iterable[str] = ("user",),
        erase: Eraser | None = None,
        secret_fields: Iterable[str] = (),
        also_matches: Matcher | None = None,
    ) -> None:
        """Declare that `model` stores data about the user named by `user_fields`.

        `erase(rows, user)` replaces the default (delete the rows the person owns, with their files,
        and take them out of many-to-many lists); an anonymiser keeps what others rely on.
        `also_matches(user)` is a Q for rows about the person that carry no link (e.g. by address).
        `secret_fields` are never exported.
        """
        registration = Registration(model, tuple(user_fields), erase, frozenset(secret_fields), also_matches)
        self._registrations[registration.label] = registration

    def __iter__(self):
        return iter(self._registrations.values())

    def covered_links(self) -> set[tuple[str, str]]:
        return {(r.label, name.split("__")[0]) for r in self for name in r.user_fields}

    def export(self, user) -> dict[str, list[dict[str, Any]]]:
        return {r.label: r.export(user) for r in sorted(self, key=lambda r: r.label)}

    @transaction.atomic
    def erase(self, user) -> None:
        """Erase or anonymise every registered row about `user`, then the account itself."""
        user_model = apps.get_model(settings.AUTH_USER_MODEL)
        for registration in self:
            if registration.model is not user_model:
                registration.erase_for(user)
        self._registrations[user_model._meta.label].erase_for(user)


personal_data = PersonalDataRegistry()


def user_links(model_list: Iterable[type[models.Model]] | None = None) -> set[tuple[str, str]]:
    """Every (model label, field name) whose field points at the user model."""
    links = set()
    for model in model_list if model_list is not None else apps.get_models():
        if _is_user_model(model):
            links.add((model._meta.label, "pk"))
        for f in model._meta.get_fields():
            is_link = f.is_relation and (f.concrete or f.many_to_many) and not f.auto_created
            if is_link and _is_user_model(f.related_model):
                links.add((model._meta.label, f.name))
    return links


def _is_user_model(model) -> bool:
    # A model not yet resolved (or in an isolated registry) names its target as "app.Model".
    label = model if isinstance(model, str) else model._meta.label
    return label.lower() == settings.AUTH_USER_MODEL.lower()


def uncovered_user_links(model_list: Iterable[type[models.Model]] | None = None) -> list[str]:
    """Links to a user that no registration covers, as 'app.Model.field'."""
    missing = user_links(model_list) - personal_data.covered_links()
    return sorted(f"{label}.{name}" for label, name in missing)
