"""The printed side of an event: badges whose QR codes a door scanner reads back to the right person,
certificates of attendance and visa letters with their placeholders filled, for names in any script."""

import datetime
import io
import re

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

from events import documents, services
from events.models import Registration, VisaDetails
from tests.factories import UserFactory

from .helpers import kind, make_event

Status = Registration.Status
BADGES = "/events/trento-2026/organise/badges.pdf"
NAMES = ["Željko Ćosić", "Анна Петрова", "Ἀθηνᾶ Παπαδοπούλου", "Ana Pereira", "Ben Okoro", "Carla Rossi",
         "Dmitri Ørsted", "Émilie Durand", "François Lefèvre", "Grace Mensah"]  # fmt: skip


@pytest.fixture
def event(db):
    event = make_event(capacity=20, quotas={"Member agency": None, "Observer": None})
    event.starts_at = datetime.datetime(2026, 11, 21, 8, tzinfo=datetime.UTC)
    event.ends_at = datetime.datetime(2026, 11, 22, 17, tzinfo=datetime.UTC)
    event.hosts = "ILO International Training Centre"
    event.save()
    return event


@pytest.fixture
def organiser(event):
    person = UserFactory(name="Olga Organiser")
    event.organisers.add(person)
    return person


def register(event, name, type_name="Observer", organisation="EURICSE") -> Registration:
    person = UserFactory(name=name)
    return services.register(
        event=event, user=person, participant_type=kind(event, type_name), organisation=organisation
    )


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def _inside(origin, x, y) -> bool:
    left, bottom = origin
    return left < x < left + documents.BADGE_WIDTH and bottom < y < bottom + documents.BADGE_HEIGHT


def badges_read_back(pdf: bytes) -> list[tuple[str, str]]:
    """(the text printed on a badge, the QR code on it decoded as a door scanner would) for each badge, in
    order: each page rendered as a printer would, each code placed on the badge it sits on."""
    scale = 3  # 216 dpi
    found = []
    document = pypdfium2.PdfDocument(pdf)
    try:
        for page_number, page in enumerate(document):
            height, text = page.get_height(), page.get_textpage()
            for result in zxingcpp.read_barcodes(page.render(scale=scale).to_pil()):
                assert result.format == zxingcpp.BarcodeFormat.QRCode
                corners = [result.position.top_left, result.position.bottom_right]
                x = sum(point.x for point in corners) / 2 / scale
                y = height - sum(point.y for point in corners) / 2 / scale
                slot = next(i for i in range(8) if _inside(documents.badge_origin(i), x, y))
                left, bottom = documents.badge_origin(slot)
                printed = text.get_text_bounded(
                    left, bottom, left + documents.BADGE_WIDTH, bottom + documents.BADGE_HEIGHT
                )
                found.append((page_number, slot, " ".join(printed.split()), result.text))
    finally:
        document.close()
    return [(printed, code) for _page, _slot, printed, code in sorted(found)]


def test_each_badges_qr_code_reads_back_as_its_participants_check_in_code(client, event, organiser):
    registrations = [register(event, name, "Observer" if n % 2 else "Member agency")
                     for n, name in enumerate(NAMES)]  # fmt: skip
    services.cancel(registrations.pop(3))  # Ana Pereira cancels: no badge
    client.force_login(organiser)
    response = client.get(BADGES)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="badges-trento-2026.pdf"'
    pdf = b"".join(response.streaming_content)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2  # nine badges, eight a page
    badges = badges_read_back(pdf)
    assert len(badges) == len(registrations) == 9
    printed_names = []
    for printed, code in badges:
        (registration,) = [r for r in registrations if r.user.name in printed]
        assert code == registration.check_in_code, printed
        assert "Technical symposium, Trento" in printed and "EURICSE" in printed
        assert registration.participant_type.name["en"].upper() in printed
        printed_names.append(registration.user.name)
    latin = [name for name in printed_names if name.isascii()]
    assert latin == sorted(latin) == ["Ben Okoro", "Carla Rossi", "Grace Mensah"]
    assert "Ana Pereira" not in text_of(pdf)


def test_badges_of_one_participant_type(client, event, organiser):
    observer = register(event, "Carla Rossi", "Observer")
    register(event, "Ben Okoro", "Member agency")
    client.force_login(organiser)
    response = client.get(f"{BADGES}?type={kind(event, 'Observer').pk}")
    (badge,) = badges_read_back(b"".join(response.streaming_content))
    assert badge[1] == observer.check_in_code and "Carla Rossi" in badge[0]
    assert client.get(f"{BADGES}?type=observers").status_code == 404


def test_names_in_any_script_are_set_in_an_embedded_unicode_font(event):
    registrations = [register(event, name) for name in ["Željko Ćosić", "Анна Петрова", "Ἀθηνᾶ Παπαδοπούλου",
                                                         "王小明", "김민수"]]  # fmt: skip
    pdf = documents.badges_pdf(event, registrations)
    text = text_of(pdf)
    for name in ["Željko Ćosić", "Анна Петрова", "Ἀθηνᾶ Παπαδοπούλου"]:
        assert name in text
    fonts = {
        str(font["/BaseFont"])
        for page in PdfReader(io.BytesIO(pdf)).pages
        for font in page["/Resources"]["/Font"].values()
    }  # fmt: skip
    assert any("DejaVuSans" in font for font in fonts)  # embedded, not a base-14 font without Cyrillic
    assert {"/STSong-Light", "/HYSMyeongJo-Medium"} <= fonts  # Chinese and Korean: the reader's own fonts
    assert len(badges_read_back(pdf)) == 5
    assert "Анна Петрова" in text_of(documents.certificates_pdf(registrations))


def test_a_certificate_fills_its_placeholders_and_leaves_anything_else_in_braces_alone(event):
    event.certificate_text = {
        "en": "We certify that {name} of {organisation} came to {event} ({dates}) at {venue}.\n\n"
        "{unknown} {0} {name.__class__} {name!r} {",
        "fr": "Nous certifions que {name} a participé à {event}, {dates}.",
    }
    event.save()
    registration = register(event, "Émilie Durand", organisation="UNRISD")
    text = text_of(documents.certificate_pdf(registration, "en"))
    assert "We certify that Émilie Durand of UNRISD came to Technical symposium, Trento" in text
    assert "(Nov. 21, 2026 – Nov. 22, 2026) at EURICSE." in text
    assert "{unknown} {0} {name.__class__} {name!r} {" in text
    french = text_of(documents.certificate_pdf(registration, "fr"))
    assert "que Émilie Durand a participé à Technical symposium, Trento, 21 novembre 2026" in french


def test_without_a_text_the_certificate_says_who_attended_what_when_and_where(event):
    registration = register(event, "Carla Rossi", organisation="")
    text = text_of(documents.certificate_pdf(registration, "en"))
    assert "Certificate of attendance" in text
    assert "Carla Rossi attended Technical symposium, Trento, Nov. 21, 2026 – Nov. 22, 2026." in text
    assert "The event took place at EURICSE." in text and "ILO International Training Centre" in text
    assert "{" not in text


def visa_details(event, **letter) -> VisaDetails:
    registration = register(event, "Željko Ćosić", organisation="GSEF")
    return VisaDetails.objects.create(
        registration=registration, passport_name="ZELJKO COSIC", nationality="HR", passport_number="X1234567",
        date_of_birth=datetime.date(1980, 5, 3),
    )  # fmt: skip


def test_a_visa_letter_fills_the_passport_details_into_the_organisers_text(event):
    event.letter_text = {
        "en": "Dear consul, please let {passport_name} ({nationality}, born {date_of_birth}, passport "
        "{passport_number}) travel to {event} at {venue}, {dates}. "
        "{name} represents {organisation}. {missing}"
    }
    event.save()
    text = text_of(documents.visa_letter_pdf(visa_details(event), "en"))
    assert ("Dear consul, please let ZELJKO COSIC (Croatia, born May 3, 1980, passport X1234567) travel to "
            "Technical symposium, Trento at EURICSE, Nov. 21, 2026 – Nov. 22, 2026.") in text  # fmt: skip
    assert "Željko Ćosić represents GSEF. {missing}" in text


def test_without_a_text_the_visa_letter_says_whom_the_organisers_invite(event):
    details = visa_details(event)
    details.refresh_from_db()  # as the workflow reads it: from the database
    text = text_of(documents.visa_letter_pdf(details, "en"))
    assert "holder of passport number X1234567" in text and "We are pleased to invite ZELJKO COSIC" in text
    assert "Invitation to Technical symposium, Trento" in text and "{" not in text
    assert re.search(r"Yours faithfully, ILO International Training Centre", text)


def test_fill_replaces_only_known_names():
    values = {"name": "Ana", "event": "{name}"}
    assert documents.fill("{name} at {event}; {other} {name:>9} {{name}} }{", values) == (
        "Ana at {name}; {other} {name:>9} {Ana} }{"
    )


def test_an_event_of_one_day_shows_one_date(db):
    event = make_event()
    event.starts_at = datetime.datetime(2026, 11, 21, 8, tzinfo=datetime.UTC)
    event.ends_at = datetime.datetime(2026, 11, 21, 17, tzinfo=datetime.UTC)
    assert documents.event_dates(event) == "Nov. 21, 2026"
