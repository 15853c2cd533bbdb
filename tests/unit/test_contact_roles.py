"""The dossier's contact role words are in the run's language, including the site's 'company contact'."""

from __future__ import annotations

import pytest

from pipeline.llm.offline import phrases as ph
from pipeline.web.people import contact_role


@pytest.mark.parametrize("language", ["de", "es", "fr", "nl"])
def test_company_contact_is_translated_and_the_stated_role_stays(language: str) -> None:
    role = f"{contact_role('Chief Medical Officer')} (Chief Medical Officer)"
    shown = ph.contact_role(role, language)
    assert not shown.startswith("company contact") and shown.endswith(" (Chief Medical Officer)")
    assert ph.contact_role(role, "en") == role
