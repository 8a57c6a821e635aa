"""Links other apps add to a paper's page (its reviews, its decision…), shown to whom they concern.

Submissions knows nothing of reviews: the review app registers "Reviews and discussion" here, with
a predicate saying who may follow it.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PaperLink:
    url_name: str  # reversed with the edition's slug, year and the paper's number
    label: str
    shown_to: Callable[[object, object], bool]  # (submission, user) -> bool


_links: dict[str, PaperLink] = {}


def register_paper_link(url_name: str, label, *, shown_to: Callable[[object, object], bool]) -> None:
    _links[url_name] = PaperLink(url_name, label, shown_to)


def paper_links() -> list[PaperLink]:
    return list(_links.values())
