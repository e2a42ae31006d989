"""`cofi new`: a new entry, correctly named, that `cofi check` accepts, from flags or
from answers typed on a terminal. Nothing is written when the entry would be refused."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cofi.cli import app
from cofi.loader import load
from conftest import base_ledger

LEDGER = base_ledger({"ledger/contributors/le-hangar.yaml": "name: Le Hangar\nkind: tiers-lieu\n"})
C = "ledger/contributions/2026/"
RUCHE_DOKOS = ["--date", "2026-03-14", "--contributor", "la-ruche", "--common", "dokos"]


@pytest.fixture
def root(ledger_dir) -> Path:
    return ledger_dir(LEDGER)


def new(root: Path, *args: str):
    return CliRunner().invoke(app, ["new", *args, "--root", str(root)])


def check(root: Path):
    return CliRunner().invoke(app, ["check", "--root", str(root), "--as-of", "2026-11-28"])


def entry_files(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix()
        for folder in ("contributions", "pledges", "disbursements")
        for p in (root / "ledger" / folder).rglob("*.yaml")
    )


def test_a_contribution_from_flags(root):
    result = new(root, "contribution", *RUCHE_DOKOS, "--amount", "1200.50")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"wrote {C}2026-03-14-la-ruche-dokos.yaml\n")
    assert (root / C / "2026-03-14-la-ruche-dokos.yaml").read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../../../schemas/contribution.json\n"
        "date: 2026-03-14\n"
        "contributor: la-ruche\n"
        "common: dokos\n"
        "amount: 1200.50\n"
    )
    assert (check(root).exit_code, check(root).stdout) == (0, "")


def test_the_same_contribution_twice_gets_a_second_id(root):
    new(root, "contribution", *RUCHE_DOKOS, "--amount", "300")
    result = new(root, "contribution", *RUCHE_DOKOS, "--amount", "300")
    assert result.exit_code == 0
    assert entry_files(root) == [
        f"{C}2026-03-14-la-ruche-dokos-2.yaml",
        f"{C}2026-03-14-la-ruche-dokos.yaml",
    ]
    assert check(root).exit_code == 0


def test_free_text_is_written_so_that_it_reads_back_as_typed(root):
    note = 'dit "merci": 1:30, - acompte'
    result = new(
        root,
        "contribution",
        *RUCHE_DOKOS,
        "--amount",
        "80",
        "--reference",
        "no",
        "--note",
        note,
        "--kind",
        "in-kind",
        "--need",
        "booking-v2",
    )
    assert result.exit_code == 0, result.output
    c = load(root).ledger.entry["2026-03-14-la-ruche-dokos"]
    assert (c.reference, c.note, c.kind, c.need) == ("no", note, "in-kind", "booking-v2")
    assert check(root).exit_code == 0


@pytest.mark.parametrize(
    ("flags", "shown"),
    [
        (
            ["--amount", "12,50"],
            f"{C}2026-03-14-la-ruche-dokos.yaml:5:9: S003 '12,50' is not an amount",
        ),
        (["--amount", "0"], "S003 amount must be greater than 0, found 0"),
        (
            ["--amount", "50", "--contributor", "la-rushe"],
            f"{C}2026-03-14-la-rushe-dokos.yaml:3:14: R001 unknown contributor 'la-rushe': "
            "did you mean 'la-ruche'?",
        ),
        (["--amount", "50", "--need", "booking-v3"], "R003"),
    ],
)
def test_a_refused_entry_writes_nothing_and_says_why(root, flags, shown):
    result = new(root, "contribution", *RUCHE_DOKOS, *flags)
    assert result.exit_code == 1
    assert shown in result.stderr
    assert "would not pass cofi check" in result.stderr
    assert entry_files(root) == []


def test_a_pledge(root):
    result = new(
        root,
        "pledge",
        *RUCHE_DOKOS[:2],
        "--contributor",
        "la-ruche",
        "--common",
        "movilab",
        "--amount",
        "3000",
        "--due",
        "2026-09-30",
    )
    assert result.exit_code == 0, result.output
    assert (root / "ledger/pledges/la-ruche-movilab-2026.yaml").read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../../schemas/pledge.json\n"
        "date: 2026-03-14\ncontributor: la-ruche\ncommon: movilab\namount: 3000\ndue: 2026-09-30\n"
    )
    assert check(root).exit_code == 0


def test_a_disbursement(root):
    result = new(
        root,
        "disbursement",
        "--date",
        "2026-11-20",
        "--programme",
        "pilote-2026",
        "--common",
        "dokos",
        "--amount",
        "600",
        "--reference",
        "virement 2026-0042",
    )
    assert result.exit_code == 0, result.output
    path = root / "ledger/disbursements/2026/2026-11-20-pilote-2026-dokos.yaml"
    assert path.read_text(encoding="utf-8").splitlines()[1:] == [
        "date: 2026-11-20",
        "programme: pilote-2026",
        "common: dokos",
        "amount: 600",
        'reference: "virement 2026-0042"',
    ]
    assert check(root).exit_code == 0


def test_a_reversal_lies_with_the_entry_it_cancels(root):
    new(root, "contribution", *RUCHE_DOKOS, "--amount", "1200")
    result = new(
        root,
        "reversal",
        "2026-03-14-la-ruche-dokos",
        "--date",
        "2026-04-01",
        "--note",
        "montant erroné",
    )
    assert result.exit_code == 0, result.output
    path = root / C / "2026-04-01-reverses-2026-03-14-la-ruche-dokos.yaml"
    assert path.read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../../../schemas/reversal.json\n"
        'date: 2026-04-01\nreverses: 2026-03-14-la-ruche-dokos\nnote: "montant erroné"\n'
    )
    new(root, "pledge", *RUCHE_DOKOS, "--amount", "900", "--due", "2026-12-31")
    result = new(root, "reversal", "la-ruche-dokos-2026", "--date", "2026-03-15")
    assert "ledger/pledges/2026-03-15-reverses-la-ruche-dokos-2026.yaml" in result.stdout
    assert check(root).exit_code == 0


def test_an_entry_already_reversed_is_not_reversed_again_by_an_earlier_reversal(ledger_dir):
    root = ledger_dir({
        **LEDGER,
        C + "2026-03-14-la-ruche-dokos.yaml": "date: 2026-03-14\ncontributor: la-ruche\n"
        "common: dokos\namount: 100\n",
        C + "2026-04-10-annule.yaml": "date: 2026-04-10\nreverses: 2026-03-14-la-ruche-dokos\n",
    })  # fmt: skip
    assert check(root).exit_code == 0
    result = new(root, "reversal", "2026-03-14-la-ruche-dokos", "--date", "2026-04-01")
    assert check(root).exit_code == 0 or result.exit_code == 1
    assert result.exit_code == 1
    assert "L004" in result.stderr
    assert len(entry_files(root)) == 2


def test_reversing_an_unknown_entry_cannot_run(root):
    result = new(root, "reversal", "2026-03-14-nulle-part", "--date", "2026-04-01")
    assert result.exit_code == 2
    assert (
        "no contribution, pledge, disbursement or receipt '2026-03-14-nulle-part'" in result.stderr
    )


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["contribution", "--contributor", "la-ruche", "--common", "dokos"], "--amount"),
        (["contribution", "--common", "dokos", "--amount", "5"], "--contributor"),
        (["pledge", *RUCHE_DOKOS, "--amount", "5"], "--due"),
        (["disbursement", "--common", "dokos", "--amount", "5"], "--programme"),
    ],
)
def test_a_missing_flag_without_a_terminal_is_named(root, args, flag):
    result = new(root, *args)
    assert result.exit_code == 2
    assert f"missing {flag} (or run cofi new on a terminal to be asked)" in result.stderr
    assert entry_files(root) == []


# --- on a real terminal ----------------------------------------------------------------------


class Terminal:
    """`cofi` run on a pseudo-terminal (Python's pty module), answered like a person would."""

    def __init__(self, *args: str) -> None:
        self.fd, child = pty.openpty()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cofi", *args],
            stdin=child,
            stdout=child,
            stderr=child,
            close_fds=True,
            env={**os.environ, "TERM": "dumb", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"},
        )
        os.close(child)
        self.pending = b""
        self.seen = ""

    def expect(self, text: str, timeout: float = 15) -> str:
        """Read until `text` appears; return what came before and with it."""
        deadline = time.monotonic() + timeout
        while text.encode() not in self.pending:
            ready, _, _ = select.select([self.fd], [], [], max(0, deadline - time.monotonic()))
            chunk = os.read(self.fd, 4096) if ready else b""
            assert chunk, f"waited for {text!r}, got:\n{self.seen + self.pending.decode()}"
            self.pending += chunk
        cut = self.pending.index(text.encode()) + len(text)
        said, self.pending = self.pending[:cut].decode(), self.pending[cut:]
        self.seen += said
        return said

    def answer(self, line: str) -> None:
        os.write(self.fd, line.encode() + b"\r")

    def close(self) -> int:
        code = self.process.wait(timeout=15)
        os.close(self.fd)
        return code


def test_a_contribution_asked_for_on_a_terminal(root):
    term = Terminal("new", "contribution", "--root", str(root))
    try:
        term.expect("date [")
        term.expect("]: ")
        term.answer("2026-02-30")
        term.expect("2026-02-30 is not a day of the calendar")
        term.expect("]: ")
        term.answer("2999-01-01")  # refused here, as cofi check would (L007), not at the end
        term.expect("dated 2999-01-01, after today")
        term.expect("]: ")
        term.answer("2026-05-05")
        listing = term.expect("contributor: ")
        assert "1. la-ruche  La Ruche" in listing and "2. le-hangar  Le Hangar" in listing
        assert "etat" not in listing  # a public funder does not contribute
        term.answer("9")
        term.expect("'9' is not one of the choices; type its number or its id.")
        term.expect("contributor: ")
        term.answer("2")
        assert "1. dokos  Dokos" in term.expect("common: ")
        term.answer("dokoss")
        term.expect("'dokoss' is not one of the choices: did you mean 'dokos'?")
        term.expect("common: ")
        term.answer("Dokos")  # as the list shows it
        assert "1. booking-v2  Module de réservation v2" in term.expect("need: ")
        term.answer("1")
        term.expect("amount: ")
        term.answer("1 250")  # as a French user writes it: refused here, asked again
        term.expect("'1 250' is not an amount")
        term.expect("amount: ")
        term.answer("250")
        assert "2. in-kind" in term.expect("kind [money]: ")  # asked: in kind is not money
        term.answer("")
        term.expect("reference: ")
        term.answer("")
        term.expect(f"wrote {C}2026-05-05-le-hangar-dokos.yaml")
    finally:
        code = term.close()
    assert code == 0
    assert (root / C / "2026-05-05-le-hangar-dokos.yaml").read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../../../schemas/contribution.json\n"
        "date: 2026-05-05\ncontributor: le-hangar\ncommon: dokos\nneed: booking-v2\namount: 250\n"
        "kind: money\n"
    )
    assert check(root).exit_code == 0


def test_spaces_around_an_asked_value_are_not_written(root):
    result = new(root, "contribution", *RUCHE_DOKOS, "--amount", " 12 ")
    assert result.exit_code == 0, result.output
    text = (root / C / "2026-03-14-la-ruche-dokos.yaml").read_text(encoding="utf-8")
    assert "amount: 12\n" in text


def test_a_folder_that_cannot_be_made_is_an_error_not_a_traceback(root):
    (root / "ledger/contributions").mkdir()
    (root / C.rstrip("/")).write_text("")  # a file where the year's folder should be
    result = new(root, "contribution", *RUCHE_DOKOS, "--amount", "12")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(
        f"cofi: nothing written: cannot write {C}2026-03-14-la-ruche-dokos.yaml: "
    )


def test_a_write_that_fails_half_way_leaves_no_half_entry(root, monkeypatch):
    """A full disk after the file was made: the half entry would fail every later check."""
    import errno

    import cofi.cli.new

    class Full:
        def __init__(self, path, *args, **kw):  # type: ignore[no-untyped-def]
            self.file = open(path, *args, **kw)  # noqa: SIM115 - made, as the real one is

        def __enter__(self):  # type: ignore[no-untyped-def]
            return self

        def __exit__(self, *exc):  # type: ignore[no-untyped-def]
            self.file.close()

        def write(self, text):  # type: ignore[no-untyped-def]
            self.file.write(text[:10])
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cofi.cli.new, "open", Full, raising=False)
    result = new(root, "contribution", *RUCHE_DOKOS, "--amount", "12")
    assert result.exit_code == 2, result.output
    assert "No space left on device" in result.stderr
    assert entry_files(root) == []


# --- invisible characters ----------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\u200b", "\u200e", "\u061c", "\ufeff", "\u00ad"])
def test_an_invisible_character_in_a_flag_is_refused_and_nothing_written(root, char):
    result = new(root, "contribution", *RUCHE_DOKOS, "--amount", "12", "--reference", f"FAC{char}1")
    assert result.exit_code == 1, result.output
    assert f"S013 character 4 of this text is U+{ord(char):04X}, an invisible" in result.stderr
    assert char not in result.output
    assert entry_files(root) == []


def test_an_invisible_character_typed_at_a_prompt_is_refused_there(root):
    term = Terminal(
        "new", "disbursement", "--root", str(root), "--date", "2026-04-01",
        "--programme", "pilote-2026", "--common", "dokos", "--amount", "100",
    )  # fmt: skip
    try:
        term.expect("reference: ")
        term.answer("VIR\u200b-42")
        term.expect("character 4 of this text is U+200B, an invisible formatting character")
        term.expect("reference: ")
        term.answer("VIR-42")
        term.expect("wrote ledger/disbursements/")
    finally:
        code = term.close()
    assert code == 0
    assert check(root).exit_code == 0


def test_an_invisible_character_in_a_reversal_note_is_refused_at_its_prompt(root):
    assert new(root, "contribution", *RUCHE_DOKOS, "--amount", "12").exit_code == 0
    term = Terminal(
        "new", "reversal", "2026-03-14-la-ruche-dokos", "--root", str(root),
        "--date", "2026-03-20",
    )  # fmt: skip
    try:
        term.expect("note: ")
        term.answer("wrong\u200famount")
        term.expect("U+200F, an invisible formatting character")
        term.expect("note: ")
        term.answer("wrong amount")
        term.expect("wrote ")
    finally:
        code = term.close()
    assert code == 0


def test_a_refusal_at_a_prompt_is_in_the_users_language(root):
    """The model's refusal is kept as written in the code and put into words when shown:
    in French at a French prompt."""
    term = Terminal(
        "--lang", "fr", "new", "disbursement", "--root", str(root), "--date", "2026-04-01",
        "--programme", "pilote-2026", "--common", "dokos", "--reference", "VIR-42",
    )  # fmt: skip
    try:
        term.expect("amount: ")
        term.answer("12,5x")
        term.expect("12,5x\u00a0» n'est pas un montant")
        term.expect("amount: ")
        term.answer("100")
        term.expect("ledger/disbursements/2026/")
    finally:
        code = term.close()
    assert code == 0


def test_each_kind_of_entry_has_its_new_command_from_the_kinds_table():
    """`cofi new KIND` is built from the kind's row: a flag per question, in its order, and
    the field it acts on as its argument. A new kind needs no code in cofi.cli.new."""
    from typer.main import get_command

    from cofi.kinds import KINDS

    group = get_command(app).commands["new"]  # type: ignore[attr-defined]
    for kind in KINDS:
        if not kind.entry:
            continue
        command = group.commands[kind.name]
        options = [p.name for p in command.params if p.param_type_name == "option"]
        arguments = [p.name for p in command.params if p.param_type_name == "argument"]
        asked = [q.field for q in kind.questions if q.field != kind.argument]
        assert options[: len(asked) + 1] == ["root", *asked], kind.name
        assert arguments == ([kind.argument] if kind.argument else []), kind.name


def test_a_french_amount_and_an_open_pledge_are_taken_at_the_prompts(root):
    """In French, `1200,50` is how an amount is written: it is taken (the file says
    1200.50); la-ruche's open pledge to dokos is offered, so that the payment honours it."""
    pledge = root / "ledger/pledges/ruche-dokos.yaml"
    pledge.parent.mkdir(parents=True, exist_ok=True)
    pledge.write_text(
        "date: 2026-01-10\ncontributor: la-ruche\ncommon: dokos\namount: 3000\ndue: 2026-09-30\n",
        encoding="utf-8",
    )
    term = Terminal(
        "--lang", "fr", "new", "contribution", "--root", str(root), *RUCHE_DOKOS,
        "--kind", "money", "--reference", "VIR-1",
    )  # fmt: skip
    try:
        term.expect("need")
        term.answer("")
        term.expect("amount: ")
        term.answer("1200,50")
        # 3,000 promised, nothing paid yet: all of it still to pay (in French figures)
        assert "1. ruche-dokos" in term.expect("pledge: ")
        term.answer("1")
        term.expect(f"{C}2026-03-14-la-ruche-dokos.yaml")
    finally:
        code = term.close()
    assert code == 0
    text = (root / C / "2026-03-14-la-ruche-dokos.yaml").read_text(encoding="utf-8")
    assert "amount: 1200.50\n" in text and "pledge: ruche-dokos\n" in text
    assert check(root).exit_code == 0


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The ledger's files read from disk, in order; runs start 10 s after now, so that the
    files just written are settled and the record cache vouches for them by their stamps
    (see test_memo's _runs_start_later)."""
    from cofi import listing, loader

    monkeypatch.setattr(listing, "clock", lambda: time.time_ns() + 10_000_000_000)
    read: list[str] = []
    real = loader._read_bytes

    def counted(at: str | Path, rel: str) -> bytes:
        read.append(rel)
        return real(at, rel)

    monkeypatch.setattr(loader, "_read_bytes", counted)
    return read


def test_a_new_entry_reads_each_file_of_the_ledger_once(root, reads) -> None:
    """`cofi new` reads the ledger for its choices, then checks it before and after the
    new file: each file is read once, the second and third times through the record
    cache (a national ledger's 100,000 files were read three times)."""
    result = new(root, "contribution", *RUCHE_DOKOS, "--amount", "10")
    assert result.exit_code == 0, result.output
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.yaml"))
    assert sorted(reads) == [f for f in files if f != C + "2026-03-14-la-ruche-dokos.yaml"]


def test_a_new_entry_reads_the_ledger_through_the_record_cache(root, reads) -> None:
    """After `cofi check` filled the record cache, `cofi new` reads no file of the ledger
    again (at 100,000 contributions: 3.7 s instead of 9.3)."""
    assert check(root).exit_code == 0
    reads.clear()
    result = new(root, "contribution", *RUCHE_DOKOS, "--amount", "10")
    assert result.exit_code == 0, result.output
    assert reads == []
    assert (root / C / "2026-03-14-la-ruche-dokos.yaml").exists()
    # The entry the cache let through is one that cofi check accepts.
    assert (check(root).exit_code, check(root).stdout) == (0, "")
