"""axe-core in the browser tests: the npm package, installed by the test set-up from the npm
registry into tests/browser/js/node_modules (gitignored; versions pinned by package-lock.json) and
read from the local file, never a CDN."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path

JS = Path(__file__).with_name("js")
AXE = JS / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA, the level a hospital's accessibility policy asks for.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@cache
def axe_source() -> str:
    """The axe-core script; ``npm ci`` first when it is not installed yet."""
    if not AXE.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is needed to install axe-core for the browser tests: apt-get install npm")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=JS, check=True, timeout=600)  # noqa: S603
    return AXE.read_text(encoding="utf-8")


def violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    """axe-core's violations on the page as it is now, one line each (rule, impact, nodes)."""
    page.evaluate(axe_source())  # evaluated through the DevTools protocol: the app's CSP still holds
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    lines = []
    for violation in result["violations"]:
        targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} -- {targets}")
    return lines
