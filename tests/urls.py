"""The URL resolver walked as a list, for tests that try every URL (permissions, the double-blind scan)."""

from django.urls import URLPattern, URLResolver, get_resolver, reverse


def all_url_patterns() -> list[tuple[str, URLPattern]]:
    """Every named URL as (namespaced name, pattern), sorted by name."""

    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
                yield from walk(p.url_patterns, inner)
            elif isinstance(p, URLPattern) and p.name:
                yield f"{namespace}{p.name}", p

    return sorted(dict(walk(get_resolver().url_patterns)).items())


def reverse_with(pattern: URLPattern, name: str, values: dict) -> str:
    """Reverse `name`, taking each of its arguments from `values`."""
    return reverse(name, kwargs={key: values[key] for key in pattern.pattern.regex.groupindex})
