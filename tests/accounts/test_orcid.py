import pytest
from django.core.exceptions import ValidationError

from accounts.validators import normalise_orcid, orcid_checksum


@pytest.mark.parametrize(
    "given, expected",
    [
        ("0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("https://orcid.org/0000-0001-5109-3700", "0000-0001-5109-3700"),
        ("000000021694233x", "0000-0002-1694-233X"),
        (" 0000-0002-1694-233X ", "0000-0002-1694-233X"),
        ("0000 0002 1825 0097", "0000-0002-1825-0097"),
    ],
)
def test_valid_orcids_are_normalised(given, expected):
    assert normalise_orcid(given) == expected


def test_checksum_follows_iso_7064_mod_11_2():
    assert orcid_checksum("000000021825009") == "7"
    assert orcid_checksum("000000021694233") == "X"


@pytest.mark.parametrize("typo", ["0000-0002-1825-0098", "0000-0002-1694-2330"])
def test_a_wrong_check_digit_is_called_a_typo(typo):
    with pytest.raises(ValidationError) as error:
        normalise_orcid(typo)
    assert error.value.code == "orcid_checksum"
    assert "checksum" in error.value.messages[0]


@pytest.mark.parametrize(
    "garbage",
    [
        "1234",
        "0000-0002-1825-009",
        "abcd-efgh-ijkl-mnop",
        "0000-0002-1825-00977",
        "\uff10000-0002-1825-0097",  # a full-width digit
        "\u0660\u0660\u0660\u0660-0002-1825-0097",  # Arabic-Indic digits
        "0000-0002-1825-0097ORCID.ORG/",
    ],
)
def test_a_malformed_orcid_shows_the_expected_shape(garbage):
    with pytest.raises(ValidationError) as error:
        normalise_orcid(garbage)
    assert error.value.code == "orcid_format"
    assert "0000-0002-1825-0097" in error.value.messages[0]
