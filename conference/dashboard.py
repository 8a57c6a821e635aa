"""The chair dashboard's panels: each app registers one (submissions by state, reviews due…).

A panel is a template and a function that gives its context for an edition; it must cost a
fixed number of queries, whatever the edition's size (the dashboard's query-count test holds it).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PanelContext = Callable[[Any], dict[str, Any]]


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
