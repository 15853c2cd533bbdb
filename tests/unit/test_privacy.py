"""The privacy guard: details found in odd spellings, restored exactly, local models left alone."""

from __future__ import annotations

import pytest

from pipeline.llm.privacy import PrivacyGuard, guard_active, is_remote

CV = """# Marta Kowalska

ul. Długa 12, 00-238 Warszawa · marta.kowalska@example.pl · +48 500-100-200 · linkedin.com/in/marta-kowalska · github.com/mkowal

Date of birth: 12.03.1990

## Summary

Intensive care nurse with 8 years on adult wards.

## Experience

### Staff Nurse — St Example's Hospital
2019 – Present
- Led a ward of 30 beds through the 2021 winter peak.
- Trained 12 new nurses; phone triage of 2019-2020 cases.
"""

PLANTED = (
    "Marta",
    "Kowalska",
    "marta.kowalska@example.pl",
    "500",
    "linkedin.com/in/marta-kowalska",
    "github.com/mkowal",
    "Długa 12",
    "12.03.1990",
)


def _guard(**kw) -> PrivacyGuard:
    return PrivacyGuard.from_cv(CV, **kw)


def test_the_cv_itself_keeps_none_of_the_planted_details():
    hidden, n = _guard().hide(CV)
    low = hidden.casefold()
    for detail in PLANTED:
        assert detail.casefold() not in low, detail
    assert n >= 7
    # The experience stays: what the model needs to tailor the CV.
    assert "Led a ward of 30 beds through the 2021 winter peak." in hidden
    assert "2019 – Present" in hidden and "2019-2020" in hidden  # years and date spans are not phones
    assert "Warszawa" in hidden  # the city stays: location matters for fit


@pytest.mark.parametrize(
    "text",
    [
        "Call +48 500-100-200 today",
        "Call 500 100 200 today",
        "Call (0048) 500.100.200 today",
        "Call +48500100200 today",
        "Signed, m a r t a",
        "Signed, M.A.R.T.A. K.",
        "MARTA KOWALSKA, RN",
        "Dear Ms Kowalska,",
        "mail MARTA.KOWALSKA@EXAMPLE.PL now",
        "https://www.linkedin.com/in/marta-kowalska/",
        "Born on 12.03.1990",
    ],
)
def test_odd_spellings_are_withheld(text):
    hidden, n = _guard().hide(text)
    assert n >= 1, hidden
    assert "[[" in hidden
    for detail in (
        "500-100-200",
        "500 100 200",
        "500.100.200",
        "48500100200",
        "m a r t a",
        "M.A.R.T.A",
        "KOWALSKA",
        "Kowalska",
        "EXAMPLE.PL",
        "linkedin.com/in",
        "12.03.1990",
    ):
        assert detail not in hidden, (detail, hidden)


def test_a_reply_is_restored_to_the_candidates_own_spelling():
    g = _guard()
    reply = "Kind regards,\n[[NAME]]\n[[EMAIL]] · [[PHONE]] · [[LINK]]\n\nDear team, I ([[FIRST_NAME]]) ... [ NAME ] [[phone1]]"
    restored = g.restore(reply)
    assert restored.startswith(
        "Kind regards,\nMarta Kowalska\nmarta.kowalska@example.pl · +48 500-100-200 · linkedin.com/in/marta-kowalska"
    )
    assert "I (Marta)" in restored
    assert restored.endswith("Marta Kowalska +48 500-100-200")
    assert g.restore("a [note] and [[UNKNOWN]] stay") == "a [note] and [[UNKNOWN]] stay"
    data = g.restore_data({"cv_markdown": "# [[NAME]]", "list": ["[[EMAIL]]", 3]})
    assert data == {"cv_markdown": "# Marta Kowalska", "list": ["marta.kowalska@example.pl", 3]}


def test_hide_then_restore_gives_the_text_back():
    g = _guard()
    hidden, _ = g.hide(CV)
    assert g.restore(hidden).replace("ul. Długa 12", "") == CV.replace("ul. Długa 12", "")


def test_employers_are_withheld_only_when_asked():
    text = "Six years at St Example's Hospital."
    assert _guard().hide(text) == (text, 0)
    hidden, n = _guard(employers=True).hide(text)
    assert n == 1 and "St Example" not in hidden
    assert _guard(employers=True).restore(hidden) == text


def test_profile_name_and_email_count_too_and_ordinary_text_is_untouched():
    g = PrivacyGuard.from_cv("## Experience\n\n- Built things.\n", extra_names=["Jan de Vries"], extra_emails=["jan@vries.nl"])
    hidden, n = g.hide("Jan de Vries (jan@vries.nl) built things in 2020 for 12,000,000 users.")
    assert n == 2 and "Vries" not in hidden and "12,000,000" in hidden and "2020" in hidden
    empty = PrivacyGuard.from_cv("")
    assert not empty and empty.hide("anything at all") == ("anything at all", 0)


@pytest.mark.parametrize(
    ("url", "remote"),
    [
        ("https://api.openai.com/v1", True),
        ("https://openrouter.ai/api/v1", True),
        (None, True),
        ("http://localhost:11434/v1", False),
        ("http://127.0.0.1:1234/v1", False),
        ("http://[::1]:8000/v1", False),
        ("http://192.168.1.20:11434/v1", False),
        ("http://10.0.0.5:8000/v1", False),
        ("http://ollama:11434/v1", True),  # a bare name is not resolved here: when unsure, guard
    ],
)
def test_what_counts_as_a_remote_model(url, remote):
    assert is_remote(url) is remote


def test_modes():
    assert guard_active("remote", "https://api.openai.com/v1") and not guard_active("remote", "http://localhost:11434/v1")
    assert guard_active("always", "http://localhost:11434/v1")
    assert not guard_active("off", "https://api.openai.com/v1")
    assert guard_active("", "https://api.openai.com/v1")  # unset means remote


def test_an_address_under_the_name_links_and_phones_further_down_and_double_names():
    cv = (
        "# Anna Schmidt-Weber\n\nHauptstraße 5, 10115 Berlin\n\n## Experience\n\n### Nurse — Charité\n\nJan 2019 – May 2021\n\n"
        "- Cared for patients.\n\n## Links\n\n- github.com/aschmidt\n- Mobile: 0151 2345 6789\n"
    )
    g = PrivacyGuard.from_cv(cv)
    hidden, _ = g.hide(cv + "\nDear Ms Weber, call +49 151 23456789.")
    for detail in ("Schmidt", "Weber", "Hauptstraße 5", "10115", "github.com/aschmidt", "2345", "23456789"):
        assert detail not in hidden, (detail, hidden)
    assert "Berlin" in hidden and "Jan 2019 – May 2021" in hidden and "Charité" in hidden
    assert g.restore(hidden).startswith(cv)
    assert g.withheld == 7  # name, address, postcode, link, phone; then "Weber" and the phone again
