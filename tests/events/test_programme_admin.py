"""Staff enter an event's programme and its registration questions in the admin; a session's papers
can only be papers whose acceptance is public."""

from django.contrib import admin
from django.test import RequestFactory

from events.admin import SessionInline
from events.models import Event, Session
from submissions.models import Submission
from tests.factories import StaffFactory, SubmissionFactory

from .helpers import make_event


def test_the_event_page_in_the_admin_has_the_sessions_and_the_questions(staff_client):
    event = make_event()
    page = staff_client.get(f"/admin/events/event/{event.pk}/change/").content.decode()
    assert 'name="sessions-TOTAL_FORMS"' in page and 'name="questions-TOTAL_FORMS"' in page


def test_a_session_offers_only_accepted_papers(db):
    accepted = SubmissionFactory(state=Submission.State.ACCEPTED)
    published = SubmissionFactory(state=Submission.State.PUBLISHED)
    SubmissionFactory(state=Submission.State.UNDER_REVIEW)
    SubmissionFactory(state=Submission.State.REJECTED)
    request = RequestFactory().get("/admin/")
    request.user = StaffFactory()
    field = SessionInline(Event, admin.site).formfield_for_manytomany(
        Session._meta.get_field("papers"), request
    )
    assert set(field.queryset) == {accepted, published}
