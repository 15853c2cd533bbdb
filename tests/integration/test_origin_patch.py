"""The built page dials the origin it was loaded from: `getBackendURL` as patched into
Reflex's own `utils/state.js` template, executed with Node for the addresses users reach the
app on (direct, TLS proxy on another host and port, a port mapping), plus the build-time rules."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from jobapp.origin import MARKER_HOST, SAME_ORIGIN_URL, PatchFailed, patch_state_js

TEMPLATE = Path(__import__("reflex_base").__file__).parent / ".templates" / "web" / "utils" / "state.js"


def get_backend_url(source: str, page: str, endpoint: str) -> str:
    """Run the page's getBackendURL(endpoint) in Node as if the page were loaded from `page`."""
    start = source.index("export const getBackendURL")
    end = source.index("\n};\n", start) + 4
    function = source[start:end].replace("export const", "const")
    script = (
        f"const window = {{ location: new URL({json.dumps(page)}) }};\n"
        f"const env = {{ PING: {json.dumps(SAME_ORIGIN_URL + '/ping')} }};\n"
        'const SAME_DOMAIN_HOSTNAMES = ["localhost", "0.0.0.0", "::", "0:0:0:0:0:0:0:0"];\n'
        f"{function}\nconsole.log(getBackendURL({json.dumps(endpoint)}).href);\n"
    )
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed (Reflex builds the page with it)")
    return subprocess.run([node, "-e", script], capture_output=True, text=True, check=True).stdout.strip()


@pytest.mark.parametrize(("page", "event", "upload"), [
    ("http://127.0.0.1:3000/", "ws://127.0.0.1:3000/_event", "http://127.0.0.1:3000/_upload"),
    ("https://jobs.example.org/", "wss://jobs.example.org/_event", "https://jobs.example.org/_upload"),
    ("https://jobs.test:8443/jobs/42", "wss://jobs.test:8443/_event", "https://jobs.test:8443/_upload"),
    ("http://192.0.2.10:8080/", "ws://192.0.2.10:8080/_event", "http://192.0.2.10:8080/_upload"),  # port mapping
    ("http://[::1]:3000/", "ws://[::1]:3000/_event", "http://[::1]:3000/_upload"),
])
def test_patched_page_dials_its_own_origin(page, event, upload):
    source = patch_state_js(TEMPLATE.read_text())
    assert get_backend_url(source, page, f"ws://{MARKER_HOST}/_event") == event
    assert get_backend_url(source, page, f"http://{MARKER_HOST}/_upload") == upload


def test_unpatched_template_would_dial_the_backend_port_this_fixes():
    """Reflex's own rule keeps the baked-in port: the bug behind a proxy or a port mapping."""
    original = TEMPLATE.read_text()
    assert get_backend_url(original, "http://192.0.2.10:8080/", "ws://localhost:3000/_event") == "ws://192.0.2.10:3000/_event"
    assert get_backend_url(original, "https://jobs.test:8443/", "ws://localhost:3000/_event") == "wss://jobs.test/_event"


def test_public_url_and_other_hosts_are_left_alone():
    source = patch_state_js(TEMPLATE.read_text())
    assert get_backend_url(source, "https://jobs.test:8443/", "wss://jobs.example.org/_event") == "wss://jobs.example.org/_event"


def test_dev_mode_keeps_the_host_name_and_dials_the_backend_port():
    source = patch_state_js(TEMPLATE.read_text(), dev_backend_port=8000)
    assert get_backend_url(source, "http://localhost:3000/", f"ws://{MARKER_HOST}/_event") == "ws://localhost:8000/_event"
    assert patch_state_js(source) == patch_state_js(TEMPLATE.read_text())  # prod again: one patch, not two


def test_patch_is_idempotent_and_refuses_a_changed_template():
    once = patch_state_js(TEMPLATE.read_text())
    assert patch_state_js(once) == once and once.count(MARKER_HOST) == 1
    with pytest.raises(PatchFailed, match="Reflex's template changed"):
        patch_state_js("export const getBackendURL = (u) => new URL(u);\n")


def test_rxconfig_bakes_the_marker_or_public_url():
    import rxconfig

    assert rxconfig.config.api_url == SAME_ORIGIN_URL
    assert any(type(p).__name__ == "SameOriginPlugin" for p in rxconfig.config.plugins)
