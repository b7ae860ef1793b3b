"""A sampled mutation run over fbss_eval/services and fbss_eval/reports (tests/MUTATION.md).

mutmut 3.8.1's forked runner gave false survivors for the tests that build the Flask app and its
databases, so this driver is deliberately plain: it parses a module with ``ast``, lists the
mutants of every function (the operators below), draws a stratified sample with a fixed seed
(every function gets a mutant before any gets a second), and for each mutant writes the mutated
module IN PLACE, runs the module's mapped test files in a fresh ``pytest`` process (SQLite,
one process, ``-x``), and restores the original in a ``finally`` (and on SIGTERM/SIGINT). It
refuses to start when a target module differs from git HEAD, and checks the tree is clean at
the end. Results are appended as JSON lines to ``.mutation/results.jsonl`` (git-ignored).

Operators: comparison flips (``==``/``!=``, ``<``/``<=``, ``>``/``>=``, ``in``/``not in``,
``is``/``is not``), ``and``/``or``, ``+``/``-``, integer constant + 1, a condition negated
(``if``/``while``/conditional expression/comprehension filter), ``not x`` -> ``x``, a return
value dropped (``return None``), a string replaced by ``"XX"``, ``True``/``False`` swapped.

    .venv/bin/python scripts/mutation_sample.py --list                 # the sample, not run
    nice -n 15 .venv/bin/python scripts/mutation_sample.py             # run the sample
    .venv/bin/python scripts/mutation_sample.py --only 'reports/format.py:lines:*'   # re-run some
    .venv/bin/python scripts/mutation_sample.py --summary              # counts per module
"""

from __future__ import annotations

import argparse
import ast
import fnmatch
import json
import os
import random
import signal
import subprocess  # nosec B404 - runs git and pytest with fixed argument lists
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / ".mutation" / "results.jsonl"
SEED = 2026

# Module -> (mutants to draw, the test files that exercise it). The tests are the behaviour-level
# files for the module (the source-reading architecture tests are not used: they read the file).
MODULES: dict[str, tuple[int, list[str]]] = {
    "fbss_eval/reports/format.py": (8, ["tests/pdf/test_report_parts.py"]),
    "fbss_eval/reports/parts.py": (10, ["tests/pdf/test_report_parts.py", "tests/unit/test_candidacy_red_flags.py"]),
    "fbss_eval/reports/build.py": (8, ["tests/pdf/test_one_evaluation.py"]),
    "fbss_eval/services/visits.py": (8, ["tests/web/test_visits_scores_alerts.py"]),
    "fbss_eval/services/signing.py": (8, ["tests/web/test_signing.py"]),
    "fbss_eval/services/voiding.py": (6, ["tests/web/test_void.py"]),
    "fbss_eval/services/visit_query.py": (8, ["tests/web/test_admin_visits.py"]),
    "fbss_eval/services/csv_cells.py": (6, ["tests/web/test_visit_export.py"]),
    "fbss_eval/services/carry_forward.py": (6, ["tests/web/test_carry_forward.py"]),
    "fbss_eval/services/revisions.py": (8, ["tests/web/test_signing.py", "tests/web/test_carry_forward.py"]),
}
# Extra test files a later run adds (tests written to kill survivors); listed so a re-run uses them.
EXTRA_TESTS: dict[str, list[str]] = {
    "fbss_eval/reports/format.py": ["tests/unit/test_reports_format_exact.py"],
    "fbss_eval/reports/parts.py": ["tests/unit/test_reports_blocks_neuro_exact.py", "tests/pdf/test_golden.py"],
    "fbss_eval/reports/build.py": ["tests/web/test_report_build_states.py", "tests/pdf/test_content.py"],
    "fbss_eval/services/csv_cells.py": ["tests/unit/test_csv_cells_exact.py"],
    "fbss_eval/services/revisions.py": ["tests/web/test_revisions_words.py", "tests/web/test_visit_history_who.py"],
    "fbss_eval/services/signing.py": ["tests/web/test_signing_stored_pdf.py",
                                      "tests/web/test_signing_verify_version.py"],
    "fbss_eval/services/visits.py": ["tests/web/test_scoring_settings_configured.py"],
}

_CMP = {ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE,
        ast.GtE: ast.Gt, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}


@dataclass(frozen=True)
class Mutant:
    module: str
    function: str
    kind: str
    start: tuple[int, int]  # (line, byte column) of the replaced text
    end: tuple[int, int]
    new: str  # replacement source text

    @property
    def id(self) -> str:
        return f"{self.module.removeprefix('fbss_eval/')}:{self.function}:{self.start[0]}:{self.start[1]}:{self.kind}"


def _seg(node: ast.AST) -> tuple[tuple[int, int], tuple[int, int]]:
    return (node.lineno, node.col_offset), (node.end_lineno or node.lineno, node.end_col_offset or 0)  # type: ignore[attr-defined]


def _annotation_ids(tree: ast.AST) -> set[int]:
    """ids of nodes inside annotations and docstrings (never mutated)."""
    skip: set[int] = set()

    def mark(n: ast.AST | None) -> None:
        if n is not None:
            skip.update(id(x) for x in ast.walk(n))

    for n in ast.walk(tree):
        if isinstance(n, ast.arg):
            mark(n.annotation)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
            mark(n.returns)
        elif isinstance(n, ast.AnnAssign):
            mark(n.annotation)
        elif isinstance(n, ast.JoinedStr):
            skip.update(id(x) for x in n.values if isinstance(x, ast.Constant))
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module)) and n.body:
            first = n.body[0]
            value = first.value if isinstance(first, ast.Expr) else None
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                mark(first)
    return skip


def _node_mutants(module: str, function: str, node: ast.AST, skip: set[int]) -> list[Mutant]:
    out: list[Mutant] = []
    if id(node) in skip:
        return out

    def add(kind: str, target: ast.AST, new: str) -> None:
        s, e = _seg(target)
        out.append(Mutant(module, function, kind, s, e, new))

    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            if type(op) in _CMP:
                ops = list(node.ops)
                ops[i] = _CMP[type(op)]()
                add(f"cmp{i}", node, "(" + ast.unparse(ast.Compare(node.left, ops, node.comparators)) + ")")
    elif isinstance(node, ast.BoolOp):
        other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        add("boolop", node, "(" + ast.unparse(ast.BoolOp(other, node.values)) + ")")
    elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
        other_op: ast.operator = ast.Sub() if isinstance(node.op, ast.Add) else ast.Add()
        add("arith", node, "(" + ast.unparse(ast.BinOp(node.left, other_op, node.right)) + ")")
    elif isinstance(node, ast.Constant):
        v = node.value
        if isinstance(v, bool):
            add("bool", node, repr(not v))
        elif isinstance(v, int):
            add("int+1", node, repr(v + 1))
        elif isinstance(v, str):
            add("str", node, repr("XX" + v + "XX") if v else repr("XX"))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        add("not", node, "(" + ast.unparse(node.operand) + ")")
    elif isinstance(node, ast.Return) and node.value is not None and not (
            isinstance(node.value, ast.Constant) and node.value.value is None):
        add("return", node.value, "None")
    if isinstance(node, (ast.If, ast.While, ast.IfExp)):
        add("negate", node.test, "(not (" + ast.unparse(node.test) + "))")
    if isinstance(node, ast.comprehension):
        for cond in node.ifs:
            add("negate", cond, "(not (" + ast.unparse(cond) + "))")
    return out


def module_mutants(module: str) -> list[Mutant]:
    tree = ast.parse((ROOT / module).read_text())
    skip = _annotation_ids(tree)
    found: list[Mutant] = []

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for stmt in body:
            if isinstance(stmt, ast.ClassDef):
                visit(stmt.body, prefix + stmt.name + ".")
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = prefix + stmt.name
                for sub in stmt.body:
                    for node in ast.walk(sub):
                        found.extend(_node_mutants(module, name, node, skip))

    visit(tree.body, "")
    # The same text span can be produced twice (a constant that is also a negated condition, ...).
    unique = {(m.start, m.end, m.new): m for m in found}
    return sorted(unique.values(), key=lambda m: (m.start, m.kind))


def sample(module: str, count: int, rng: random.Random) -> list[Mutant]:
    """``count`` mutants: round-robin over the functions (shuffled), a random mutant of each."""
    by_function: dict[str, list[Mutant]] = defaultdict(list)
    for m in module_mutants(module):
        by_function[m.function].append(m)
    pools = {f: rng.sample(ms, len(ms)) for f, ms in sorted(by_function.items())}
    order = sorted(pools)
    rng.shuffle(order)
    chosen: list[Mutant] = []
    while len(chosen) < count and any(pools.values()):
        for f in order:
            if pools[f] and len(chosen) < count:
                chosen.append(pools[f].pop())
    return sorted(chosen, key=lambda m: (m.start, m.kind))


def apply(source: bytes, m: Mutant) -> bytes:
    lines = source.splitlines(keepends=True)
    start = sum(len(x) for x in lines[: m.start[0] - 1]) + m.start[1]
    end = sum(len(x) for x in lines[: m.end[0] - 1]) + m.end[1]
    return source[:start] + m.new.encode() + source[end:]


def _git_clean(paths: list[str]) -> bool:
    if os.environ.get("MUTATION_NO_GIT"):  # a throw-away copy of the tree (a second worker)
        return True
    return subprocess.run(["git", "diff", "--quiet", "HEAD", "--", *paths], cwd=ROOT).returncode == 0  # nosec B603 B607


def _pytest(tests: list[str], timeout: float) -> tuple[str, float]:
    env = dict(os.environ, TEST_DATABASE_URL="", PYTHONDONTWRITEBYTECODE="1")
    cmd = [sys.executable, "-B", "-m", "pytest", "-x", "-q", "-n", "0", "-p", "no:cacheprovider", *tests]
    t0 = time.monotonic()
    try:
        proc = subprocess.run(cmd, cwd=ROOT, env=env, timeout=timeout, capture_output=True)  # nosec B603
    except subprocess.TimeoutExpired:
        return "timeout", time.monotonic() - t0
    took = time.monotonic() - t0
    if proc.returncode == 0:
        return "survived", took
    if proc.returncode == 1:
        return "killed", took
    return f"error{proc.returncode}", took  # collection error / crash: the mutant breaks import


TESTS_OVERRIDE: list[str] = []


def tests_for(module: str) -> list[str]:
    """The mapped test files (or ``--tests``: re-run a survivor against other test files)."""
    return TESTS_OVERRIDE or MODULES[module][1] + EXTRA_TESTS.get(module, [])


def run(mutants: list[Mutant], baseline: dict[str, float]) -> None:
    OUT.parent.mkdir(exist_ok=True)
    current: dict[str, bytes] = {}

    def restore(*_: Any) -> None:
        for path, original in current.items():
            (ROOT / path).write_bytes(original)
        current.clear()
        if _:
            sys.exit(130)

    signal.signal(signal.SIGTERM, restore)
    signal.signal(signal.SIGINT, restore)
    for i, m in enumerate(mutants, 1):
        path = ROOT / m.module
        original = path.read_bytes()
        mutated = apply(original, m)
        try:
            ast.parse(mutated)
        except SyntaxError:
            print(f"[{i}/{len(mutants)}] {m.id} skipped (does not parse)", flush=True)
            continue
        current[m.module] = original
        try:
            path.write_bytes(mutated)
            status, took = _pytest(tests_for(m.module), timeout=max(3 * baseline[m.module], baseline[m.module] + 30))
        finally:
            restore()
        row = {"id": m.id, "module": m.module, "function": m.function, "kind": m.kind, "new": m.new,
               "status": status, "seconds": round(took, 1), "tests": tests_for(m.module),
               "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        with OUT.open("a") as f:
            f.write(json.dumps(row) + "\n")
        print(f"[{i}/{len(mutants)}] {status:8} {took:5.1f}s {m.id}  -> {m.new[:70]}", flush=True)


def latest() -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    if OUT.exists():
        for line in OUT.read_text().splitlines():
            row = json.loads(line)
            rows[row["id"]] = row
    return rows


def summary() -> None:
    first: dict[str, dict[str, Any]] = {}
    for line in OUT.read_text().splitlines() if OUT.exists() else []:
        row = json.loads(line)
        first.setdefault(row["id"], row)
    last = latest()
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for rid, row in last.items():
        counts[row["module"]]["n"] += 1
        counts[row["module"]]["before_" + first[rid]["status"]] += 1
        counts[row["module"]]["after_" + row["status"]] += 1
    print("| module | mutants | before: killed / survived | after: killed / survived | timeout | error |")
    print("|---|---:|---:|---:|---:|---:|")
    tot: dict[str, int] = defaultdict(int)
    for mod in sorted(counts):
        c = counts[mod]
        for k, v in c.items():
            tot[k] += v
        print(f"| `{mod.removeprefix('fbss_eval/')}` | {c['n']} | {c['before_killed']} / {c['before_survived']} | "
              f"{c['after_killed']} / {c['after_survived']} | {c['after_timeout']} | "
              f"{sum(v for k, v in c.items() if k.startswith('after_error'))} |")
    print(f"| **total** | **{tot['n']}** | **{tot['before_killed']} / {tot['before_survived']}** | "
          f"**{tot['after_killed']} / {tot['after_survived']}** | {tot['after_timeout']} | "
          f"{sum(v for k, v in tot.items() if k.startswith('after_error'))} |")
    print("\nSurvivors:")
    for rid, row in sorted(last.items()):
        if row["status"] == "survived":
            print(f"  {rid}  -> {row['new'][:90]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--list", action="store_true", help="print the sample, run nothing")
    parser.add_argument("--only", action="append", default=[], help="glob over mutant ids (re-run those)")
    parser.add_argument("--survivors", action="store_true", help="re-run the mutants whose last result survived")
    parser.add_argument("--summary", action="store_true", help="counts per module from the results file")
    parser.add_argument("--module", action="append", default=[], help="limit to these modules (path)")
    parser.add_argument("--tests", action="append", default=[], help="run these test files instead of the mapped ones")
    args = parser.parse_args()
    TESTS_OVERRIDE.extend(args.tests)
    if args.summary:
        summary()
        return
    rng = random.Random(SEED)
    chosen = [m for mod, (n, _) in MODULES.items() for m in sample(mod, n, rng)]
    if args.module:
        chosen = [m for m in chosen if m.module in args.module]
    if args.only:
        chosen = [m for m in chosen if any(fnmatch.fnmatch(m.id, p) for p in args.only)]
    if args.survivors:
        last = latest()
        chosen = [m for m in chosen if last.get(m.id, {}).get("status") == "survived"]
    elif not args.only:
        done = latest()
        chosen = [m for m in chosen if m.id not in done]  # resume: skip mutants with a result
    if args.list:
        for m in chosen:
            print(f"{m.id}  -> {m.new[:90]}")
        print(f"{len(chosen)} mutants")
        return
    modules = sorted({m.module for m in chosen})
    if not _git_clean(modules):
        sys.exit("a target module differs from git HEAD: commit or stash it first (the driver rewrites it)")
    baseline: dict[str, float] = {mod: 120.0 for mod in modules}
    for mod in modules if os.environ.get("MUTATION_BASELINE") else ():
        status, took = _pytest(tests_for(mod), timeout=900)
        if status != "survived":
            sys.exit(f"the tests of {mod} do not pass unmutated ({status})")
        baseline[mod] = took
        print(f"baseline {mod}: {took:.1f}s", flush=True)
    run(chosen, baseline)
    if not _git_clean(modules):
        sys.exit("the tree is not clean after the run: check git diff")


if __name__ == "__main__":
    main()
