"""The chair dashboard's panels and menu: each app registers its own (submissions by state, reviews due…).

A panel is a template and a function that gives its context for an edition; it must cost a
fixed number of queries, whatever the edition's size (the dashboard's query-count test holds it).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# context(edition, user): what the panel shows this person (a count must leave out papers they may not see).
PanelContext = Callable[[Any, Any], dict[str, Any]]


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: PanelContext
    order: int


_panels: dict[str, Panel] = {}


def register_panel(name: str, *, template: str, order: int = 100) -> Callable[[PanelContext], PanelContext]:
    def decorator(context: PanelContext) -> PanelContext:
        _panels[name] = Panel(name, template, context, order)
        return context

    return decorator


def panels() -> list[Panel]:
    return sorted(_panels.values(), key=lambda p: (p.order, p.name))


@dataclass(frozen=True)
class ChairPage:
    url_name: str
    label: str
    order: int


_chair_pages: dict[str, ChairPage] = {}


def register_chair_page(url_name: str, label, *, order: int = 100) -> None:
    """A page in the chair's menu, from any app (its URL takes the edition's slug and year)."""
    _chair_pages[url_name] = ChairPage(url_name, label, order)


def chair_pages() -> list[ChairPage]:
    return sorted(_chair_pages.values(), key=lambda p: (p.order, p.url_name))


@dataclass(frozen=True)
class RolePage:
    kind: str
    url_name: str
    label: str


_role_pages: list[RolePage] = []


def register_role_page(kind: str, url_name: str, label) -> None:
    """A page the holders of a role reach from the edition's page (e.g. a reviewer's bids)."""
    if all(page.url_name != url_name for page in _role_pages):
        _role_pages.append(RolePage(kind, url_name, label))


def role_pages(kinds: set[str]) -> list[RolePage]:
    return [page for page in _role_pages if page.kind in kinds]
