#!/usr/bin/env python3
"""Time cofi against a plain PyYAML baseline, on generated ledgers.

    python benchmarks/run.py [--sizes 10000 100000] [--repeat 5]
                             [--engine-sizes 10000 100000 1000000]

For each N of --sizes: generate the ledger (or reuse it: ledgers are kept in a
work folder outside the repository, keyed by N, seed and the generator's
code), then time, as separate processes and ALTERNATING between them in each
round (round-robin, the starting point shifting each round, so that drift of
the machine affects every variant alike):

- baseline      python benchmarks/baseline.py DIR (read + yaml.CSafeLoader, nothing else)
- check cold    cofi check --no-cache
- match cold    cofi match --format csv --no-cache
- check warm    cofi check, with a cache filled beforehand and nothing changed
                (the memoised result is reused)
- match warm    cofi match --format csv, idem
- check warm, records
                idem, with the memoised results deleted first: every record comes
                from the record cache, and the checks run again
- match warm, records  idem
- check touched cofi check, right after `os.utime` on one contribution file
                (no memo can serve: one file is read again, the rest from the
                record cache)
- match touched cofi match --format csv, idem
- cofi --help, cofi --version (start-up)

All cofi commands get `--root DIR --as-of 2026-11-28` (the generator dates
nothing later) and COFI_CACHE_DIR pointing into the work folder. Peak memory
is the child's `ru_maxrss`, from `os.wait4`. The report gives the median and
range of the runs, the ratio of each median to the baseline's median for the
same N, and the peak memory; it is printed and written to benchmarks/results.md.

With --engine-sizes, the matching engine alone: a child process per size
builds the ledger in memory (cofi.model records, no files, no YAML), then
times cofi.matching.match_all + cofi.obligations.match_obligations.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import hashlib
import json
import math
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
AS_OF = "2026-11-28"
MIB = 1024  # ru_maxrss is in KiB on Linux

sys.path.insert(0, str(HERE))
import generate  # noqa: E402
import sitecheck  # noqa: E402

# Targets, from the issue; they are set for N = 100,000.
RATIO_TARGETS = {"check cold": 0.8, "match cold": 1.0, "check warm": 0.15, "match warm": 0.15}
PEAK_TARGET_MB = 300
STARTUP_TARGET_S = 0.3
GROWTH_TARGET = 12.0


class BenchError(Exception):
    pass


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- processes


def measure(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Run `argv` to completion: (wall seconds, peak RSS in MiB). Raises on a non-zero exit."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=cwd)
        _, status, usage = os.wait4(p.pid, 0)
        elapsed = time.perf_counter() - started
        p.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4, tell Popen
        if p.returncode != 0:
            err.seek(0)
            tail = err.read()[-2000:].decode("utf-8", "replace")
            raise BenchError(f"{shlex.join(argv)} exited with {p.returncode}:\n{tail}")
    return elapsed, usage.ru_maxrss / MIB


def capture(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, env=env, check=False)


def find_cofi() -> str:
    beside = Path(sys.executable).parent / "cofi"
    found = str(beside) if beside.exists() else shutil.which("cofi")
    if not found:
        sys.exit("cofi is not installed here: activate the virtualenv (. .venv/bin/activate)")
    return found


# --------------------------------------------------------------------------- ledgers


def generator_key() -> str:
    return hashlib.sha256((HERE / "generate.py").read_bytes()).hexdigest()[:10]


def ledger_for(n: int, seed: int, work: Path) -> Path:
    """The generated ledger for (n, seed), made once and reused while generate.py is unchanged."""
    ledgers = work / "ledgers"
    ledgers.mkdir(parents=True, exist_ok=True)
    name = f"n{n}-seed{seed}-g{generator_key()}"
    final = ledgers / name
    if (final / ".complete").exists():
        log(f"reusing {final}")
        return final
    for stale in ledgers.glob(f"n{n}-seed{seed}-g*"):  # older generator versions, partial runs
        if stale != final:
            shutil.rmtree(stale, ignore_errors=True)
    shutil.rmtree(final, ignore_errors=True)
    partial = ledgers / f".{name}.partial-{os.getpid()}"
    log(f"generating N={n:,} (seed {seed}) ...")
    started = time.perf_counter()
    data = generate.build(n, seed)
    files = generate.write(data, partial)
    del data
    took = time.perf_counter() - started
    (partial / ".complete").write_text(f"{files} files, generated in {took:.1f} s\n")
    partial.rename(final)
    log(f"  {files:,} files in {took:.1f} s -> {final}")
    # cofi's cache treats files modified within 2 s of writing it as "racy" (it compares
    # their content); let the new files age so the warm runs measure the normal case.
    time.sleep(2.1)
    return final


# --------------------------------------------------------------------------- CLI variants


@dataclass
class Variant:
    name: str
    argv: list[str]
    env: dict[str, str]
    before: Callable[[], None] | None = None
    after: Callable[[], None] | None = None
    seconds: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)


def has_option(cofi: str, command: str, option: str, env: dict[str, str]) -> bool:
    out = capture([cofi, command, "--help"], {**env, "COLUMNS": "200"})
    return option in out.stdout


def plain_env(cache: Path) -> dict[str, str]:
    """The environment cofi runs in: English, no colour, 100 columns, `cache` for its
    cache."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "COFI_"))}
    env.update(LANG="C.UTF-8", LC_ALL="C.UTF-8", COLUMNS="100", NO_COLOR="1")
    env["COFI_CACHE_DIR"] = str(cache)
    return env


def ratio_table(title: str) -> list[str]:
    """The first lines of a table of ratios, under its title; `variant_row` the others."""
    return [
        title,
        "",
        "| variant | median s | min–max s | ratio | peak MB | target | met |",
        "| --- | ---: | ---: | --- | ---: | --- | --- |",
    ]


def variant_row(v: Variant, median: float, ratio: str, target: str, met: bool) -> str:
    """A variant's row of a table of ratios: median, range, ratio, peak, target, met."""
    return (
        f"| {v.name} | {median:.3f} | {min(v.seconds):.3f}–{max(v.seconds):.3f} | {ratio} | "
        f"{max(v.peaks):.0f} | {target} | {'yes' if met else '**no**'} |"
    )


def time_cli(
    n: int, root: Path, args: argparse.Namespace, cofi: str, work: Path, notes: list[str]
) -> list[Variant]:
    env = plain_env(work / "cofi-cache")
    common = ["--root", str(root), "--as-of", AS_OF]
    check = [cofi, "check", *common]
    match = [cofi, "match", *common, "--format", "csv"]
    nocache = {cmd: has_option(cofi, cmd, "--no-cache", env) for cmd in ("check", "match")}

    # The ledger must be valid, else cofi would stop early and the timings mean nothing.
    out = capture(check + (["--no-cache"] if nocache["check"] else []), env)
    if out.returncode != 0:
        raise BenchError(
            f"cofi check found problems in {root}:\n{out.stdout[-3000:]}{out.stderr[-2000:]}"
        )

    variants = [Variant("baseline", [sys.executable, str(HERE / "baseline.py"), str(root)], env)]
    fresh_dirs: list[Path] = []
    for cmd, argv in (("check", check), ("match", match)):
        if nocache[cmd]:
            variants.append(Variant(f"{cmd} cold", [*argv, "--no-cache"], env))
        else:
            # No --no-cache: a fresh, empty cache folder per run keeps it cold whatever cofi does.
            empty = work / f"empty-cache-{cmd}"
            fresh_dirs.append(empty)
            variants.append(
                Variant(
                    f"{cmd} cold",
                    argv,
                    {**env, "COFI_CACHE_DIR": str(empty)},
                    before=lambda e=empty: shutil.rmtree(e, ignore_errors=True),
                )
            )
            notes.append(
                f"`cofi {cmd}` has no `--no-cache` option yet: its cold runs use a fresh, "
                f"empty COFI_CACHE_DIR each time (which includes writing a cache, if cofi "
                f"keeps one); warm and touched runs of `cofi {cmd}` are skipped."
            )
    warm = [(cmd, argv) for cmd, argv in (("check", check), ("match", match)) if nocache[cmd]]

    contributions = sorted((root / "ledger/contributions").rglob("*.yaml"))
    touched = contributions[len(contributions) // 2]
    last_ns = [0]

    def touch() -> None:
        now = max(time.time_ns(), last_ns[0] + 1_000_000)
        last_ns[0] = now
        os.utime(touched, ns=(now, now))

    def rewarm() -> None:
        """After a touched run, bring every command's caches back up to date (untimed).

        cofi memoises nothing while a file is younger than 2 s (it could change again
        unseen within the same clock tick), so first let the touched file age.
        """
        time.sleep(max(0.0, (last_ns[0] + 2_100_000_000 - time.time_ns()) / 1e9))
        for _, argv in warm:
            measure(argv, env, root)

    def forget_results() -> None:
        """Delete the memoised results, keep the record cache."""
        for memo in (work / "cofi-cache").glob("memo-*"):
            memo.unlink()

    for cmd, argv in warm:
        variants.append(Variant(f"{cmd} warm", argv, env))
    for cmd, argv in warm:
        variants.append(
            Variant(f"{cmd} warm, records", argv, env, before=forget_results, after=rewarm)
        )
    for cmd, argv in warm:
        variants.append(Variant(f"{cmd} touched", argv, env, before=touch, after=rewarm))
    variants.append(Variant("cofi --help", [cofi, "--help"], env))
    variants.append(Variant("cofi --version", [cofi, "--version"], env))
    if warm:
        notes.append(
            f"N = {n:,}: touched file `{touched.relative_to(root)}` (its mtime set to now before "
            f"each touched run; the caches are brought up to date, untimed, after it)."
        )

    run_rounds(n, variants, root, args)
    for d in fresh_dirs:
        shutil.rmtree(d, ignore_errors=True)
    return variants


def run_rounds(n: int, variants: list[Variant], root: Path, args: argparse.Namespace) -> None:
    """One untimed round, then `args.repeat` alternating timed rounds."""
    # One untimed round: fills the cache, compiles bytecode, warms the OS page cache.
    log(f"N={n:,}: warm-up round")
    for v in variants:
        if v.before:
            v.before()
        measure(v.argv, v.env, root)
        if v.after:
            v.after()
    for r in range(args.repeat):
        shift = r % len(variants)
        order = variants[shift:] + variants[:shift]
        for v in order:
            if v.before:
                v.before()
            seconds, peak = measure(v.argv, v.env, root)
            if v.after:
                v.after()
            v.seconds.append(seconds)
            v.peaks.append(peak)
        log(
            f"N={n:,}: round {r + 1}/{args.repeat}: "
            + ", ".join(f"{v.name} {v.seconds[-1]:.2f}s" for v in variants)
        )


def cli_table(n: int, variants: list[Variant], files: int) -> str:
    base = statistics.median(variants[0].seconds)
    rows = [
        f"**N = {n:,} contributions** ({files:,} files; targets are set for N = 100,000)",
        "",
        "| variant | median s | min–max s | × baseline | peak MB | target | met |",
        "| --- | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for v in variants:
        med = statistics.median(v.seconds)
        ratio = med / base
        peak = max(v.peaks)
        targets, met = [], []
        if v.name in RATIO_TARGETS:
            targets.append(f"≤ {RATIO_TARGETS[v.name]}×")
            met.append(ratio <= RATIO_TARGETS[v.name])
        if v.name.startswith("cofi --"):
            targets.append(f"≤ {STARTUP_TARGET_S} s")
            met.append(med <= STARTUP_TARGET_S)
        elif v.name != "baseline":
            targets.append(f"≤ {PEAK_TARGET_MB} MB")
            met.append(peak <= PEAK_TARGET_MB)
        rows.append(
            f"| {v.name} | {med:.3f} | {min(v.seconds):.3f}–{max(v.seconds):.3f} | "
            f"{ratio:.2f} | {peak:.0f} | {', '.join(targets) or '—'} | "
            f"{('yes' if all(met) else '**no**') if met else '—'} |"
        )
    return "\n".join(rows)


def touched_cost(n: int, variants: list[Variant]) -> list[str]:
    """What one changed file adds to a run that reads every other record from the cache."""
    median = {v.name: statistics.median(v.seconds) for v in variants if v.seconds}
    out = []
    for cmd in ("check", "match"):
        touched, records = median.get(f"{cmd} touched"), median.get(f"{cmd} warm, records")
        if touched is not None and records is not None:
            out.append(
                f"N = {n:,}: `cofi {cmd}` after one file changed takes "
                f"{(touched - records) * 1000:+.0f} ms against a run with nothing changed "
                f"that reads every record from the record cache (touched − warm, records)."
            )
    return out


# --------------------------------------------------------------------------- git revisions

# Each git variant -> (the variant its ratio is taken against, the largest ratio allowed).
GIT_TARGETS = {
    "check --base cold": ("check cold", 1.2),
    "check --base warm": ("check cold", 0.2),
    "check --base --head cold": ("check cold", 1.2),
    "check --base --head warm": ("check cold", 0.2),
    "match --at cold": ("match cold", 1.2),
    "match --at warm": ("match cold", 0.2),
}
PR_FILE = "ledger/contributions/2026/2026-11-20-atelier-rennes-bench-pr.yaml"
PR_TEXT = "date: 2026-11-20\ncontributor: atelier-rennes\ncommon: kit-accueil\namount: 100.00\n"
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "coordination",
    "GIT_AUTHOR_EMAIL": "coordination@example.org",
    "GIT_COMMITTER_NAME": "coordination",
    "GIT_COMMITTER_EMAIL": "coordination@example.org",
}


def git_ledger_for(root: Path, work: Path) -> Path:
    """A git repository holding the ledger at `root` on `main`, and a branch `pr` checked
    out that adds one contribution (by a coordinator): a pull request of one file.

    A copy made of hard links (no second copy of the data), kept and reused like the
    ledger; generate.py's ledgers have settings naming coordination@example.org."""
    repo = work / "git" / root.name
    if (repo / ".complete").exists():
        log(f"reusing {repo}")
        return repo
    shutil.rmtree(repo, ignore_errors=True)
    repo.parent.mkdir(parents=True, exist_ok=True)
    log(f"making a git repository of {root.name} ...")
    subprocess.run(["cp", "-al", str(root), str(repo)], check=True)
    env = {**os.environ, **GIT_ENV}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)

    (repo / ".complete").unlink()
    git("init", "-q", "-b", "main")
    git("add", "commons", "ledger")
    git("commit", "-q", "-m", "the ledger")
    git("checkout", "-q", "-b", "pr")
    (repo / PR_FILE).write_text(PR_TEXT, encoding="utf-8")
    git("add", PR_FILE)
    git("commit", "-q", "-m", "one contribution")
    (repo / ".complete").write_text("ok\n")
    time.sleep(2.1)  # let the new file age (see ledger_for)
    return repo


def time_git(n: int, root: Path, args: argparse.Namespace, cofi: str, work: Path) -> list[Variant]:
    """The commands that read git, on a pull request adding one contribution, against the
    same commands without git on the same files."""
    repo = git_ledger_for(root, work)
    # The ledger's files are hard links shared with the report's copy of the ledger, whose
    # making moves their status change times: git's index would then trust none of them,
    # and `check --base` hash every file again (21 s instead of 4). A checkout in CI
    # has a fresh index; so has this one.
    subprocess.run(["git", "update-index", "-q", "--refresh"], cwd=repo, check=False)
    env = plain_env(work / "cofi-cache-git")
    common = ["--root", str(repo), "--as-of", AS_OF]
    check = [cofi, "check", *common]
    match = [cofi, "match", *common, "--format", "csv"]
    base = [*check, "--base", "main"]
    head = [*base, "--head", "pr"]
    at = [*match, "--at", "main"]
    variants = [
        Variant("check cold", [*check, "--no-cache"], env),
        Variant("check --base cold", [*base, "--no-cache"], env),
        Variant("check --base warm", base, env),
        Variant("check --base --head cold", [*head, "--no-cache"], env),
        Variant("check --base --head warm", head, env),
        Variant("match cold", [*match, "--no-cache"], env),
        Variant("match --at cold", [*at, "--no-cache"], env),
        Variant("match --at warm", at, env),
        Variant(
            "match --by contribution cold", [*match, "--by", "contribution", "--no-cache"], env
        ),
    ]
    if has_option(cofi, "report", "--html", env):
        out = work / "report-html"
        variants.append(
            Variant(
                "report --html", [cofi, "report", *common, "--html", str(out), "--no-cache"], env
            )
        )
    run_rounds(n, variants, repo, args)
    return variants


def git_table(n: int, variants: list[Variant]) -> str:
    median = {v.name: statistics.median(v.seconds) for v in variants}
    rows = ratio_table(
        f"**Git revisions, N = {n:,} contributions** (a pull request adding one contribution; "
        "ratios against the same command without git, in the same run)"
    )
    for v in variants:
        med, peak = median[v.name], max(v.peaks)
        ratio, target, met = "—", f"≤ {PEAK_TARGET_MB} MB", peak <= PEAK_TARGET_MB
        if v.name in GIT_TARGETS:
            against, limit = GIT_TARGETS[v.name]
            r = med / median[against]
            ratio = f"{r:.2f}× {against}"
            target = f"≤ {limit}×, {target}"
            met = met and r <= limit
        elif v.name == "report --html":
            r = med / median["match --by contribution cold"]
            ratio = f"{r:.2f}× match --by contribution cold"
            target = f"≤ 2×, {target}"
            met = met and r <= 2
        rows.append(variant_row(v, med, ratio, target, met))
    return "\n".join(rows)


# --------------------------------------------------------------------------- every other command


# The commands a national ledger's coordinators run besides check, match and report (scdl
# is left out: the generated ledger has no SIRET, so it refuses, as it should).
def time_commands(
    n: int, root: Path, args: argparse.Namespace, cofi: str, work: Path
) -> list[Variant]:
    """Each other command cold, against `cofi match` cold in the same rounds."""
    env = plain_env(work / "cofi-cache-commands")
    common = ["--root", str(root), "--as-of", AS_OF, "--no-cache"]
    # The last contribution of the benchmark's window, by its file name.
    last = max((root / "ledger" / "contributions").rglob("*.yaml")).stem
    programme = min((root / "ledger" / "programmes").glob("*.yaml")).stem
    journal = ["-o", str(work / "export.journal")]
    simulate = ["--programme", programme, "--set", "ratio=2"]
    variants = [
        Variant("match cold", [cofi, "match", *common, "--format", "csv"], env),
        Variant("obligations cold", [cofi, "obligations", *common, "--format", "csv"], env),
        Variant("status cold", [cofi, "status", *common, "--format", "csv"], env),
        Variant("explain ID cold", [cofi, "explain", last, *common], env),
        Variant("simulate cold", [cofi, "simulate", *simulate, *common], env),
        Variant("export hledger cold", [cofi, "export", "hledger", *common, *journal], env),
        Variant("export beancount cold", [cofi, "export", "beancount", *common, *journal], env),
    ]
    run_rounds(n, variants, root, args)
    return variants


def commands_table(n: int, variants: list[Variant]) -> str:
    median = {v.name: statistics.median(v.seconds) for v in variants}
    rows = ratio_table(
        f"**Every other command, N = {n:,} contributions** (cold; ratio against `match` "
        "cold in the same run, for scale: the issue sets no time target for them)"
    )
    for v in variants:
        med, peak = median[v.name], max(v.peaks)
        ratio = "—" if v.name == "match cold" else f"{med / median['match cold']:.2f}×"
        target, met = f"≤ {PEAK_TARGET_MB} MB", peak <= PEAK_TARGET_MB
        rows.append(variant_row(v, med, ratio, target, met))
    return "\n".join(rows)


# --------------------------------------------------------------------------- the report at scale

REPORT_RATIO = 2.0  # report --html against match --by contribution cold, in the same run
SITE_TARGET_MB = 60
PAGE_TARGET_MB = 2
OPEN_TARGET_S = 2.0
NEW_CONTRIBUTION = "ledger/contributions/2026/2026-11-27-bench-one-more.yaml"


@dataclass
class Site:
    """What `cofi report --html` wrote, measured after the timed rounds."""

    files: int = 0
    mb: float = 0.0
    largest: list[tuple[float, str]] = field(default_factory=list)  # (MB, path), largest first
    unchanged_rewritten: int = -1  # files a second run with nothing changed rewrote
    new_rewritten: list[tuple[float, str]] = field(default_factory=list)  # after one more
    opened: dict[str, float] = field(default_factory=dict)  # page -> s in headless Chromium
    reached: bool = False  # the explanation's text was in the unpacked page
    checked: sitecheck.Checked | None = None  # its tables and links against the CLI's


def site_files(out: Path) -> dict[str, tuple[int, int, int]]:
    """Each file of a report: (inode, mtime ns, size); the first two change on a rewrite."""
    return {
        p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns, p.stat().st_size)
        for p in out.rglob("*")
        if p.is_file()
    }


def time_report(
    n: int, root: Path, args: argparse.Namespace, cofi: str, work: Path
) -> tuple[list[Variant], Site]:
    """`cofi report --html` against `cofi match --by contribution` (both cold), then what
    the report wrote: its size and largest pages, what a second run and a run after one
    new contribution rewrite, and how long its pages take to open in headless Chromium."""
    env = plain_env(work / "cofi-cache-report")
    common = ["--root", str(root), "--as-of", AS_OF]
    out = work / f"report-n{n}"
    shutil.rmtree(out, ignore_errors=True)
    report = [cofi, "report", *common, "--html", str(out), "--no-cache"]
    by = [cofi, "match", *common, "--by", "contribution", "--format", "csv", "--no-cache"]
    variants = [
        Variant("match --by contribution cold", by, env),
        # The warm-up round writes the site; the timed runs find it unchanged.
        Variant("report --html", report, env),
    ]
    run_rounds(n, variants, root, args)
    site = Site()
    before = site_files(out)
    site.files = len(before)
    site.mb = sum(size for _, _, size in before.values()) / 2**20
    site.largest = sorted(((v[2] / 2**20, k) for k, v in before.items()), reverse=True)
    measure(report, env, root)
    after = site_files(out)
    site.unchanged_rewritten = sum(1 for k in after if before.get(k) != after[k])
    # One more contribution, in a copy of the ledger made of hard links (the generated
    # files are shared, not changed) and a copy of the site.
    more = work / f"report-ledger-n{n}"
    shutil.rmtree(more, ignore_errors=True)
    subprocess.run(["cp", "-al", str(root), str(more)], check=True)
    contributor = sorted((more / "ledger/contributors").glob("*.yaml"))[0].stem
    common_id = sorted((more / "commons").glob("*.yaml"))[0].stem
    (more / NEW_CONTRIBUTION).write_text(
        f"date: 2026-11-27\ncontributor: {contributor}\ncommon: {common_id}\namount: 120\n",
        encoding="utf-8",
    )
    out2 = work / f"report-n{n}-more"
    shutil.rmtree(out2, ignore_errors=True)
    subprocess.run(["cp", "-a", str(out), str(out2)], check=True)
    first = site_files(out2)
    argv = [cofi, "report", "--root", str(more), "--as-of", AS_OF, "--html", str(out2)]
    measure([*argv, "--no-cache"], env, root)
    second = site_files(out2)
    site.new_rewritten = sorted(
        ((v[2] / 2**20, k) for k, v in second.items() if first.get(k) != v), reverse=True
    )
    site.opened, site.reached = open_pages(out, work)
    every = capture([*by, "--all"], env)
    if every.returncode == 0:
        site.checked = sitecheck.check_site(out, every.stdout)
    shutil.rmtree(more, ignore_errors=True)
    shutil.rmtree(out2, ignore_errors=True)
    return variants, site


def open_pages(out: Path, work: Path) -> tuple[dict[str, float], bool]:
    """Wall-clock seconds for headless Chromium to open each page and run its script
    (start-up included: an empty page is timed too), and whether the largest month's last
    explanation was in the page once unpacked."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        return {}, False
    months = sorted(out.glob("explain/*.html"), key=lambda p: p.stat().st_size)
    blank = work / "blank.html"
    blank.write_text("<!doctype html><title>blank</title>", encoding="utf-8")
    pages = {"(an empty page)": blank.as_uri(), "index.html": (out / "index.html").as_uri()}
    wanted = ""
    if months:
        month = months[-1]
        key = month.stem
        table = out / "contributions" / f"{key}.html"
        if table.exists():
            pages[f"contributions/{key}.html"] = table.as_uri()
            wanted = last_contribution(out, key)
        if wanted:
            pages[f"explain/{key}.html#c-{wanted}"] = f"{month.as_uri()}#c-{wanted}"
    opened: dict[str, float] = {}
    reached = False
    for name, uri in pages.items():
        started = time.perf_counter()
        done = subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             f"--user-data-dir={work / 'chromium-profile'}", "--virtual-time-budget=10000",
             "--dump-dom", uri],
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        opened[name] = time.perf_counter() - started
        if wanted and name.startswith("explain/"):
            reached = f'<article id="c-{wanted}">' in done.stdout
    return opened, reached


def last_contribution(out: Path, month: str) -> str:
    """The id of the last contribution of `month` listed on its contributions page."""
    import base64
    import re
    import zlib

    text = (out / "contributions" / f"{month}.html").read_text(encoding="utf-8")
    found = re.search(r'data-into="tables"[^>]*>\s*([A-Za-z0-9+/=]+)\s*</script>', text)
    if not found:
        return ""
    html = zlib.decompress(base64.b64decode(found.group(1))).decode("utf-8")
    ids = re.findall(rf"explain/{month}\.html#c-(.+?)--programme-", html)
    return ids[-1] if ids else ""


def report_table(n: int, variants: list[Variant], site: Site) -> str:
    median = {v.name: statistics.median(v.seconds) for v in variants}
    ratio = median["report --html"] / median["match --by contribution cold"]
    rows = [
        f"**The HTML report, N = {n:,} contributions** (ratio against `match --by "
        "contribution` cold, in the same run)",
        "",
        "| what | measured | target | met |",
        "| --- | ---: | --- | --- |",
    ]

    def row(what: str, measured: str, target: str, met: bool | None) -> None:
        verdict = "—" if met is None else ("yes" if met else "**no**")
        rows.append(f"| {what} | {measured} | {target} | {verdict} |")

    for v in variants:
        peak = max(v.peaks)
        row(
            f"{v.name}: median s (min–max), peak MB",
            f"{median[v.name]:.2f} ({min(v.seconds):.2f}–{max(v.seconds):.2f}), {peak:.0f}",
            f"≤ {PEAK_TARGET_MB} MB",
            peak <= PEAK_TARGET_MB,
        )
    row("report --html ÷ match --by contribution cold", f"{ratio:.2f}×", f"≤ {REPORT_RATIO:g}×",
        ratio <= REPORT_RATIO)  # fmt: skip
    row("the site: files, MB", f"{site.files:,}, {site.mb:.1f}", f"≤ {SITE_TARGET_MB} MB",
        site.mb <= SITE_TARGET_MB)  # fmt: skip
    top = ", ".join(f"`{k}` {mb:.2f}" for mb, k in site.largest[:3])
    row("largest pages, MB", top, f"≤ {PAGE_TARGET_MB} MB each",
        not site.largest or site.largest[0][0] <= PAGE_TARGET_MB)  # fmt: skip
    row("files a second run rewrites, nothing changed", str(site.unchanged_rewritten), "0",
        site.unchanged_rewritten == 0)  # fmt: skip
    mb = sum(size for size, _ in site.new_rewritten)
    row(
        "files rewritten after one new contribution (2026-11-27), MB",
        f"{len(site.new_rewritten)}, {mb:.1f}",
        "only the pages it changes",
        None,
    )
    for name, seconds in site.opened.items():
        target = f"≤ {OPEN_TARGET_S:g} s" if name == "index.html" else "—"
        met = seconds <= OPEN_TARGET_S if name == "index.html" else None
        row(f"open `{name}` in headless Chromium, s (start-up included)", f"{seconds:.2f}",
            target, met)  # fmt: skip
    if site.opened:
        row("the explanation is in the page once unpacked", "yes" if site.reached else "no",
            "yes", site.reached)  # fmt: skip
    c = site.checked
    if c is not None:
        row(
            "month tables against `match --by contribution --all --format csv`: rows, cells",
            f"{c.rows:,}, {c.cells:,}, " + ("all equal" if c.equal else "; ".join(c.problems)),
            "every figure equal",
            c.equal,
        )
        row(
            "contributions explained on their month's page; row links landing there",
            f"{c.explained:,}; {c.links:,}",
            "every explanation reachable",
            c.equal,
        )
    return "\n".join(rows)


# --------------------------------------------------------------------------- engine alone


def to_ledger(data: generate.Data):  # type: ignore[no-untyped-def]
    """The generated records as a cofi Ledger, built in memory (no files, no YAML)."""
    from decimal import Decimal

    from cofi.ledger import Ledger
    from cofi.model import (
        Common,
        Contribution,
        Contributor,
        Disbursement,
        Pledge,
        Programme,
        Reversal,
        Source,
    )

    def rec(model, path: str, fields: dict):  # type: ignore[no-untyped-def]
        values = {k: v for k, v in fields.items() if v is not None}
        return model.model_validate(
            {**values, "id": path.rsplit("/", 1)[1][:-5], "source": Source(path)}
        )

    def by_path(records):  # type: ignore[no-untyped-def]
        return tuple(sorted(records, key=lambda r: r.source.path))

    contributors = [
        rec(
            Contributor,
            f"ledger/contributors/{c['id']}.yaml",
            {k: v for k, v in c.items() if k != "id"},
        )
        for c in data.contributors
    ]
    commons = [
        rec(
            Common,
            f"commons/{c['id']}.yaml",
            {
                "name": c["name"],
                "description": c["description"],
                "url": c["url"],
                "license": c["license"],
                "stewards": c["stewards"],
                "needs": [{**n, "amount": Decimal(n["amount"])} for n in c["needs"]],
            },
        )
        for c in data.commons
    ]
    programmes = []
    for p in data.programmes:
        e, caps = p["eligible"], p["caps"]
        programmes.append(
            rec(
                Programme,
                f"ledger/programmes/{p['id']}.yaml",
                {
                    "name": p["name"],
                    "funder": p["funder"],
                    "ratio": Decimal(p["ratio"]),
                    "in_kind_ratio": Decimal(p["in_kind_ratio"]),
                    "start": p["start"],
                    "end": p["end"],
                    "envelope": Decimal(p["envelope"]),
                    "allocation": p["allocation"],
                    "eligible": {
                        "kinds": list(e["kinds"]),
                        "commons": e["commons"],
                        "min_amount": Decimal(e["min_amount"]),
                    },
                    "exclude_stewards": p["exclude_stewards"],
                    "caps": {k: Decimal(v) for k, v in caps.items()},
                    "payment_days": p["payment_days"],
                },
            )
        )
    # Built in path order, as the loader reads files: objects allocated in that order lie
    # close in memory, and the engine's speed depends on it (cache misses) at large N.
    contributions = [
        rec(
            Contribution,
            c.path,
            {
                "date": c.date,
                "contributor": c.contributor,
                "common": c.common,
                "need": c.need,
                "amount": Decimal(c.amount),
                "kind": c.kind,
                "pledge": c.pledge,
                "currency": "EUR" if c.currency else None,
                "reference": c.reference,
                "note": c.note,
            },
        )
        for c in sorted(data.contributions, key=lambda c: c.path)
    ]
    reversals = [
        rec(
            Reversal,
            r.path,
            {"date": r.date, "reverses": r.reverses, "note": r.note, "entry_kind": "contribution"},
        )
        for r in data.reversals
    ]
    pledges = [
        rec(
            Pledge,
            p.path,
            {
                "date": p.date,
                "contributor": p.contributor,
                "common": p.common,
                "amount": Decimal(p.amount),
                "due": p.due,
                "reference": p.reference,
                "note": p.note,
            },
        )
        for p in data.pledges
    ]
    disbursements = [
        rec(
            Disbursement,
            d.path,
            {
                "date": d.date,
                "programme": d.programme,
                "common": d.common,
                "amount": Decimal(d.amount),
                "reference": d.reference,
            },
        )
        for d in data.disbursements
    ]
    return Ledger(
        root="(in memory)",
        contributors=by_path(contributors),
        commons=by_path(commons),
        programmes=by_path(programmes),
        contributions=by_path(contributions),
        pledges=by_path(pledges),
        disbursements=by_path(disbursements),
        reversals=by_path(reversals),
    )


def engine_child(n: int, seed: int, repeat: int) -> None:
    """In a child process: build the ledger in memory, time the engine, print JSON."""
    from cofi.matching import match_all
    from cofi.obligations import match_obligations

    as_of = dt.date.fromisoformat(AS_OF)
    started = time.perf_counter()
    gc.disable()  # building is not what is measured
    data = generate.build(n, seed)
    ledger = to_ledger(data)
    del data
    gc.enable()
    gc.collect()
    # As the `cofi` command leaves them (cofi.bulk.freeze_after_bulk): the records frozen
    # out of the collector's sight, which otherwise walks all of them at each full
    # collection during the run.
    gc.freeze()
    built = time.perf_counter() - started
    times: list[float] = []
    eligible = matched = rows = 0
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        results = match_all(ledger, as_of)
        obligations = match_obligations(ledger, results)
        times.append(time.perf_counter() - t)
        eligible = sum(len(r.eligible) for r in results)
        matched = str(sum(o.owed for o in obligations))
        rows = len(obligations)
        del results, obligations
    print(
        json.dumps(
            {
                "n": n,
                "build": built,
                "times": times,
                "eligible": eligible,
                "matched": matched,
                "rows": rows,
                "contributions": len(ledger.contributions),
            }
        )
    )


def time_engine(sizes: list[int], args: argparse.Namespace) -> str:
    results = []
    for n in sizes:
        log(f"engine: N={n:,} (build in memory, then {args.engine_repeat} timed runs)")
        argv = [
            sys.executable,
            __file__,
            "--engine-child",
            str(n),
            "--seed",
            str(args.seed),
            "--engine-repeat",
            str(args.engine_repeat),
        ]
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            p = subprocess.Popen(argv, stdout=out, stderr=err)
            _, status, usage = os.wait4(p.pid, 0)
            p.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            if p.returncode != 0:
                raise BenchError(f"engine child N={n} failed:\n{err.read()[-3000:].decode()}")
            got = json.loads(out.read().decode().strip().splitlines()[-1])
        got["peak"] = usage.ru_maxrss / MIB
        results.append(got)
        log(f"  median {statistics.median(got['times']):.2f} s, peak {got['peak']:.0f} MB")
    rows = [
        "| contributions | median s | min–max s | growth per 10× | peak MB | eligible matches | "
        "build s (untimed) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    prev = None
    for got in results:
        med = statistics.median(got["times"])
        growth = "—"
        if prev is not None and got["n"] > prev[0]:
            per10 = (med / prev[1]) ** (1 / math.log10(got["n"] / prev[0]))
            growth = f"{per10:.1f}× ({'ok' if per10 <= GROWTH_TARGET else '**over ~12×**'})"
        rows.append(
            f"| {got['n']:,} | {med:.3f} | {min(got['times']):.3f}–{max(got['times']):.3f} | "
            f"{growth} | {got['peak']:.0f} | {got['eligible']:,} | {got['build']:.1f} |"
        )
        prev = (got["n"], med)
    return "\n".join(rows)


# --------------------------------------------------------------------------- report


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {cpu}; "
        f"Python {platform.python_version()}; {platform.system()} {platform.release()}"
    )


def revision() -> str:
    out = subprocess.run(
        ["git", "-C", str(REPO), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    )
    return out.stdout.strip() or "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="*",
        default=[10_000, 100_000],
        help="ledger sizes (contributions) for the CLI timings; none to skip",
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds per size")
    parser.add_argument(
        "--git-sizes",
        type=int,
        nargs="*",
        default=[20_000],
        help="sizes for the git rows (check --base, --head, match --at, report --html)",
    )
    parser.add_argument(
        "--report-sizes",
        type=int,
        nargs="*",
        default=[100_000],
        help="sizes for the HTML report at scale (time, memory, size, rewrites, opening)",
    )
    parser.add_argument(
        "--command-sizes",
        type=int,
        nargs="*",
        default=[100_000],
        help="sizes for the other commands (obligations, status, explain, simulate, export)",
    )
    parser.add_argument(
        "--engine-sizes",
        type=int,
        nargs="*",
        default=[10_000, 100_000, 1_000_000],
        help="sizes for the in-memory engine timings; none to skip",
    )
    parser.add_argument("--engine-repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "cofi-bench",
        help="where ledgers and cofi's cache are kept (outside the repository)",
    )
    parser.add_argument(
        "--output", type=Path, default=HERE / "results.md", help="Markdown report (also printed)"
    )
    parser.add_argument("--engine-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.engine_child is not None:
        engine_child(args.engine_child, args.seed, args.engine_repeat)
        return 0
    if args.repeat < 1 or args.engine_repeat < 1:
        parser.error("--repeat and --engine-repeat must be at least 1")
    work = args.work_dir.resolve()
    if work == REPO or REPO in work.parents:
        parser.error("--work-dir must be outside the repository")

    import yaml

    if not getattr(yaml, "__with_libyaml__", False):
        sys.exit("PyYAML was built without libyaml: the baseline needs yaml.CSafeLoader")
    cofi = find_cofi()
    version = capture([cofi, "--version"], dict(os.environ)).stdout.strip()
    command = "python benchmarks/run.py " + shlex.join(sys.argv[1:] if argv is None else argv)
    load_before = os.getloadavg()
    started = dt.datetime.now().astimezone()

    sections: list[str] = []
    notes: list[str] = []
    for n in args.sizes:
        root = ledger_for(n, args.seed, work)
        files = int((root / ".complete").read_text().split()[0])
        variants = time_cli(n, root, args, cofi, work, notes)
        sections.append(cli_table(n, variants, files))
        notes.extend(touched_cost(n, variants))
        print(sections[-1] + "\n", flush=True)
    for n in args.git_sizes:
        root = ledger_for(n, args.seed, work)
        sections.append(git_table(n, time_git(n, root, args, cofi, work)))
        print(sections[-1] + "\n", flush=True)
    for n in args.command_sizes:
        root = ledger_for(n, args.seed, work)
        sections.append(commands_table(n, time_commands(n, root, args, cofi, work)))
        print(sections[-1] + "\n", flush=True)
    for n in args.report_sizes:
        root = ledger_for(n, args.seed, work)
        sections.append(report_table(n, *time_report(n, root, args, cofi, work)))
        print(sections[-1] + "\n", flush=True)
    if args.engine_sizes:
        table = time_engine(sorted(args.engine_sizes), args)
        sections.append(
            "**Engine alone** (in memory: `match_all` + `match_obligations`, "
            f"{args.engine_repeat} runs each; target: at most ~{GROWTH_TARGET:.0f}× per 10×)\n\n"
            + table
        )
        print(sections[-1] + "\n", flush=True)
    load_after = os.getloadavg()
    took = (dt.datetime.now().astimezone() - started).seconds

    header = [
        "# cofi benchmark results",
        "",
        f"- date: {started:%Y-%m-%d %H:%M %Z}; took {took} s",
        f"- machine: {machine()}",
        f"- cofi: {version} (repository at {revision()})",
        f"- command: `{command}` (seed {args.seed}, all cofi commands with `--as-of {AS_OF}`)",
        f"- load average (1 min) before / after: {load_before[0]:.2f} / {load_after[0]:.2f}"
        + (
            " — **the machine was not quiet: treat these figures with care**"
            if max(load_before[0], load_after[0]) > 0.5
            else ""
        ),
        "- times are wall-clock seconds of whole processes (start-up included), medians of "
        f"{args.repeat} alternating rounds; × baseline = median / baseline median at the same N; "
        "peak MB = largest `ru_maxrss` over the runs (MiB)",
    ]
    notes = list(dict.fromkeys(notes))
    report = "\n".join(header) + "\n\n" + "\n\n".join(sections) + "\n"
    if notes:
        report += "\nNotes:\n\n" + "\n".join(f"- {x}" for x in notes) + "\n"
    if notes:
        print("Notes:\n" + "\n".join(f"- {x}" for x in notes))
    args.output.write_text(report, encoding="utf-8")
    log(f"written to {args.output}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as e:
        sys.exit(f"benchmark failed: {e}")
