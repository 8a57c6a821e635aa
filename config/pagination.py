"""A list in pages, as templates/includes/pagination.html shows it: the page, the page numbers with
gaps, and the list's filters to keep in every page link."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, objects, per_page: int) -> dict:
    """The context the pagination include needs, for `objects` at the page the request asks for."""
    page = Paginator(objects, per_page).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    return {
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "ellipsis": Paginator.ELLIPSIS,
        "filter_query": filters.urlencode(),
    }
