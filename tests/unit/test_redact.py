"""Redaction follows the settings as they are now (a changed secret is never missed)."""

from __future__ import annotations

from pipeline.redact import redact
from pipeline.settings import settings


def test_a_secret_set_after_first_use_is_still_redacted(monkeypatch):
    monkeypatch.setattr(settings, "mongodb_uri", "mongodb://app:first-pass@db.example:27017")
    assert "first-pass" not in redact("login failed (app:first-pass)")
    monkeypatch.setattr(settings, "mongodb_uri", "mongodb://app:second-pass@db.example:27017")
    assert "second-pass" not in redact("login failed (app:second-pass)")
    monkeypatch.setattr(settings, "login_password", "hunter2-long")
    assert redact("the password hunter2-long leaked") == "the password *** leaked"


def test_patterns_mask_keys_tokens_and_url_credentials():
    text = "key sk-abcdefghijklmnop1234 Bearer abc.def.ghi-123 password=opensesame redis://u:pw123@host/0"
    out = redact(text)
    for secret in ("sk-abcdefghijklmnop1234", "abc.def.ghi-123", "opensesame", "pw123"):
        assert secret not in out
