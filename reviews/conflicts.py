"""Conflicts of interest found automatically, each with the reason a chair can read.

The rules, between a paper and a person who holds a role in its edition:
- the person is an author of the paper;
- the same organisation (an author's account, or an author's address in the organisation's domains);
- the same e-mail domain (webmail domains never count);
- co-authors: the person and one of the paper's authors wrote a paper together, anywhere in Convene.

They are written as `Conflict` rows, so the visibility selector hides the paper from that person
everywhere at once. Running the detection again adds what is new and removes what no longer holds;
a conflict a chair dismissed stays dismissed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from conference.models import Edition, Role
from submissions.models import Authorship, Conflict, Submission

Kind = Conflict.Kind
DETECTED = [Kind.AUTHOR, Kind.SAME_ORGANISATION, Kind.SAME_DOMAIN, Kind.COAUTHOR]

# Addresses anyone can get: sharing one says nothing about two people.
WEBMAIL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "yahoo.com", "yahoo.fr", "yahoo.es", "yahoo.co.uk", "ymail.com",
    "outlook.com", "outlook.fr", "outlook.es", "hotmail.com", "hotmail.fr", "hotmail.es", "live.com",
    "live.fr", "msn.com", "icloud.com", "me.com", "mac.com", "aol.com", "protonmail.com", "proton.me",
    "gmx.com", "gmx.net", "gmx.de", "web.de", "mail.com", "zoho.com", "yandex.com", "yandex.ru",
    "mail.ru", "qq.com", "163.com", "126.com", "orange.fr", "free.fr", "laposte.net", "wanadoo.fr",
    "sfr.fr", "terra.com.br", "uol.com.br", "bol.com.br", "libero.it", "tiscali.it", "t-online.de",
    "rediffmail.com", "naver.com", "daum.net", "fastmail.com", "tutanota.com", "example.com",
})  # fmt: skip


def domain_of(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower()


@dataclass(frozen=True)
class Found:
    submission_id: int
    user_id: int
    kind: str
    reason: str


def find_conflicts(*, edition: Edition) -> list[Found]:
    """Every automatic conflict between the edition's papers and the people who hold a role in it."""
    people = list(
        User.objects.filter(pk__in=Role.objects.filter(edition=edition).values("user")).select_related(
            "organisation"
        )
    )
    papers = list(
        Submission.objects.filter(edition=edition)
        .exclude(state=Submission.State.DRAFT)
        .prefetch_related("authorships__user__organisation")
    )
    organisations_by_domain: dict[str, list[Organisation]] = defaultdict(list)
    for organisation in Organisation.objects.all():
        for domain in organisation.email_domains:
            organisations_by_domain[domain].append(organisation)
    coauthors = _coauthors_of({person.email.lower() for person in people})

    people_by_email = {person.email.lower(): person for person in people}
    people_by_domain: dict[str, list[User]] = defaultdict(list)
    people_by_organisation: dict[int, list[User]] = defaultdict(list)
    for person in people:
        domain = domain_of(person.email)
        if domain not in WEBMAIL_DOMAINS:
            people_by_domain[domain].append(person)
        for organisation_id in _organisations_of(person.email, person.organisation, organisations_by_domain):
            people_by_organisation[organisation_id].append(person)

    found: dict[tuple[int, int, str], Found] = {}

    def add(paper: Submission, person: User, kind: str, reason: str) -> None:
        found.setdefault((paper.pk, person.pk, kind), Found(paper.pk, person.pk, kind, reason))

    people_ids = {person.pk for person in people}
    for paper in papers:
        for author in paper.authorships.all():
            email = author.email.lower()
            person = people_by_email.get(email) or (author.user if author.user_id in people_ids else None)
            if person:
                add(paper, person, Kind.AUTHOR, _("Author of the paper."))
            domain = domain_of(email)
            same_domain = _("Same e-mail domain as the author %(author)s: %(domain)s.")
            for person in people_by_domain.get(domain, []):
                add(paper, person, Kind.SAME_DOMAIN, same_domain % {"author": author.name, "domain": domain})
            account_organisation = author.user.organisation if author.user_id else None
            same_organisation = _("Same organisation as the author %(author)s.") % {"author": author.name}
            for organisation_id in _organisations_of(email, account_organisation, organisations_by_domain):
                for person in people_by_organisation.get(organisation_id, []):
                    add(paper, person, Kind.SAME_ORGANISATION, same_organisation)
            wrote_with = _("Wrote a paper with the author %(author)s.") % {"author": author.name}
            for person_email in coauthors.get(email, ()):
                add(paper, people_by_email[person_email], Kind.COAUTHOR, wrote_with)
    return list(found.values())


def _organisations_of(email: str, organisation: Organisation | None, by_domain) -> set[int]:
    ids = {organisation.pk} if organisation else set()
    ids |= {o.pk for o in by_domain.get(domain_of(email), [])}
    return ids


def _coauthors_of(emails: set[str]) -> dict[str, set[str]]:
    """For each address anywhere in Convene's papers, which of `emails` wrote a paper with it."""
    theirs = Authorship.objects.filter(email__in=emails).values_list("submission_id", "email")
    papers_of: dict[int, set[str]] = defaultdict(set)
    for submission_id, email in theirs:
        papers_of[submission_id].add(email.lower())
    coauthors: dict[str, set[str]] = defaultdict(set)
    rows = Authorship.objects.filter(submission_id__in=papers_of).values_list("submission_id", "email")
    for submission_id, email in rows:
        for person_email in papers_of[submission_id] - {email.lower()}:
            coauthors[email.lower()].add(person_email)
    return coauthors


@transaction.atomic
def detect_conflicts(*, edition: Edition) -> dict[str, int]:
    """Write the automatic conflicts of the edition: new ones added, those that no longer hold removed
    (a dismissed one is kept, dismissed, while it still holds). Returns how many were added and removed."""
    wanted = {(f.submission_id, f.user_id, f.kind): f for f in find_conflicts(edition=edition)}
    existing = {
        (c.submission_id, c.user_id, c.kind): c
        for c in Conflict.objects.filter(submission__edition=edition, kind__in=DETECTED, user__isnull=False)
    }
    stale = [c.pk for key, c in existing.items() if key not in wanted]
    Conflict.objects.filter(pk__in=stale).delete()
    new = [
        Conflict(submission_id=f.submission_id, user_id=f.user_id, kind=f.kind, reason=f.reason[:300])
        for key, f in wanted.items()
        if key not in existing
    ]
    Conflict.objects.bulk_create(new, ignore_conflicts=True)
    return {"added": len(new), "removed": len(stale)}


@transaction.atomic
def add_conflict(*, submission: Submission, user: User, reason: str, by: User) -> Conflict:
    """A chair names someone in conflict with a paper, with the reason."""
    conflict, _created = Conflict.objects.update_or_create(
        submission=submission, user=user, kind=Kind.ADDED_BY_CHAIR,
        defaults={"reason": reason[:300], "created_by": by, "dismissed_at": None, "dismissed_by": None,
                  "dismissal_reason": ""},
    )  # fmt: skip
    return conflict


@transaction.atomic
def dismiss_conflict(*, conflict: Conflict, reason: str, by: User) -> Conflict:
    """A chair decides a conflict does not hold; it stays in the log, dismissed, with who and why."""
    conflict.dismissed_at = timezone.now()
    conflict.dismissed_by = by
    conflict.dismissal_reason = reason[:300]
    conflict.save(update_fields=["dismissed_at", "dismissed_by", "dismissal_reason"])
    return conflict
