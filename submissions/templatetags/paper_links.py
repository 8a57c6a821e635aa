from django import template
from django.urls import reverse

from submissions.links import paper_links

register = template.Library()


@register.simple_tag(takes_context=True)
def links_for_paper(context, submission) -> list[dict]:
    user = context["request"].user
    edition = submission.edition
    return [
        {
            "label": link.label,
            "url": reverse(link.url_name, args=[edition.series.slug, edition.year, submission.number]),
        }
        for link in paper_links()
        if link.shown_to(submission, user)
    ]
