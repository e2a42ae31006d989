"""Real temporary git repositories for the tests of `cofi check --base` and `--at`.

Each commit names its author; the repository ignores the user's own git
configuration (no signing, no hooks, no global identity), so the tests behave
the same on every machine.
"""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path


class GitRepo:
    """A git repository at `path` (created with a `main` branch) holding ledger files."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.git("config", "commit.gpgsign", "false")
        self.git("config", "core.hooksPath", "/dev/null")

    def git(self, *args: str, email: str = "nobody@example.org") -> str:
        """Run git in the repository as `email` (author and committer); return its stdout."""
        env = {
            **os.environ,
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": email.split("@")[0],
            "GIT_AUTHOR_EMAIL": email,
            "GIT_COMMITTER_NAME": email.split("@")[0],
            "GIT_COMMITTER_EMAIL": email,
        }
        done = subprocess.run(
            ["git", *args], cwd=self.path, env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, f"git {' '.join(args)} failed:\n{done.stderr}"
        return done.stdout

    def write(self, files: dict[str, str]) -> None:
        """Write {path: YAML text} (dedented) into the working tree."""
        for rel, text in files.items():
            target = self.path / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")

    def read(self, rel: str) -> str:
        return (self.path / rel).read_text(encoding="utf-8")

    def remove(self, rel: str) -> None:
        (self.path / rel).unlink()

    def link(self, rel: str, target: str) -> None:
        """Make `rel` a symbolic link to `target` (as written: relative to `rel`'s folder)."""
        where = self.path / rel
        where.parent.mkdir(parents=True, exist_ok=True)
        if where.is_symlink() or where.exists():
            where.unlink()
        where.symlink_to(target)

    def gitlink(self, rel: str, commit: str) -> None:
        """Stage a submodule entry (a gitlink to `commit`) at `rel`, as `git submodule add`
        records it, without cloning anything."""
        self.git("update-index", "--add", "--cacheinfo", f"160000,{commit},{rel}")

    def rename(self, old: str, new: str) -> None:
        target = self.path / new
        target.parent.mkdir(parents=True, exist_ok=True)
        (self.path / old).rename(target)

    def commit(
        self, email: str, message: str = "ledger", files: dict[str, str] | None = None
    ) -> str:
        """Write `files` (if any), stage everything and commit as `email`; return the hash."""
        if files:
            self.write(files)
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, email=email)
        return self.git("rev-parse", "HEAD").strip()

    def branch(self, name: str, start: str = "HEAD") -> None:
        """Create branch `name` at `start` and check it out."""
        self.git("checkout", "-q", "-b", name, start)

    def checkout(self, name: str) -> None:
        self.git("checkout", "-q", name)

    def merge(self, branch: str, email: str) -> str:
        """Merge `branch` into the current branch with a merge commit made by `email`."""
        self.git("merge", "-q", "--no-ff", "--no-edit", branch, email=email)
        return self.git("rev-parse", "HEAD").strip()
