"""`cofi check`: validate the whole ledger and report every problem."""

from __future__ import annotations

import os
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cofi.cli.options import (
    AsOf,
    NoCache,
    Output,
    Query,
    Root,
    WorkingTree,
    fail,
    open_cache,
    reason,
    remember_revision,
    resolve_date,
    resolve_root,
    write_file,
    write_stdout,
)
from cofi.i18n import N_, _

if TYPE_CHECKING:
    from datetime import date

    from cofi.loader import Loaded
    from cofi.problems import Problem


class CheckFormat(StrEnum):
    text = "text"
    github = "github"
    gitlab = "gitlab"
    json = "json"


CHECK_HELP = N_(
    """Check every file of the ledger and report every problem, with file, line and column.

Quiet when all is well (one summary line). With --base, also check what a pull
request changed against git history. Exit status: 0 no errors, 1 errors found,
2 could not run.

Example: cofi check --base origin/main --actor "$GITHUB_ACTOR" --format github"""
)


def check(
    root: Root = None,
    as_of: AsOf = None,
    format: Annotated[
        CheckFormat,
        typer.Option(
            "--format",
            "-f",
            help=_(
                "text for people, github for Actions annotations, gitlab for a Code Quality "
                "report, json for programs."
            ),
        ),
    ] = CheckFormat.text,
    output: Output = None,
    base: Annotated[
        str | None,
        typer.Option(
            "--base",
            help=_(
                "Also apply the git rules to what changed since this "
                "revision (e.g. origin/main): entries are never edited, additions are "
                "vouched for."
            ),
            show_default=False,
            metavar="REV",
        ),
    ] = None,
    head: Annotated[
        str | None,
        typer.Option(
            "--head",
            help=_("With --base: check this revision instead of the working tree."),
            show_default=False,
            metavar="REV",
        ),
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option(
            "--actor",
            help=_(
                "With --base: the forge login that made the change, as CI knows it "
                "(e.g. $GITHUB_ACTOR); it alone vouches for what was changed, and commit "
                "emails count for nothing. Without it, the commits' author emails are "
                "trusted as written."
            ),
            show_default=False,
            metavar="LOGIN",
        ),
    ] = None,
    no_cache: NoCache = False,
    path_prefix: Annotated[
        str,
        typer.Option(
            "--path-prefix",
            help=_(
                "Put this folder before each path (e.g. ledger/ when the ledger is a "
                "sub-folder of the repository), so that github and gitlab annotations point "
                "at the repository's files."
            ),
            metavar="DIR/",
        ),
    ] = "",
    summary: Annotated[
        Path | None,
        typer.Option(
            "--summary",
            help=_(
                "Also append the full report as Markdown to this file (e.g. $GITHUB_STEP_SUMMARY)."
            ),
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
) -> None:
    from cofi import render

    where = resolve_root(root)
    today = resolve_date(as_of)
    if base is None:
        if head is not None or actor is not None:
            raise fail(_("--head and --actor go with --base REV"))
        tree = WorkingTree(where, no_cache)
        problems, files = tree.remember(
            Query("check", today, today), lambda: _found(tree.validate(today)), _all_read
        )
    else:
        from cofi.history import GitError

        if actor is not None and not actor.strip():
            raise fail(_("--actor is empty: pass the forge login CI knows (e.g. $GITHUB_ACTOR)"))

        try:
            problems, files = _checked_change(where, today, base, head, actor, no_cache)
        except GitError as e:
            raise fail(str(e)) from None
    if path_prefix:
        prefix = path_prefix.rstrip("/") + "/"
        problems = [
            replace(p, source=replace(p.source, path=prefix + p.source.path)) for p in problems
        ]
    body = {
        CheckFormat.text: render.problems_text,
        CheckFormat.github: render.problems_github,
        CheckFormat.gitlab: render.problems_gitlab,
        CheckFormat.json: render.problems_json,
    }[format](problems)
    if summary is not None:
        write_file(summary, render.problems_markdown(problems, files), append=True)
    if output is not None:
        write_file(output, body)
    elif body:
        write_stdout(body)
    if base is not None and actor is None:
        typer.echo(_("note: {note}").format(note=_(UNAUTHENTICATED)), err=True)
    typer.echo(render.summary(problems, files), err=True)
    if any(p.severity == "error" for p in problems):
        raise typer.Exit(1)


UNAUTHENTICATED = N_(
    "without --actor, authorship was not authenticated: the commits' author emails were "
    "taken as written, and anyone can commit under any email (CI passes the forge login "
    "with --actor)"
)


def _checked_change(
    where: Path, today: date, base: str, head: str | None, actor: str | None, no_cache: bool
) -> tuple[list[Problem], int]:
    """`cofi check --base`: git says what changed, cheaply; the whole report is then
    reused while the files (or the head revision) and all git says are as they were.

    What git says is asked in two short processes (`history.state`), not by working out
    the change: on a working tree, that would mean git looking at every file again, which
    the walk already did."""
    from cofi.history import state

    def checked(commits: tuple[str, str] | None) -> tuple[list[Problem], int]:
        from cofi.revisions import check_revision_change, check_working_change

        if head is not None:
            return _found(check_revision_change(where, today, base, head, actor, commits))
        assert tree is not None and tree.listing is not None
        # The record cache is opened only when the memo cannot serve: reading it costs.
        cache = open_cache(where, no_cache)
        return _found(check_working_change(where, today, base, tree.listing, cache, actor, commits))

    tree = WorkingTree(where, no_cache) if head is None else None
    # Asked even without the memo: an unknown revision is said at once, not after a load.
    git = state(where, [base, head or "HEAD"], os.environ, tree.listing if tree else None)
    if git is None:  # the long way, which also says what is wrong
        return checked(None)
    base_rev, head_rev = git.commits
    if no_cache or not git.settled:
        return checked((base_rev, head_rev))
    facts = (("actor", repr(actor)), ("base", base), *(("git", fact) for fact in git.facts))
    if tree is not None:
        query = Query("check --base", today, today, options=facts)
        return tree.remember(query, lambda: checked((base_rev, head_rev)), _all_read)
    query = Query("check --base --head", today, today, options=facts)
    return remember_revision(
        where, no_cache, head_rev, query, lambda: checked((base_rev, head_rev)), _all_read
    )


def _found(loaded: Loaded) -> tuple[list[Problem], int]:
    """What `cofi check` reports of a load: its problems and how many files it read."""
    return loaded.problems, loaded.files


def _all_read(found: tuple[list[Problem], int]) -> bool:
    """Whether a report may be kept for the next run: not when a file could not be read
    (F003), which may be a passing failure (a busy network disk, a locked file)."""
    return not any(p.code == "F003" for p in found[0])


SCHEMA_HELP = N_(
    """Print the JSON Schema of a record kind, for editors and other validators.

Point your editor at it with a first line like
`# yaml-language-server: $schema=../../schemas/contribution.json`.

Example: cofi schema --output schemas"""
)


def schema(
    kind: Annotated[
        str | None,
        typer.Argument(
            help=_(
                "settings, contributor, common, programme, contribution, pledge, "
                "disbursement, receipt or reversal (default: all, with --output)."
            ),
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help=_("Write every kind's schema as DIR/<kind>.json."),
            file_okay=False,
            show_default=False,
        ),
    ] = None,
) -> None:
    from cofi.schema import KINDS, schema_text

    if kind is not None and kind not in KINDS:
        text = _("unknown record kind '{kind}'; kinds are: {kinds}")
        raise fail(text.format(kind=kind, kinds=", ".join(KINDS)))
    if output is None:
        if kind is None:
            raise fail(_("name a kind (e.g. cofi schema contribution) or pass --output DIR"))
        write_stdout(schema_text(kind))
        return
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise fail(
            _("cannot write {path}: {reason}").format(path=output, reason=reason(e))
        ) from None
    for name in [kind] if kind else list(KINDS):
        write_file(output / f"{name}.json", schema_text(name))
        typer.echo(_("wrote {path}").format(path=output / f"{name}.json"))
