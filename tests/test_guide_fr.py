"""docs/fr/ajouter-une-contribution.md runs as written: § 4 (with its part « Vérifier avant
d'envoyer ») is followed literally by a treasurer in a clone of a forge holding the bundled
ledger, and every sample output it shows is what cofi prints in French.

How the guide is read: in § 4, the blocks run in order, from the clone's root; a ```sh
block is one command per line; a ```console block is `$ COMMAND` lines, each followed by
exactly what it prints (stdout and stderr together, as in a terminal). Nothing else of the
guide is run; its other samples are checked for English below (no `hint:` line, every
`conseil :` line a real French hint of cofi's catalogue: its wording, not the values put
in its placeholders — "renommez-le en {x}" would accept `.yml` as well as `.yaml`).
"""

from __future__ import annotations

import gettext
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

import cofi
from gitrepo import GitRepo

REPO = Path(__file__).resolve().parent.parent
GUIDE = REPO / "docs" / "fr" / "ajouter-une-contribution.md"
MO = Path(cofi.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "cofi.mo"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
COFI = Path(sys.executable).parent / "cofi"  # the `cofi` of this environment
COORDINATOR = "coordination@example.org"
# The treasurer of La Fabrique du Coin: her commits carry an identity of her tiers-lieu
# (ledger/contributors/la-fabrique-du-coin.yaml), as § 1 of the guide asks.
TREASURER = "tresorerie@la-fabrique-du-coin.example.org"
# The guide's "today": the day its samples were made (a contribution written without
# --date is dated that day).
GUIDE_DAY = "2026-11-28"


@dataclass
class Step:
    command: str
    expected: str | None  # None: a ```sh line, whose output the guide does not show


def _guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def section_4() -> str:
    text = _guide()
    start = text.index("\n## 4. ")
    return text[start : text.index("\n## 5. ", start)]


def steps() -> list[Step]:
    """The commands of § 4, in order, with the output each console block shows."""
    out: list[Step] = []
    for kind, body in FENCE.findall(section_4()):
        if kind == "sh":
            out += [Step(line, None) for line in body.splitlines() if line.strip()]
        elif kind == "console":
            for run in re.split(r"^\$ ", body, flags=re.MULTILINE)[1:]:
                command, _, printed = run.partition("\n")
                out.append(Step(command, printed))
    return out


def test_section_4_holds_what_the_issue_asks() -> None:
    text = section_4()
    assert "### Vérifier avant d'envoyer" in text
    commands = [s.command for s in steps()]
    assert commands.index("cofi check") < commands.index("cofi check --base origin/main")
    assert commands.index("cofi check --base origin/main") < next(
        i for i, c in enumerate(commands) if c.startswith("git push")
    )
    assert "--lang fr" in text and "LANG" in text


def _env(home: Path) -> dict[str, str]:
    """The treasurer's terminal: a French locale and no git configuration of this machine."""
    locale = ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")
    env = {k: v for k, v in os.environ.items() if k not in locale and not k.startswith("GIT_")}
    env.update(
        LANG="fr_FR.UTF-8",
        HOME=str(home),
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        COFI_CACHE_DIR=str(home / "cache"),
        NO_COLOR="1",
        COLUMNS="200",
    )
    return env


def _argv(command: str) -> list[str]:
    argv = shlex.split(command)
    # The one substitution in the commands: `cofi` is this environment's executable.
    if argv[0] == "cofi":
        argv[0] = str(COFI)
    return argv


@pytest.mark.skipif(
    date.today().isoformat() < GUIDE_DAY,
    reason="the guide's samples are dated up to 2026-11-28: before that day cofi would "
    "refuse them as dated in the future (L007)",
)
def test_section_4_runs_as_written(tmp_path: Path) -> None:
    # The forge: the bundled ledger, committed by the coordination.
    forge = GitRepo(tmp_path / "forge")
    for folder in ("commons", "ledger", "schemas"):
        shutil.copytree(REPO / folder, forge.path / folder)
    forge.commit(COORDINATOR, "Registre de démonstration")
    env = _env(tmp_path / "home")
    (tmp_path / "home").mkdir()

    def run(argv: list[str], where: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            argv,
            cwd=where,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=120,
            check=False,
        )

    # The treasurer's copy of the registry, and her git identity.
    clone = tmp_path / "registre"
    for argv, where in (
        (["git", "clone", "-q", str(forge.path), str(clone)], tmp_path),
        (["git", "config", "user.email", TREASURER], clone),
        (["git", "config", "user.name", "Trésorière de La Fabrique du Coin"], clone),
        (["git", "config", "commit.gpgsign", "false"], clone),
    ):
        assert run(argv, where).returncode == 0

    today = date.today().isoformat()
    for step in steps():
        done = run(_argv(step.command), clone)
        if step.expected is None:
            assert done.returncode == 0, f"{step.command}\n{done.stdout}"
            continue
        expected = step.expected
        if step.command.startswith("cofi new") and "--date" not in step.command:
            # Without --date, cofi dates the record today: the guide shows its own day.
            expected = expected.replace(GUIDE_DAY, today)
        assert done.stdout == expected, f"$ {step.command}"

    # The push reached the forge: the branch is there, with the contribution.
    shown = forge.git("show", "--stat", "--format=%ae", "contribution-fabrique-dokos")
    assert TREASURER in shown
    assert "2026-11-16-la-fabrique-du-coin-dokos.yaml" in shown


# --- No English sample left ------------------------------------------------------------

ENGLISH = (
    re.compile(r"^\s*hint:", re.MULTILINE),
    re.compile(r"^wrote ", re.MULTILINE),
    re.compile(r"^next: ", re.MULTILINE),
    re.compile(r"^ok: \d+ files? checked", re.MULTILINE),
    re.compile(r"^cofi: nothing written", re.MULTILINE),
    re.compile(r"is not an amount|is not a date|did you mean|unknown (key|contributor)"),
    re.compile(r"this entry speaks for|awaits its receipt|Debtor|Overdue"),
)
CONSEIL = re.compile(r"^    conseil\u00a0: (.*)$", re.MULTILINE)


def samples() -> list[str]:
    """The guide's blocks of cofi output (```console and plain ``` blocks)."""
    return [body for kind, body in FENCE.findall(_guide()) if kind in ("", "console")]


def test_no_english_cofi_output_is_left() -> None:
    for body in samples():
        for english in ENGLISH:
            assert not english.search(body), f"English left in the guide:\n{body}"


def _french_messages() -> list[re.Pattern[str]]:
    """Every French message of cofi's compiled catalogue, `{placeholders}` matching anything."""
    with open(MO, "rb") as f:
        catalogue = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
    out = []
    for french in catalogue.values():
        if french:
            parts = re.split(r"\{[a-z_0-9]*\}", french)
            out.append(re.compile(".+".join(re.escape(p) for p in parts)))
    return out


def test_every_hint_shown_is_a_real_french_hint() -> None:
    messages = _french_messages()
    hints = [m for body in samples() for m in CONSEIL.findall(body)]
    assert len(hints) >= 10, "the guide shows its hints as `    conseil\u00a0: ...`"
    for hint in hints:
        assert any(p.fullmatch(hint) for p in messages), f"not a hint cofi gives: {hint}"
