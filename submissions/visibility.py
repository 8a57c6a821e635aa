"""Who sees which papers because of a role: rules the apps register, joined by the visibility selector.

Submissions shows an edition's papers to its chairs and staff (drafts included) and to its
committee; the review app adds "assigned to me". `Submission.objects.visible_to(user)` joins the
rules, adds the person's own papers and removes every paper they are in conflict with: a conflict
beats every role. `organised_by(user)` is the same without the person's own papers, for chairs.
"""

from collections.abc import Callable

from django.db.models import Q

VisibilityRule = Callable[[object], Q]

_rules: dict[str, VisibilityRule] = {}


def register_visibility(name: str) -> Callable[[VisibilityRule], VisibilityRule]:
    """Decorator: `rule(user) -> Q` over Submission, the papers a role shows this (signed-in) person."""

    def decorator(rule: VisibilityRule) -> VisibilityRule:
        _rules[name] = rule
        return rule

    return decorator


def visibility_rules() -> list[VisibilityRule]:
    return list(_rules.values())


@register_visibility("organisers")
def organisers_see_their_editions(user) -> Q:
    from conference.models import Role

    # Chairs (and staff) see drafts too, to help an author or extend a deadline; the committee sees
    # what was submitted.
    if user.is_staff:
        return Q(pk__isnull=False)
    chaired = Role.objects.filter(user=user, kind=Role.Kind.CHAIR).values("edition")
    on_committee = Role.objects.filter(user=user, kind=Role.Kind.COMMITTEE).values("edition")
    return Q(edition__in=chaired) | (~Q(state="draft") & Q(edition__in=on_committee))
