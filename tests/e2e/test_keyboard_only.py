"""With the keyboard only: an author signs in and submits a paper through every step, PDF included, and a
person signs in and registers for an event with the whole form. No mouse event at all: the focus moves
with Tab, Space, Enter and the arrow keys, text is typed into the focused element, and the file chooser
is opened from the keyboard. After every move of the focus the focused element must show it (WCAG 2.4.7).
"""

from __future__ import annotations

import hashlib
import json

from playwright.sync_api import expect

from events.models import Event, Question, Registration
from submissions.demo_pdf import make_pdf
from submissions.models import Document, Submission
from tests.e2e.helpers import screenshot
from tests.e2e.test_submission import ABSTRACT, TITLE, make_call
from tests.events.helpers import make_event
from tests.factories import PASSWORD, UserFactory

# What the focused element is and how it shows its focus, read by the browser itself. Transitions are
# finished first: Bootstrap fades its focus shadow in, and mid-fade the shadow is still transparent.
FOCUS = r"""() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    el.getAnimations().forEach((animation) => animation.finish());
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    const label = (el.labels && el.labels[0] ? el.labels[0].textContent : el.textContent).trim();
    const element = `<${el.tagName.toLowerCase()}${el.id ? ' id=' + el.id : ''}`
        + `${el.name ? ' name=' + el.name : ''}${el.className ? ' class="' + el.className + '"' : ''}>`
        + ` ${label.slice(0, 60)} (${location.pathname})`;
    const seen = (colour) => colour !== 'transparent' && !/^rgba\(.*,\s*0\)$/.test(colour);
    // WCAG contrast of a CSS colour against a background given as [r, g, b].
    const luminance = ([r, g, b]) => [r, g, b].map((c) => c / 255)
        .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
        .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
    const rgb = (colour) => (colour.match(/\d+(\.\d+)?/g) || []).slice(0, 3).map(Number);
    const contrast = (colour, background) => {
        const [a, b] = [luminance(rgb(colour)), luminance(background)].sort((x, y) => y - x);
        return (a + 0.05) / (b + 0.05);
    };
    const shadows = style.boxShadow.match(/rgba?\([^)]*\)/g) || [];
    return {
        element,
        // Tab also stops on the calendar button inside a date field, in Chromium's own shadow tree: the field
        // loses :focus, and the browser draws its own ring there, which a page can neither style nor read.
        datePicker: !el.matches(':focus') && /^(date|datetime-local|month|time|week)$/.test(el.type),
        focusVisible: el.matches(':focus-visible'),
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
            && seen(style.outlineColor),
        boxShadow: (style.boxShadow.match(/rgba?\([^)]*\)/g) || []).some(seen),
        shown: rect.width > 1 && rect.height > 1 && style.visibility !== 'hidden',
        // The ring must stand out on the white page (its outline) and on the brand's blue bar (its halo).
        onWhite: style.outlineStyle !== 'none' ? contrast(style.outlineColor, [255, 255, 255]) : 0,
        onBlue: Math.max(0, ...shadows.map((colour) => contrast(colour, [29, 78, 137]))),
    };
}"""


def assert_focus_shows(focus: dict | None, url: str) -> None:
    """The focused element is on screen, matches :focus-visible and draws an outline or a focus shadow."""
    assert focus is not None, f"the focus is lost (on the body) at {url}"
    if focus["datePicker"]:
        return
    assert focus["shown"], f"the focused element is not on screen: {focus['element']}"
    assert focus["focusVisible"], f"the focused element does not match :focus-visible: {focus['element']}"
    assert focus["outline"] or focus["boxShadow"], f"no outline and no focus shadow on {focus['element']}"
    # WCAG 2.4.11/1.4.11: a focus indicator at 3:1 against what surrounds it.
    assert focus["onWhite"] >= 3 and focus["onBlue"] >= 3, (
        f"a faint focus ring on {focus['element']}: {focus}"
    )


def press(page, key: str) -> None:
    """A key that moves the focus (an arrow in a radio group), then the focus must show."""
    page.keyboard.press(key)
    assert_focus_shows(page.evaluate(FOCUS), page.url)


def focused(page, condition: str) -> bool:
    return page.evaluate(f"() => {{ const el = document.activeElement; return Boolean({condition}); }}")


def tab_to(page, condition: str, *, what: str, limit: int = 80) -> None:
    """Press Tab until `condition` (JavaScript, on the focused element `el`) holds, checking every stop."""
    check = f"() => [({FOCUS})(), (el => Boolean({condition}))(document.activeElement)]"
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus, reached = page.evaluate(check)
        assert_focus_shows(focus, page.url)
        if reached:
            return
    raise AssertionError(f"{limit} presses of Tab never reached {what} at {page.url}")


def tab_to_field(page, name: str) -> None:
    tab_to(page, f"el.name === {json.dumps(name)}", what=f"the field {name!r}")


def tab_to_button(page, text: str) -> None:
    condition = f"['BUTTON', 'A'].includes(el.tagName) && el.textContent.trim() === {json.dumps(text)}"
    tab_to(page, condition, what=f"“{text}”")


def label_of_focused(page) -> str:
    return page.evaluate("() => document.activeElement.labels[0].textContent.trim()")


def choose_radio(page, label: str) -> None:
    """The focus is in a radio group: move with ArrowDown (which checks) to the radio labelled `label`."""
    for _ in range(20):
        if label_of_focused(page) == label:
            if not focused(page, "el.checked"):
                page.keyboard.press("Space")
            assert focused(page, "el.checked"), f"Space did not check the radio “{label}”"
            return
        press(page, "ArrowDown")
    raise AssertionError(f"no radio labelled “{label}” in the group at {page.url}")


def choose_option(page, label: str) -> None:
    """The focus is on a closed <select>: typing an option's first letters selects it."""
    page.keyboard.type(label)
    chosen = page.evaluate("() => document.activeElement.selectedOptions[0].textContent.trim()")
    assert chosen == label, f"typing “{label}” in the select chose “{chosen}”"


def type_into(page, name: str, text: str) -> None:
    tab_to_field(page, name)
    page.keyboard.type(text)


def sign_in(page, email: str) -> None:
    """On the login page: the e-mail field (autofocused, or reached with Tab), the password, Enter."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign In")
    if not focused(page, "el.name === 'login'"):
        tab_to_field(page, "login")
    page.keyboard.type(email)
    type_into(page, "password", PASSWORD)
    page.keyboard.press("Enter")


def save_and_continue(page, next_heading: str) -> None:
    tab_to_button(page, "Save and continue")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(next_heading)


def test_an_author_submits_a_paper_with_the_keyboard_only(page, live_server, celery_workers, tmp_path):
    call = make_call()
    UserFactory(name="Ana Author", email="ana@uni.example")
    pdf = tmp_path / "solidarity-finance.pdf"
    pdf.write_bytes(make_pdf(title=TITLE, pages=3))
    # Playwright turns on the browser's file-chooser interception without waiting for it, so a chooser
    # opened at once (by a key press right after expect_file_chooser) is sometimes missed; turn it on now.
    page.on("filechooser", lambda chooser: None)

    page.goto(call.get_absolute_url())
    tab_to_button(page, "Submit a paper")
    page.keyboard.press("Enter")
    sign_in(page, "ana@uni.example")
    expect(page.get_by_role("heading", level=1)).to_have_text("Submit a paper")
    tab_to_button(page, "Start a new paper")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Type and track")
    tab_to(page, "el.name === 'submission_type'", what="the submission types")
    choose_radio(page, "Research paper")
    tab_to(page, "el.name === 'track'", what="the tracks")
    choose_radio(page, "Care economy")
    tab_to_field(page, "language")
    choose_option(page, "English")
    save_and_continue(page, "Title and abstract")

    type_into(page, "title", TITLE)
    type_into(page, "abstract", ABSTRACT)
    save_and_continue(page, "Authors")

    # The empty row of the formset ("Add an author") is the second one.
    tab_to(page, "/-1-name$/.test(el.name)", what="the name of a new author")
    page.keyboard.type("Ben Coauthor")
    tab_to(page, "/-1-email$/.test(el.name)", what="the e-mail address of a new author")
    page.keyboard.type("ben@coop.example")
    save_and_continue(page, "Topics and keywords")

    for goal in ["SDG 5: Gender equality", "SDG 8: Decent work and economic growth"]:
        tab_to(page, f"el.type === 'checkbox' && el.labels[0].textContent.trim() === {json.dumps(goal)}",
               what=goal)  # fmt: skip
        page.keyboard.press("Space")
    type_into(page, "keywords_text", "cooperatives, credit")
    save_and_continue(page, "Questions")

    tab_to(page, "el.type === 'radio'", what="the yes/no question")
    choose_radio(page, "Yes")
    save_and_continue(page, "Conflicts of interest")
    save_and_continue(page, "PDF")

    tab_to(page, "el.type === 'file'", what="the PDF's file input")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(pdf)
    assert focused(page, "el.files.length === 1 && el.files[0].name === 'solidarity-finance.pdf'")
    tab_to_button(page, "Upload and continue")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Check and submit")
    summary = page.get_by_role("main")
    for text in [TITLE, ABSTRACT, "Research paper", "Care economy", "Ana Author", "Ben Coauthor",
                 "SDG 5: Gender equality; SDG 8: Decent work", "cooperatives, credit", "Yes",
                 "solidarity-finance.pdf", hashlib.sha256(pdf.read_bytes()).hexdigest()]:  # fmt: skip
        expect(summary).to_contain_text(text)
    tab_to_button(page, "Submit the paper")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Your paper is submitted.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"#1 {TITLE}")
    screenshot(page, "keyboard-submission-submitted")
    submission = Submission.objects.get(edition=call)
    assert submission.state == Submission.State.SUBMITTED
    assert (submission.title, submission.abstract, submission.language) == (TITLE, ABSTRACT, "en")
    assert [a.name for a in submission.sorted_authors()] == ["Ana Author", "Ben Coauthor"]
    assert sorted(submission.topics.values_list("sdg_number", flat=True)) == [5, 8]
    assert Document.objects.get(submission=submission).original_name == "solidarity-finance.pdf"


def test_a_person_registers_for_an_event_with_the_keyboard_only(page, live_server, celery_workers):
    event = make_event(mode=Event.Mode.OPEN, quotas={"Member agency": 6, "Observer": 4})
    event.meals = ["lunch", "dinner"]
    event.save(update_fields=["meals"])
    question = Question.objects.create(
        event=event, text={"en": "Which workshop will you join?"}, kind=Question.Kind.CHOICE,
        choices="Care work\nHousing\nFinance", required=True,
    )  # fmt: skip
    first_day, *_, last_day = event.days
    UserFactory(name="Carla Rossi", email="carla@euricse.example")

    page.goto(f"/events/{event.slug}/")
    tab_to_button(page, "Register")
    page.keyboard.press("Enter")
    sign_in(page, "carla@euricse.example")
    expect(page.get_by_role("heading", level=1)).to_have_text("Register for Technical symposium, Trento")

    tab_to_field(page, "participant_type")
    choose_option(page, "Observer")
    type_into(page, "organisation", "EURICSE")
    type_into(page, "position", "Researcher")
    tab_to_field(page, "country")
    choose_option(page, "Italy")
    # Every day is ticked to start with: the person comes on the first day only.
    tab_to(page, f"el.name === 'days' && el.value === '{last_day.isoformat()}'", what="the last day")
    assert focused(page, "el.checked")
    page.keyboard.press("Space")
    for meal in [f"{first_day.isoformat()}:lunch", f"{first_day.isoformat()}:dinner"]:
        tab_to(page, f"el.name === 'meals' && el.value === '{meal}'", what=meal)
        page.keyboard.press("Space")
    type_into(page, "dietary_needs", "Vegetarian")
    tab_to_field(page, f"question_{question.pk}")
    choose_option(page, "Housing")
    tab_to_field(page, "listed")
    if not focused(page, "el.checked"):
        page.keyboard.press("Space")
    tab_to_button(page, "Send my registration")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("My registration")
    expect(page.get_by_text("You are registered.")).to_be_visible()
    details = page.get_by_role("main").locator("dl")
    listed = "Your name, organisation and country are shown."
    for text in ["Registered", "Observer", "EURICSE", "Researcher", "Italy", "Vegetarian", "Housing",
                 "Which workshop will you join?", listed]:  # fmt: skip
        expect(details).to_contain_text(text)
    screenshot(page, "keyboard-event-registered")
    registration = Registration.objects.get(event=event)
    assert registration.status == Registration.Status.REGISTERED
    assert registration.participant_type.name["en"] == "Observer"
    assert (registration.organisation, registration.country.code) == ("EURICSE", "IT")
    assert registration.days == [first_day.isoformat()]
    assert sorted(registration.meals) == [f"{first_day.isoformat()}:dinner", f"{first_day.isoformat()}:lunch"]
    assert registration.answers == {str(question.pk): "Housing"}
    assert registration.listed
