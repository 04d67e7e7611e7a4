import pytest
from django.core.exceptions import ValidationError

from training.live.nicknames import clean_nickname, nickname_key


@pytest.mark.parametrize(
    "name",
    ["fuck", "F.u_c-k", "FUUUCK you", "5h1t", "little bitch", "ass", "Big Ass", "on9", "仆街",
     "屌你", "nazi88", "kys"],
)  # fmt: skip
def test_an_abusive_nickname_is_refused(name):
    with pytest.raises(ValidationError, match="not allowed"):
        clean_nickname(name)


@pytest.mark.parametrize(
    "name", ["Cassandra", "class act", "Peacock", "Dickens fan", "Mr. O'Neil", "陳大文", "Ann-2"]
)
def test_ordinary_names_are_allowed_even_with_a_bad_word_inside(name):
    assert clean_nickname(name) == name


@pytest.mark.parametrize(
    "name", ["a", "x" * 21, "<script>", "=cmd()", "-dash", "zero\u200bwidth", "Ann😀"]
)
def test_a_nickname_needs_2_to_20_plain_characters(name):
    with pytest.raises(ValidationError):
        clean_nickname(name)


def test_spaces_are_tidied_and_case_does_not_make_a_new_name():
    assert clean_nickname("  Ann   Lee ") == "Ann Lee"
    assert nickname_key("ANN lee") == nickname_key("ann LEE")
