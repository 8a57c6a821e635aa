"""Score charts drawn on the server: a small SVG histogram of a paper's review scores, with its text."""

from django import template
from django.http import QueryDict
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

register = template.Library()

BAR, GAP, HEIGHT = 9, 2, 24


@register.simple_tag
def score_chart(scores) -> str:
    """Reviews per score band (1 to 5, rounded), as bars; the scores themselves as the text alternative."""
    if not scores:
        return ""
    bands = [0] * 5
    for score in scores:
        bands[min(max(round(score), 1), 5) - 1] += 1
    tallest = max(bands)
    bars = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}"></rect>',
        (
            (i * (BAR + GAP), HEIGHT - height, BAR, height)
            for i, count in enumerate(bands)
            if (height := round(HEIGHT * count / tallest))
        ),
    )
    text = _("Scores: %(scores)s") % {"scores": ", ".join(number_format(s, 1) for s in sorted(scores))}
    width = 5 * (BAR + GAP) - GAP
    return format_html(
        '<svg class="score-chart" role="img" aria-label="{}" width="{}" height="{}" viewBox="0 0 {} {}">'
        "<title>{}</title>{}"
        '<line x1="0" y1="{}" x2="{}" y2="{}"></line></svg>',
        text, width, HEIGHT + 1, width, HEIGHT + 1, text, bars, HEIGHT + 0.5, width, HEIGHT + 0.5,
    )  # fmt: skip


@register.simple_tag
def sort_query(query: str, sort: str) -> str:
    """The page's query string sorted by `sort`, back on page 1."""
    params = QueryDict(query, mutable=True)
    params["sort"] = sort
    params.pop("page", None)
    return params.urlencode()
