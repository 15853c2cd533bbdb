"""test_match: the cases that start processes or talk to a service (the rest: tests/unit/test_match.py)."""

from __future__ import annotations

import json

from pipeline.store.db import get_engine, session_scope
from tests.unit.test_match import CV, NURSE_TITLES, _cli, add_profile, is_nursing, load_demo


def test_cli_match_prints_ranked_jobs(tmp_path):
    data = tmp_path / "data"
    assert _cli(data, "migrate").returncode == 0
    url = f"sqlite:///{(data / 'jobapp.db').resolve()}"
    with session_scope(url) as s:
        load_demo(s, "local")
        add_profile(s, "local", CV["nurse"], NURSE_TITLES)
    get_engine(url).dispose()

    out = _cli(data, "match", "--json")  # default titles: the profile's suggestions
    assert out.returncode == 0, out.stderr
    body = json.loads(out.stdout)
    assert [q["title"] for q in body["progress"]["queries"]] == ["Registered Nurse", "Critical Care Nurse"]
    assert body["results"] and is_nursing(body["results"][0]["title"])

    text = _cli(data, "match", "--title", "Backend Engineer", "--title", "Senior")
    assert text.returncode == 0, text.stderr
    first = text.stdout.splitlines()[0]
    assert "Backend" in first and "title matches" in first
    assert "Senior" in text.stderr and "add the job's name" in text.stderr

    none = _cli(data, "match", "--title", "Senior")
    assert none.returncode == 3 and "add the job's name" in none.stderr
