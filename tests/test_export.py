"""`cofi export hledger|beancount|scdl`, checked by the real tools: hledger (Debian),
bean-check and frictionless (PyPI, test extras). Each test that needs a tool skips, saying
why, only when the tool is not installed.

On the bundled ledger (figures of ledger/README.md as of 2026-11-28) and on a small
inline ledger whose figures are worked out by hand below.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cofi.cli import app
from cofi.model import siret_is_valid
from cofi.table import chunks
from conftest import write_ledger

MAIN = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-28"
SCDL_SCHEMA = Path(__file__).parent / "scdl-subventions-2.1.1.schema.json"


def tool(name: str) -> str:
    """The program `name`, from this Python's environment first, then PATH; else skip."""
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if found is None:
        hint = {
            "hledger": "apt-get install hledger",
            "bean-check": "pip install beancount (test extra)",
            "frictionless": "pip install frictionless (test extra)",
        }[name]
        pytest.skip(f"{name} is not installed ({hint})")
    return found


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=cwd)


def frictionless(path: Path) -> subprocess.CompletedProcess[str]:
    """`frictionless validate` of the CSV at `path` against the SCDL Table Schema.
    (frictionless refuses absolute paths as unsafe: it runs in the file's folder.)"""
    shutil.copy(SCDL_SCHEMA, path.parent / SCDL_SCHEMA.name)
    program = tool("frictionless")
    args = ("validate", "--json", "--schema", SCDL_SCHEMA.name, path.name)
    return run(program, *args, cwd=path.parent)


def export(book: str, root: Path = MAIN, *args: str, as_of: str = AS_OF):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(
        app, ["export", book, "--root", str(root), "--as-of", as_of, "--no-cache", *args]
    )


def written(book: str, tmp_path: Path, root: Path = MAIN, *args: str, as_of: str = AS_OF) -> Path:
    out = tmp_path / {"hledger": "cofi.journal", "beancount": "cofi.beancount"}.get(
        book, "scdl.csv"
    )
    result = export(book, root, "-o", str(out), *args, as_of=as_of)
    assert result.exit_code == 0, result.output
    return out


def hledger_ok(journal: Path) -> None:
    done = run(tool("hledger"), "-f", str(journal), "check", "-s")
    assert done.returncode == 0, done.stderr


def bean_ok(journal: Path) -> None:
    done = run(tool("bean-check"), str(journal))
    assert done.returncode == 0 and done.stdout == "", done.stdout + done.stderr


def asserted(journal: Path) -> dict[str, Decimal]:
    """account -> the figure the hledger journal asserts for it."""
    found = re.findall(r"^    (\S+)  0 EUR = (-?[0-9.]+) EUR", journal.read_text(), re.M)
    return {account: Decimal(value) for account, value in found}


def balances(journal: Path, query: str) -> dict[str, Decimal]:
    """account -> its balance as hledger itself adds up the postings."""
    done = run(tool("hledger"), "-f", str(journal), "bal", "--flat", "-N", "-E", query)
    assert done.returncode == 0, done.stderr
    out = {}
    for line in done.stdout.splitlines():
        amount, _, account = line.strip().partition("EUR")
        if account.strip():
            out[account.strip()] = Decimal(amount.strip() or "0")
    return out


# ---- the bundled ledger --------------------------------------------------------------------

# README's obligations as of 2026-11-28, each (programme, funder, common): (owed, paid, unmet).
MATCHES = {
    ("pilote-2025", "etat-demo", "communecter"): ("8000.00", "5000.00", "3000.00"),
    ("pilote-2025", "etat-demo", "dokos"): ("15000.00", "15000.00", "0.00"),
    ("pilote-2025", "etat-demo", "loot"): ("4600.00", "0.00", "4600.00"),
    ("pilote-2025", "etat-demo", "movilab"): ("2400.00", "2400.00", "0.00"),
    ("pilote-2026", "etat-demo", "communecter"): ("10400.00", "0.00", "10400.00"),
    ("pilote-2026", "etat-demo", "dokos"): ("11999.98", "0.00", "11999.98"),
    ("pilote-2026", "etat-demo", "loot"): ("8000.00", "0.00", "8000.00"),
    ("pilote-2026", "etat-demo", "movilab"): ("9600.00", "0.00", "9600.00"),
    ("region-2026", "region-demo", "dokos"): ("6000.00", "0.00", "6000.00"),
    ("region-2026", "region-demo", "movilab"): ("4000.00", "0.00", "4000.00"),
}
# Pledges: cantine 4000 − 2500 paid; gare 3000 − 2000; fabrique 5000 − 5000; atelier 4000 −
# 4000 in kind.
PLEDGES = {
    "la-cantine-solidaire:cantine-movilab-2026": "1500.00",
    "la-gare-commune:gare-loot-2026": "1000.00",
    "la-fabrique-du-coin:fabrique-dokos-2026": "0.00",
    "atelier-des-communs:atelier-communecter-2026": "0.00",
}


def expected_assertions() -> dict[str, Decimal]:
    out = {}
    for (programme, funder, common), (owed, paid, unmet) in MATCHES.items():
        out[f"income:match:{funder}:{programme}:{common}"] = -Decimal(owed)
        out[f"assets:commons:{common}:programmes:{programme}"] = Decimal(paid)
        out[f"assets:receivable:match:{funder}:{programme}:{common}"] = Decimal(unmet)
    for pledge, unmet in PLEDGES.items():
        out[f"assets:receivable:pledges:{pledge}"] = Decimal(unmet)
    return out


def test_hledger_accepts_the_bundled_journal_and_its_assertions_are_cofis_figures(
    tmp_path: Path,
) -> None:
    journal = written("hledger", tmp_path)
    hledger_ok(journal)
    assert asserted(journal) == expected_assertions()
    # hledger's own sums of the postings are the same figures (what the assertions check)
    assert balances(journal, "income:match") == {
        k: v for k, v in expected_assertions().items() if k.startswith("income:match")
    }


def test_one_cent_off_in_an_assertion_and_hledger_refuses_it(tmp_path: Path) -> None:
    journal = written("hledger", tmp_path)
    text = journal.read_text()
    line = "assets:receivable:match:etat-demo:pilote-2026:dokos  0 EUR = 11999.98 EUR"
    assert text.count(line) == 1
    journal.write_text(text.replace(line, line.replace("11999.98", "11999.99")))
    done = run(tool("hledger"), "-f", str(journal), "check", "-s")
    assert done.returncode == 1
    assert "balance assertion" in done.stderr and "11999.98" in done.stderr


def test_an_undeclared_account_is_refused_by_hledger_strict(tmp_path: Path) -> None:
    """`check -s` is strict for real: the declarations are what make the journal pass."""
    journal = written("hledger", tmp_path)
    text = journal.read_text()
    declaration = "account expenses:in-kind:dokos  ; type: X\n"
    assert declaration in text
    journal.write_text(text.replace(declaration, ""))
    done = run(tool("hledger"), "-f", str(journal), "check", "-s")
    assert done.returncode == 1 and "expenses:in-kind:dokos" in done.stderr


def test_hledger_finds_an_entry_by_its_code(tmp_path: Path) -> None:
    journal = written("hledger", tmp_path)
    hl = tool("hledger")
    # The typo of 15000 and its reversal: two transactions that cancel out.
    done = run(hl, "-f", str(journal), "print", "code:2026-05-06-tilleuls-movilab")
    assert done.returncode == 0
    assert done.stdout.count("(2026-05-06-tilleuls-movilab)") == 1
    assert "15000.00 EUR" in done.stdout
    done = run(hl, "-f", str(journal), "print", "tag:reverses=2026-05-06-tilleuls-movilab")
    assert "(2026-05-12-tilleuls-movilab-annulation)" in done.stdout
    assert "-15000.00 EUR" in done.stdout
    # A contribution's transaction carries what each programme matched on it.
    done = run(hl, "-f", str(journal), "reg", "code:2026-01-15-fabrique-du-coin-dokos", "match")
    assert "2666.66 EUR" in done.stdout and "2000.00 EUR" in done.stdout


def test_bean_check_accepts_the_bundled_journal(tmp_path: Path) -> None:
    journal = written("beancount", tmp_path)
    bean_ok(journal)
    text = journal.read_text()
    # Asserted at the start of the day after A, with no tolerance.
    assert (
        "2026-11-29 balance Assets:Receivable:Match:Etat-demo:Pilote-2026:Dokos"
        "  11999.98 ~ 0.00 EUR" in text
    )
    assert len(re.findall(r"^2026-11-29 balance ", text, re.M)) == len(expected_assertions())
    assert "^2026-05-12-tilleuls-movilab-annulation" in text


def test_one_cent_off_in_a_balance_and_bean_check_refuses_it(tmp_path: Path) -> None:
    journal = written("beancount", tmp_path)
    text = journal.read_text()
    line = "balance Assets:Receivable:Pledges:La-gare-commune:Gare-loot-2026  1000.00 ~ 0.00 EUR"
    assert text.count(line) == 1
    journal.write_text(text.replace(line, line.replace("1000.00", "1000.01")))
    done = run(tool("bean-check"), str(journal))
    assert done.returncode == 1 and "Balance failed" in done.stdout + done.stderr


def test_one_programme_only(tmp_path: Path) -> None:
    journal = written("hledger", tmp_path, MAIN, "--programme", "pilote-2025")
    hledger_ok(journal)
    figures = asserted(journal)
    assert set(figures) == {k for k in expected_assertions() if ":pilote-2025" in k}
    assert "pledges" not in journal.read_text()
    bean_ok(written("beancount", tmp_path, MAIN, "--programme", "pilote-2025"))


@pytest.mark.parametrize("as_of", ["2025-01-01", "2025-12-31", "2026-05-08", "2027-06-30"])
def test_every_day_gives_books_both_tools_accept(tmp_path: Path, as_of: str) -> None:
    hledger_ok(written("hledger", tmp_path, as_of=as_of))
    bean_ok(written("beancount", tmp_path, as_of=as_of))


IDENTIFIED = (
    *("etat-demo", "region-demo", "dokos-sas", "collectif-loot", "la-serre-hybride"),
    *("association-movilab", "communecter-asso"),
)
"""The bundled ledger's funders and stewards, each given a fictitious SIRET or RNA."""


def _without_identifiers(tmp_path: Path) -> Path:
    """The bundled ledger with the SIRET and RNA of its funders and stewards taken out."""
    root = tmp_path / "demo"
    shutil.copytree(MAIN / "ledger", root / "ledger")
    shutil.copytree(MAIN / "commons", root / "commons")
    for contributor in IDENTIFIED:
        path = root / "ledger" / "contributors" / f"{contributor}.yaml"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if not line.startswith(("siret:", "rna:"))]
        assert len(kept) == len(lines) - 1, contributor
        path.write_text("".join(kept), encoding="utf-8")
    return root


def test_scdl_names_every_missing_identifier(tmp_path: Path) -> None:
    result = export("scdl", _without_identifiers(tmp_path))
    assert result.exit_code == 2
    assert result.stdout == ""
    err = result.stderr
    assert (
        "ledger/contributors/etat-demo.yaml: the funder 'etat-demo' has no SIRET, which the "
        "SCDL file requires (idAttribuant) for the grants of pilote-2025, pilote-2026; "
        'add a line `siret: "..."`' in err
    )
    assert "ledger/contributors/region-demo.yaml: the funder 'region-demo' has no SIRET" in err
    # Loot's two stewards, and the steward of each other common
    for steward in ("collectif-loot", "la-serre-hybride", "dokos-sas", "association-movilab"):
        assert f"ledger/contributors/{steward}.yaml: the steward '{steward}' has neither" in err
    assert "no SCDL file written: 7 values are missing from the ledger." in err


def scdl_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def frictionless_ok(path: Path) -> None:
    done = frictionless(path)
    report = json.loads(done.stdout)
    assert done.returncode == 0 and report["valid"], json.dumps(report, indent=1)[:3000]


def beneficiaries_are_identified(rows: list[dict[str, str]]) -> None:
    """What the Table Schema cannot say: valid SIRET keys, one of SIRET or RNA."""
    for r in rows:
        assert siret_is_valid(r["idAttribuant"])
        assert r["idBeneficiaire"] or r["rnaBeneficiaire"]
        assert not r["idBeneficiaire"] or siret_is_valid(r["idBeneficiaire"])


def test_scdl_of_the_bundled_ledger_with_identifiers(tmp_path: Path) -> None:
    out = written("scdl", tmp_path)
    assert out.read_bytes().startswith(b"nomAttribuant,idAttribuant,dateConvention,")
    frictionless_ok(out)
    rows = scdl_rows(out)
    beneficiaries_are_identified(rows)
    # One row per grant and steward: 10 grants, Loot's (two of them) shared by two stewards.
    assert len(rows) == 12
    # Loot under pilote-2025: 4600.00 shared 2300.00 + 2300.00; under pilote-2026 8000.00.
    loot = [
        (r["dispositifAide"][-11:], r["nomBeneficiaire"], r["montant"])
        for r in rows
        if "Loot" in r["objet"]
    ]
    assert sorted(loot) == sorted(
        [
            ("pilote 2025", "Collectif Loot (fiche fictive de démonstration)", "2300.00"),
            ("pilote 2025", "La Serre Hybride (fictif)", "2300.00"),
            ("pilote 2026", "Collectif Loot (fiche fictive de démonstration)", "4000.00"),
            ("pilote 2026", "La Serre Hybride (fictif)", "4000.00"),
        ]
    )
    total = sum(Decimal(r["montant"]) for r in rows)
    assert total == Decimal("30000.00") + Decimal("39999.98") + Decimal("10000.00")
    # pilote-2025 communecter: paid on 2026-02-25 (5000), 3000 still unmet, due 2026-03-01.
    communecter = next(
        r for r in rows if "Communecter" in r["objet"] and "2025" in r["dispositifAide"]
    )
    assert communecter["datesPeriodeVersement"] == "2026-02-25/2026-03-01"
    assert communecter["conditionsVersement"] == "échelonné"
    # 8000 matched on 9000 contributed: 8000 / 17000 = 0.4705… → 0.47
    assert communecter["pourcentageSubvention"] == "0.47"


def test_a_bad_value_in_the_scdl_file_fails_the_schema(tmp_path: Path) -> None:
    """The schema bites: a comma decimal in montant is refused by frictionless."""
    out = written("scdl", tmp_path)
    rows = scdl_rows(out)
    rows[0]["pourcentageSubvention"] = "1.5"
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    out.write_text(buf.getvalue(), encoding="utf-8")
    done = frictionless(out)
    assert done.returncode != 0 and not json.loads(done.stdout)["valid"]


# ---- a small ledger, worked out by hand ----------------------------------------------------
#
# p1: État, first-come, ratio 1, in kind 0.5, 2026-01-01..2026-06-30, envelope 1000.01,
# 30 days to pay (due 2026-07-30). As of 2026-11-28:
#   c1 2026-02-01 la-ruche 600 money (pledge pr1)  base 600            matched 600.00
#   c2 2026-03-01 le-lab   300 in kind              base 300 × 0.5=150  matched 150.00
#   c3 2026-04-01 le-lab   500 money                base 500, envelope left 1000.01 − 750
#                                                                       matched 250.01
#   c4 2026-04-02 la-ruche 9999, reversed by r1 on 2026-04-03           not eligible
#   c5 2026-08-01 la-ruche 100 (pledge pr1), after the end             not eligible
# owed 600 + 150 + 250.01 = 1000.01; contributed 600 + 300 + 500 = 1400.
# d1 2026-08-15 700; d2 2026-09-01 100 reversed by r2 on 2026-09-02 → paid 700.00,
# unmet 1000.01 − 700 = 300.01.
# pr1 2026-01-10 la-ruche → dokos 1000: paid c1 600 + c5 100 = 700, unmet 300.00.
# Money received by Dokos from contributions: c1 600 + c3 500 + c5 100 = 1200 (c4 reversed).
# SCDL: one grant of 1000.01 to dokos's two stewards: 500.01 to dokos-sas (listed first)
# and 500.00 to dokos-asso; 1000.01 / (1000.01 + 1400) = 0.41666… → 0.42; paid 2026-08-15,
# 300.01 still due 2026-07-30 → 2026-07-30/2026-08-15, échelonné.

SMALL = {
    "ledger/settings.yaml": "name: Petit registre\ncurrency: EUR\n",
    "ledger/contributors/la-ruche.yaml": "name: La Ruche\nkind: tiers-lieu\n",
    "ledger/contributors/le-lab.yaml": "name: Le Lab\nkind: tiers-lieu\n",
    "ledger/contributors/etat.yaml": 'name: État\nkind: public\nsiret: "11000000000007"\n',
    "ledger/contributors/dokos-sas.yaml": (
        'name: Dokos SAS\nkind: private\nsiret: "33000000000001"\n'
    ),
    "ledger/contributors/dokos-asso.yaml": (
        'name: Amis de Dokos\nkind: network\nrna: "W751234567"\n'
    ),
    "commons/dokos.yaml": "name: Dokos\nstewards: [dokos-sas, dokos-asso]\n",
    "ledger/programmes/p1.yaml": """\
        name: Pilote
        funder: etat
        ratio: 1
        in_kind_ratio: 0.5
        start: 2026-01-01
        end: 2026-06-30
        envelope: 1000.01
        allocation: first-come
        payment_days: 30
        decision: DEL-2025-12
        """,
    "ledger/pledges/pr1.yaml": (
        "date: 2026-01-10\ncontributor: la-ruche\ncommon: dokos\namount: 1000\ndue: 2026-12-31\n"
    ),
    "ledger/contributions/c1.yaml": (
        "date: 2026-02-01\ncontributor: la-ruche\ncommon: dokos\namount: 600\npledge: pr1\n"
    ),
    "ledger/contributions/c2.yaml": (
        "date: 2026-03-01\ncontributor: le-lab\ncommon: dokos\namount: 300\nkind: in-kind\n"
    ),
    "ledger/contributions/c3.yaml": (
        "date: 2026-04-01\ncontributor: le-lab\ncommon: dokos\namount: 500\n"
    ),
    "ledger/contributions/c4.yaml": (
        "date: 2026-04-02\ncontributor: la-ruche\ncommon: dokos\namount: 9999\n"
    ),
    "ledger/contributions/r1.yaml": "date: 2026-04-03\nreverses: c4\n",
    "ledger/contributions/c5.yaml": (
        "date: 2026-08-01\ncontributor: la-ruche\ncommon: dokos\namount: 100\npledge: pr1\n"
    ),
    "ledger/disbursements/d1.yaml": "date: 2026-08-15\nprogramme: p1\ncommon: dokos\namount: 700\n",
    "ledger/disbursements/d2.yaml": "date: 2026-09-01\nprogramme: p1\ncommon: dokos\namount: 100\n",
    "ledger/disbursements/r2.yaml": "date: 2026-09-02\nreverses: d2\n",
}


@pytest.fixture
def small(tmp_path: Path) -> Path:
    root = write_ledger(tmp_path / "small", SMALL)
    check = CliRunner().invoke(app, ["check", "--root", str(root), "--as-of", AS_OF])
    assert check.exit_code == 0, check.output
    return root


def test_small_ledger_journals(small: Path, tmp_path: Path) -> None:
    journal = written("hledger", tmp_path, small)
    hledger_ok(journal)
    assert asserted(journal) == {
        "income:match:etat:p1:dokos": Decimal("-1000.01"),
        "assets:commons:dokos:programmes:p1": Decimal("700.00"),
        "assets:receivable:match:etat:p1:dokos": Decimal("300.01"),
        "assets:receivable:pledges:la-ruche:pr1": Decimal("300.00"),
    }
    assert balances(journal, "assets:commons:dokos:contributions") == {
        "assets:commons:dokos:contributions": Decimal("1200.00")
    }
    assert balances(journal, "in-kind") == {
        "expenses:in-kind:dokos": Decimal("300.00"),
        "income:in-kind:dokos:le-lab": Decimal("-300.00"),
    }
    bean_ok(written("beancount", tmp_path, small))


def test_small_ledger_scdl(small: Path, tmp_path: Path) -> None:
    out = written("scdl", tmp_path, small)
    frictionless_ok(out)
    rows = scdl_rows(out)
    beneficiaries_are_identified(rows)
    shared = {
        "nomAttribuant": "État",
        "idAttribuant": "11000000000007",
        "dateConvention": "2026-01-01",
        "referenceDecision": "DEL-2025-12",
        "objet": "Co-investissement public dans le commun « Dokos » (programme « Pilote »)",
        "nature": "aide en numéraire",
        "conditionsVersement": "échelonné",
        "datesPeriodeVersement": "2026-07-30/2026-08-15",
        "idRAE": "",
        "notificationUE": "non",
        "pourcentageSubvention": "0.42",
        "dispositifAide": "Pilote",
    }
    assert rows == [
        {
            **shared,
            "nomBeneficiaire": "Dokos SAS",
            "idBeneficiaire": "33000000000001",
            "rnaBeneficiaire": "",
            "montant": "500.01",
        },
        {
            **shared,
            "nomBeneficiaire": "Amis de Dokos",
            "idBeneficiaire": "",
            "rnaBeneficiaire": "W751234567",
            "montant": "500.00",
        },
    ]


def test_scdl_refuses_a_common_without_steward(small: Path) -> None:
    (small / "commons" / "dokos.yaml").write_text("name: Dokos\n", encoding="utf-8")
    result = export("scdl", small)
    assert result.exit_code == 2
    assert "commons/dokos.yaml: the common 'dokos' has no steward" in result.stderr
    assert "add a line `stewards: [ID]`" in result.stderr


def test_scdl_in_french(small: Path, french: None) -> None:
    (small / "ledger" / "contributors" / "etat.yaml").write_text(
        "name: État\nkind: public\n", encoding="utf-8"
    )
    result = export("scdl", small)
    assert result.exit_code == 2
    said = result.stderr.replace("\u00a0", " ")  # French no-break spaces
    assert "ledger/contributors/etat.yaml : le financeur « etat » n'a pas de SIRET" in said
    assert "aucun fichier SCDL écrit : 1 valeur manque au registre." in said


def test_export_help_has_an_example() -> None:
    result = CliRunner().invoke(app, ["export", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Example: cofi export hledger" in result.output


# ---- docs/fr/comptabilite.md shows what the commands print ----------------------------------

DOC = MAIN / "docs" / "fr" / "comptabilite.md"


def blocks(kind: str) -> list[str]:
    return re.findall(rf"^```{kind}\n(.*?)^```", DOC.read_text(encoding="utf-8"), re.M | re.S)


def test_the_accountants_page_quotes_the_real_journal(tmp_path: Path) -> None:
    journal = written("hledger", tmp_path)
    text = journal.read_text()
    quoted = blocks("journal")
    assert len(quoted) == 2
    for block in quoted:
        for line in block.splitlines():
            assert line in text.splitlines(), line
    done = run(tool("hledger"), "-f", str(journal), "bal", "assets:receivable", "-N", "--tree")
    assert blocks("text") == [done.stdout]


def test_the_accountants_page_quotes_the_real_refusal(tmp_path: Path) -> None:
    [refusal] = [b.strip() for b in blocks("console")]
    assert refusal in export("scdl", _without_identifiers(tmp_path)).stderr.splitlines()


@pytest.mark.parametrize("book", ["hledger", "beancount"])
def test_a_journal_on_standard_output_is_the_file_written(
    book: str, small: Path, tmp_path: Path
) -> None:
    """Both are written a few thousand lines at a time, as the journal is made."""
    printed = CliRunner().invoke(app, ["export", book, "--root", str(small), "--as-of", AS_OF])
    assert printed.exit_code == 0, printed.output
    assert printed.stdout == written(book, tmp_path, small).read_text(encoding="utf-8")


@pytest.mark.parametrize("size", [1, 2, 3, 7])
def test_a_journal_in_parts_has_each_line_once_with_its_line_end(size: int) -> None:
    lines = ["; head", "", "2026-01-01 (c1) x", "    a  1.00 EUR", "    b  -1.00 EUR"]
    parts = list(chunks(lines, size))
    assert len(parts) == -(-len(lines) // size)  # 5 lines: ceil(5 / size) parts
    assert "".join(parts) == "; head\n\n2026-01-01 (c1) x\n    a  1.00 EUR\n    b  -1.00 EUR\n"
    assert list(chunks([], size)) == []
