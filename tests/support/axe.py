"""axe-core inside a Playwright page: the accessibility rules the new views must pass.

The script comes from npm (the Makefile installs it into .cache/axe); a missing script fails the
test with the command to run, never a skip."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE_JS = Path(__file__).resolve().parents[2] / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"


WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")


def axe_violations(page: Page, selector: str | None = None, *, best_practice: bool = False) -> list[dict[str, Any]]:
    """Violations of WCAG 2.x A/AA rules in the page (or inside `selector`), as axe reports them.
    `best_practice` adds axe's page-structure rules (landmarks, one main, a level-one heading,
    all content inside landmarks), which only make sense for the whole page."""
    tags = [*WCAG_TAGS, "best-practice"] if best_practice else list(WCAG_TAGS)
    assert AXE_JS.is_file(), f"axe-core is missing ({AXE_JS}); run `make {AXE_JS.relative_to(AXE_JS.parents[4])}` or `make test`"
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    script = f"""async () => {{
        // A dialog fading in has its text at part opacity: judge colours once finite animations end.
        await Promise.all(document.getAnimations().filter(a => a.effect?.getTiming().iterations !== Infinity).map(a => a.finished.catch(() => null)));
        const ctx = {'document.querySelector(' + repr(selector) + ')' if selector else 'document'};
        const r = await axe.run(ctx, {{runOnly: {{type: 'tag', values: {tags!r}}}}});
        return r.violations.map(v => ({{id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}}));
    }}"""
    return page.evaluate(script)


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(v['nodes'])}" for v in violations)
