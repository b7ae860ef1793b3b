"""The Makefile's system-package check (scripts/system-deps.sh), run against fake probes: an empty
PATH, a library list with nothing in it, no fonts. It must name every missing package and the exact
command, and must ask for nothing when everything is there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "system-deps.sh"
PDF_PACKAGES = ["libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-dejavu-core"]
TEST_PACKAGES = ["chromium", "poppler-utils", "postgresql", "redis-server", "npm", "wrk"]
LIBS = ["libpango-1.0.so.0", "libpangoft2-1.0.so.0", "libharfbuzz-subset.so.0"]
COMMANDS = ["chromium", "pdftoppm", "pg_ctlcluster", "redis-server", "npm", "wrk"]


def fake_machine(tmp_path: Path, *, libs: list[str], commands: list[str], fonts: bool) -> dict[str, str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in commands:
        tool = bin_dir / name
        tool.write_text("#!/bin/sh\nexit 0\n")
        tool.chmod(0o755)
    ldconfig = tmp_path / "ldconfig"
    listing = "".join(f"\t{lib} (libc6,x86-64) => /usr/lib/{lib}\n" for lib in libs)
    ldconfig.write_text(f"#!/bin/sh\nprintf '%s' '{listing}'\n")
    ldconfig.chmod(0o755)
    font_dir = tmp_path / "fonts"
    font_dir.mkdir()
    if fonts:
        (font_dir / "DejaVuSans.ttf").write_bytes(b"")
    return {**os.environ, "FBSS_PROBE_PATH": str(bin_dir), "FBSS_LDCONFIG": str(ldconfig),
            "FBSS_FONT_DIR": str(font_dir), "FBSS_PYTHON": sys.executable}


def check(env: dict[str, str], target: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(SCRIPT), "--check", target], env=env, capture_output=True,
                          text=True, check=False, timeout=30)


def test_bare_machine_names_every_package_and_the_command(tmp_path: Path):
    result = check(fake_machine(tmp_path, libs=[], commands=[], fonts=False), "test")
    assert result.returncode == 1
    wanted = " ".join(PDF_PACKAGES + TEST_PACKAGES)
    assert f"missing for 'test': {wanted}" in result.stdout
    assert f"install with: apt-get install -y {wanted}" in result.stdout


def test_run_needs_only_what_renders_pdfs(tmp_path: Path):
    result = check(fake_machine(tmp_path, libs=[], commands=[], fonts=False), "run")
    assert result.returncode == 1
    assert f"missing for 'run': {' '.join(PDF_PACKAGES)}\n" in result.stdout
    assert "chromium" not in result.stdout
    assert "wrk" not in result.stdout


def test_bench_needs_what_renders_pdfs_and_wrk(tmp_path: Path):
    result = check(fake_machine(tmp_path, libs=[], commands=[], fonts=False), "bench")
    assert result.returncode == 1
    assert f"missing for 'bench': {' '.join(PDF_PACKAGES)} wrk\n" in result.stdout
    assert "chromium" not in result.stdout


def test_bench_with_everything_but_wrk_asks_for_wrk_alone(tmp_path: Path):
    env = fake_machine(tmp_path, libs=LIBS, commands=[c for c in COMMANDS if c != "wrk"], fonts=True)
    for target in ("bench", "test"):
        result = check(env, target)
        assert result.returncode == 1
        assert f"missing for '{target}': wrk\n" in result.stdout


def test_complete_machine_asks_nothing_for_bench(tmp_path: Path):
    result = check(fake_machine(tmp_path, libs=LIBS, commands=["wrk"], fonts=True), "bench")
    assert result.returncode == 0
    assert result.stdout == ""


@pytest.mark.parametrize(("lib", "package"), list(zip(LIBS, PDF_PACKAGES[:3], strict=True)))
def test_one_missing_library_is_named_alone(tmp_path: Path, lib: str, package: str):
    env = fake_machine(tmp_path, libs=[x for x in LIBS if x != lib], commands=COMMANDS, fonts=True)
    result = check(env, "test")
    assert result.returncode == 1
    assert f"missing for 'test': {package}\n" in result.stdout


def test_complete_machine_asks_for_nothing(tmp_path: Path):
    result = check(fake_machine(tmp_path, libs=LIBS, commands=COMMANDS, fonts=True), "test")
    assert result.returncode == 0
    assert result.stdout == ""
