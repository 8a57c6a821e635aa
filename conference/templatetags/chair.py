from django import template
from django.urls import reverse

from conference.dashboard import chair_pages

register = template.Library()


@register.simple_tag(takes_context=True)
def chair_menu(context, edition) -> list[dict]:
    """The chair's menu: conference's own pages, then those other apps registered."""
    current = context["request"].resolver_match
    current_name = f"{current.namespace}:{current.url_name}" if current else ""
    return [
        {
            "label": page.label,
            "url": reverse(page.url_name, args=[edition.series.slug, edition.year]),
            "active": current_name == page.url_name,
        }
        for page in chair_pages()
    ]
