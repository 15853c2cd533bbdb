"""`make audit`: report known vulnerabilities in the installed dependencies (pip-audit).

Reporting only: advisories, packages the service does not know, and an
unreachable advisory service each print a clear line, and the exit status
stays 0 so `make test` is never failed by something this project cannot fix
on the spot. Only a pip-audit that cannot run at all is an error."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

VENV_BIN = Path(sys.executable).parent
TIMEOUT_SECONDS = 180


def main() -> int:
    tool = VENV_BIN / "pip-audit"
    if not tool.exists():
        print("dependency audit: pip-audit is not installed (make setup installs it)", file=sys.stderr)
        return 1
    cmd = [str(tool), "--local", "--format", "json", "--progress-spinner", "off", "--timeout", "15"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        print(f"dependency audit: SKIPPED, the advisory service did not answer within {TIMEOUT_SECONDS} s")
        return 0
    try:
        report = json.loads(proc.stdout or "null")
    except ValueError:
        report = None
    if not isinstance(report, dict):
        reason = (proc.stderr.strip().splitlines() or ["no output"])[-1][:300]
        print(f"dependency audit: SKIPPED, the advisory service is unreachable ({reason})")
        return 0
    deps = report.get("dependencies", [])
    audited = [d for d in deps if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    if deps and not audited:
        print(f"dependency audit: SKIPPED, the advisory service knew none of the {len(deps)} installed packages "
              "(no access to its API from here?); nothing was checked")
        return 0
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fix = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            print(f"  {dep['name']} {dep['version']}: {vuln['id']} (fixed in: {fix})")
    skipped = len(deps) - len(audited)
    count = sum(len(d["vulns"]) for d in vulnerable)
    note = f"; {skipped} package(s) not known to the service" if skipped else ""
    print(f"dependency audit: {count} known vulnerabilit{'y' if count == 1 else 'ies'} in "
          f"{len(vulnerable)} of {len(audited)} audited packages{note} (reported, not failing the build)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
