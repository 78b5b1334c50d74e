#!/usr/bin/env python3
"""Reads a PIT run (mutations.csv) and says where the TCK stands against it.

    python3 mutation/triage.py [mutations.csv] [--rev COMMIT]

mutations.csv defaults to mutation/target/pit-reports/mutations.csv; --rev reads
the source at the commit PIT ran on (default: the working tree), for a run kept
in mutation/runs/.

Prints the score per class and in all (killed and timed out count as detected,
as PIT counts them), then each survivor and mutant without coverage: those that
mutation/equivalents.tsv explains (with the reason it gives) and those it does
not, which are the work list. Exits 1 if any survivor is unexplained.

A row of equivalents.tsv names a mutant by what does not move when lines are
added above it: the class (simple name, `Outer$Inner` for a nested one), the
method, PIT's mutator (short name, `*` for any) and a piece of the mutated
source line (`*` for any line of the method), then the reason the TCK cannot
tell the mutant from the engine.
"""
import csv
import collections
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCES = {"dev.aio4j.engine": "engine/src/main/java", "dev.aio4j.net": "api/src/main/java"}


def source_line(fqcn, file, line, rev, cache={}):
    pkg = fqcn.rsplit(".", 1)[0]
    path = os.path.join(SOURCES.get(pkg, "engine/src/main/java"), pkg.replace(".", "/"), file)
    if path not in cache:
        if rev:
            cache[path] = subprocess.run(["git", "-C", ROOT, "show", f"{rev}:{path}"], check=True,
                                         capture_output=True, text=True).stdout.split("\n")
        else:
            with open(os.path.join(ROOT, path), encoding="utf-8") as f:
                cache[path] = f.read().split("\n")
    lines = cache[path]
    return lines[line - 1].strip() if 0 < line <= len(lines) else ""


def load_equivalents():
    rows = []
    with open(os.path.join(ROOT, "mutation", "equivalents.tsv"), encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            if not raw.strip() or raw.startswith("#"):
                continue
            parts = raw.rstrip("\n").split("\t")
            if len(parts) != 5:
                sys.exit(f"equivalents.tsv:{n}: want 5 tab-separated fields, got {len(parts)}")
            rows.append(parts)
    return rows


def explain(equivalents, cls, method, mutator, text):
    for c, m, mut, snippet, reason in equivalents:
        if c == cls and m == method and mut in ("*", mutator) and (snippet == "*" or snippet in text):
            return reason
    return None


def main():
    args = sys.argv[1:]
    rev = None
    if "--rev" in args:
        i = args.index("--rev")
        rev = args[i + 1]
        del args[i:i + 2]
    report = args[0] if args else os.path.join(ROOT, "mutation/target/pit-reports/mutations.csv")
    equivalents = load_equivalents()
    per_class = collections.defaultdict(collections.Counter)
    explained, unexplained = [], []
    with open(report, encoding="utf-8") as f:
        for file, fqcn, mutator, method, line, status, *_ in csv.reader(f):
            cls = fqcn.rsplit(".", 1)[1]
            per_class[cls][status] += 1
            if status not in ("SURVIVED", "NO_COVERAGE"):
                continue
            short = mutator.rsplit(".", 1)[1].replace("Mutator", "")
            text = source_line(fqcn, file, int(line), rev)
            row = f"{cls}.{method}:{line} {short} ({status.lower()}): {text[:100]}"
            reason = explain(equivalents, cls, method, short, text)
            (explained if reason else unexplained).append((row, reason))

    print(f"{'class':<40} {'mutants':>7} {'killed':>7} {'t/o':>5} {'surv':>5} {'no cov':>6} {'score':>6}")
    total = collections.Counter()
    for cls, c in sorted(per_class.items(), key=lambda kv: -sum(kv[1].values())):
        n = sum(c.values())
        det = c["KILLED"] + c["TIMED_OUT"] + c["MEMORY_ERROR"] + c["RUN_ERROR"]
        total.update(c)
        print(f"{cls:<40} {n:>7} {c['KILLED']:>7} {c['TIMED_OUT']:>5} {c['SURVIVED']:>5} {c['NO_COVERAGE']:>6} "
              f"{100 * det / n:>5.1f}%")
    n = sum(total.values())
    det = n - total["SURVIVED"] - total["NO_COVERAGE"]
    print(f"{'all':<40} {n:>7} {total['KILLED']:>7} {total['TIMED_OUT']:>5} {total['SURVIVED']:>5} "
          f"{total['NO_COVERAGE']:>6} {100 * det / n:>5.1f}%")
    print(f"\nexplained as equivalent: {len(explained)} (detected or explained: {100 * (det + len(explained)) / n:.1f}%)")
    for row, reason in explained:
        print(f"  {row}\n      -> {reason}")
    print(f"\nnot explained: {len(unexplained)}")
    for row, _ in unexplained:
        print(f"  {row}")
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
