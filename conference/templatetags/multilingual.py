from django import template
from django.utils.safestring import mark_safe

from config.multilingual import localise

register = template.Library()


@register.filter
def localised(value, edition=None):
    """{{ track.name|localised:edition }}: the reader's language, else the edition's main language."""
    return localise(value, fallback=getattr(edition, "main_language", None))


@register.filter
def localised_html(value, edition=None):
    """For call texts, which were sanitised (nh3) when saved."""
    return mark_safe(localise(value, fallback=getattr(edition, "main_language", None)))  # noqa: S308
