"""`python -m pipeline jobs import --url URL ...`: the file import's JSON summary, per-link errors."""

from __future__ import annotations

import json

from tests.integration.test_cli_run import cli
from tests.support.web_pages import JOB_SINGLE, POSTING, Route, WebServer


def test_cli_imports_links_and_reports_each_failure(tmp_path):
    with WebServer({"/jobs/1": Route(JOB_SINGLE)}) as web:
        urls = [web.url("/jobs/1"), web.url("/gone")]
        proc = cli("jobs", "import", "--url", *urls, env={"ALLOW_PRIVATE_FETCH": "1"}, data_dir=tmp_path)
        assert proc.returncode == 0, proc.stderr
        out = json.loads(proc.stdout)
        assert (out["imported"], out["updated"], out["skipped"]) == (1, 0, 0)
        assert out["errors"] == [{"line": 2, "error": f"{urls[1]}: " + out["results"][1]["error"]}] and "HTTP 404" in out["errors"][0]["error"]
        assert out["results"][0]["title"] == POSTING["title"] and out["results"][0]["outcome"] == "created"

        again = json.loads(cli("jobs", "import", "--url", urls[0], env={"ALLOW_PRIVATE_FETCH": "1"}, data_dir=tmp_path).stdout)
        assert (again["imported"], again["skipped"]) == (0, 1)

        listed = json.loads(cli("jobs", "list", "--json", data_dir=tmp_path).stdout)
        assert [r["title"] for r in (listed["rows"] if isinstance(listed, dict) else listed) if r["source"] == "link"] == [POSTING["title"]]

        refused = cli("jobs", "import", "--url", urls[0], env={"ALLOW_PRIVATE_FETCH": "0"}, data_dir=tmp_path)
        assert refused.returncode == 0 and json.loads(refused.stdout)["errors"][0]["line"] == 1


def test_cli_more_than_50_links_is_one_clear_error(tmp_path):
    proc = cli("jobs", "import", "--url", *[f"https://x.example/{i}" for i in range(51)], data_dir=tmp_path)
    assert proc.returncode == 1 and "at most 50" in proc.stderr
    assert json.loads(proc.stdout)["imported"] == 0
