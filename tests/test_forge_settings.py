"""`forge:` in ledger/settings.yaml (docs/declare.md): where the report's forms send a new
file. What is accepted, what is refused (S015, S006), and the links made from it."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from pydantic import ValidationError

from cofi.html.declare import new_file_link
from cofi.model import Forge, Settings


def forge(**fields: str) -> Forge:
    return Settings.model_validate({"forge": fields}).forge  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("repository", "software"),
    [
        ("https://github.com/france-tiers-lieux/communs", "github"),
        ("https://gitlab.com/ftl/communs", "gitlab"),
        ("https://framagit.org/ftl/communs", "gitlab"),
        ("https://codeberg.org/ftl/communs", "gitea"),
        ("https://GitHub.com/ftl/communs", "github"),  # host names have no case
    ],
)
def test_the_software_of_a_known_host_goes_without_saying(repository: str, software: str) -> None:
    f = forge(repository=repository)
    assert f.software == software and f.branch == "main" and f.folder is None


def test_a_host_of_ones_own_says_its_software() -> None:
    assert forge(repository="https://git.example.org/a/b", kind="gitea").software == "gitea"
    with pytest.raises(ValidationError, match=r"cannot tell which software git\.example\.org"):
        forge(repository="https://git.example.org/a/b")


@pytest.mark.parametrize(
    "fields",
    [
        {"repository": "http://github.com/a/b"},  # not https
        {"repository": "https://github.com/a"},  # no repository name
        {"repository": "https://github.com/a/b/"},  # trailing slash
        {"repository": "https://github.com/a/b.git"},  # a clone address
        {"repository": "https://github.com/a/b?tab=x"},
        {"repository": "https://github.com/a/b", "branch": "ma..in"},
        {"repository": "https://github.com/a/b", "branch": "feature branch"},
        {"repository": "https://github.com/a/b", "branch": "main.lock"},
        {"repository": "https://github.com/a/b", "folder": "../outside"},
        {"repository": "https://github.com/a/b", "folder": "/absolute"},
        {"repository": "https://github.com/a/b", "kind": "bitbucket"},
        {"repository": "https://github.com/a/b", "token": "x"},  # unknown key
    ],
)
def test_refused(fields: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        forge(**fields)


# The three shapes of link (docs/declare.md gives each one's source).
@pytest.mark.parametrize(
    ("repository", "kind", "expected"),
    [
        ("https://github.com/o/r", None, "https://github.com/o/r/new/dev/x/ledger/contributions/2026"),
        ("https://framagit.org/o/r", None, "https://framagit.org/o/r/-/new/dev/x/ledger/contributions/2026"),
        ("https://git.ex.org/o/r", "gitea", "https://git.ex.org/o/r/_new/dev/x/ledger/contributions/2026"),
    ],
)  # fmt: skip
def test_new_file_links_by_forge(repository: str, kind: str | None, expected: str) -> None:
    fields = {"repository": repository, "branch": "dev", "folder": "x"}
    f = forge(**fields, **({"kind": kind} if kind else {}))
    link = new_file_link(f, "x/ledger/contributions/2026")
    assert link == expected
    assert not urlsplit(link).query and not parse_qs(urlsplit(link).query)
