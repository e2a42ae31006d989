"""The CI recipes (.pre-commit-hooks.yaml, action.yml, ci/gitlab-ci.yml) as a ledger's
repository uses them: every commit checked, deletions included; annotations that point at
the repository's files when the ledger is a sub-folder; a language; no tag that does not
exist."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from typer.testing import CliRunner

from cofi.cli import app

MAIN = Path(__file__).parent.parent
EXAMPLE = MAIN / "examples/two-programmes-stacking"
RECIPES = [MAIN / ".pre-commit-hooks.yaml", MAIN / "action.yml", MAIN / "ci/gitlab-ci.yml"]


def test_the_hook_runs_on_every_commit_and_checks_the_whole_ledger():
    (hook,) = yaml.safe_load((MAIN / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["always_run"] is True and hook["pass_filenames"] is False
    assert "files" not in hook and "types_or" not in hook  # a deletion is a commit too


def test_no_recipe_or_guide_names_a_tag_that_does_not_exist():
    tags = subprocess.run(["git", "tag"], cwd=MAIN, capture_output=True, text=True).stdout
    for path in [*RECIPES, *(MAIN / "docs").glob("*.md")]:
        text = path.read_text(encoding="utf-8")
        assert ("@v0." not in text and "rev: v0." not in text) or "v0." in tags, path


def test_the_action_and_the_gitlab_job_take_a_language_and_a_folder():
    action = yaml.safe_load((MAIN / "action.yml").read_text(encoding="utf-8"))
    assert {"root", "lang"} <= set(action["inputs"])
    script = action["runs"]["steps"][-1]["run"]
    assert "--path-prefix" in script and "rev-parse --show-prefix" in script
    job = yaml.safe_load((MAIN / "ci/gitlab-ci.yml").read_text(encoding="utf-8"))["cofi-check"]
    assert {"COFI_LANG", "COFI_ROOT"} <= set(job["variables"])
    assert "--path-prefix" in job["script"][0]


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=cwd, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip


def test_in_a_sub_folder_annotations_name_the_repositorys_files(tmp_path: Path):
    """A repository with the ledger in `registre/`: what the Action computes as the prefix,
    and github annotations that name `registre/ledger/...`. Then a staged deletion (the hook's
    case): the contributor removed, its entries break, and the hook's command says so."""
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo / "registre")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "ledger")
    ledger = repo / "registre"
    prefix = git(ledger, "rev-parse", "--show-prefix").strip()
    assert prefix == "registre/"
    contributor = sorted((ledger / "ledger/contributors").glob("*.yaml"))[0]
    git(repo, "rm", "-q", str(contributor.relative_to(repo)))  # staged, as for a commit
    hook = subprocess.run(
        [sys.executable, "-m", "cofi", "check", "--format", "github", "--path-prefix", prefix],
        cwd=ledger, capture_output=True, text=True,
    )  # fmt: skip
    assert hook.returncode == 1, hook.stderr
    lines = hook.stdout.splitlines()
    assert lines and all(line.startswith("::error file=registre/ledger/") for line in lines)
    assert "R001" in hook.stdout  # an entry names the contributor that is gone


def test_path_prefix_reaches_every_format_but_text():
    root = MAIN / "tests/fixtures/twenty-mistakes"
    args = ["check", "--root", str(root), "--as-of", "2026-11-28", "--path-prefix", "sub"]
    github = CliRunner().invoke(app, [*args, "--format", "github"]).stdout
    assert github and all(
        line.startswith("::") and "file=sub/" in line for line in github.splitlines()
    )
    gitlab = CliRunner().invoke(app, [*args, "--format", "gitlab"]).stdout
    assert '"path": "sub/' in gitlab and '"path": "ledger' not in gitlab
