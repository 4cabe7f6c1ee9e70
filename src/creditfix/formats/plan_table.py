"""The plan on a terminal: a summary panel, the steps by horizon, strengths, dates, not assessed.

Written to be read top to bottom in under a minute: the first screen says the grade, the few
numbers that matter and what to do now. Each step gives its action whole and the first sentence of
its reason (``details`` gives it whole, as markdown and JSON always do); strengths are one line.
Colour only marks severity; the words carry the meaning, so the output reads the same without
colour (``NO_COLOR``, a pipe).
"""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from creditfix.formats.labels import labels
from creditfix.formats.plan_doc import (
    clean_record,
    evidence_text,
    first_sentence,
    headline,
    nothing_to_fix,
    recovery_lines,
    step_groups,
    summary_line,
    unassessed_groups,
    window_text,
)
from creditfix.formats.richtext import rich_text
from creditfix.plan import Plan

_STYLES = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}


def render_plan_table(plan: Plan, console: Console, *, details: bool = False) -> None:
    """Print *plan* to *console* (*details*: every reason whole, strengths with their reasons)."""
    words = labels(plan.lang)
    who = plan.profile.client.id or "profile"
    packs = f"{words['packs']}{words['sep']}" + ", ".join(f"{n} {v}" for n, v in plan.packs)
    summary = Group(Text(headline(plan), style="bold"), Text(summary_line(plan)), Text(packs, style="dim"))
    title = rich_text(words["plan_title"].format(who=who, date=plan.as_of.isoformat()))
    console.print(Panel(summary, title=title, title_align="left"))
    if not plan.steps:
        console.print(rich_text(nothing_to_fix(plan)))
    cut = False  # a reason was cut to its first sentence
    number = 0  # steps are numbered in the order they are read (see step_groups)
    for heading, steps in step_groups(plan):
        title = rich_text(heading, "table.title")
        table = Table(title=title, title_justify="left", show_header=False, expand=True, show_lines=True)
        table.add_column("#", justify="right", no_wrap=True, width=3)
        table.add_column(words["steps"], ratio=1)
        for step in steps:
            number += 1
            body = Text(overflow="fold")
            body.append(f"[{words['sev.' + step.severity]}] ", style=_STYLES[step.severity])
            body.append(step.title, style="bold")
            body.append("\n" + step.action)
            for window in step.windows:
                body.append("\n" + window_text(plan, window, short=True))
            why = step.why if details else first_sentence(step.why)
            cut = cut or why != step.why
            body.append(f"\n{words['why']}{words['sep']}{why}", style="dim")
            basis = words["basis." + step.basis]
            evidence = evidence_text(plan, step.evidence, step.at_least)
            body.append(
                f"\n{words['evidence']}{words['sep']}{evidence} · {step.rule_id} ({basis})",
                style="dim",
            )
            table.add_row(Text(str(number)), body)
        console.print(table)
    if plan.recovery is not None and plan.steps:
        how, rows, path = recovery_lines(plan)
        if rows:
            console.print(Text(f"{words['recovery']}{words['sep']}{how}", style="italic"))  # full width
            table = Table(show_header=False)
            table.add_column(no_wrap=True)
            table.add_column(ratio=1)
            for when, title, change in rows:
                table.add_row(rich_text(when), Text(title + (f" — {change}" if change else ""), overflow="fold"))
            console.print(table)
            console.print(Text(path))
        else:
            console.print(Text(how, style="dim"))
    if plan.strengths:
        console.print(Text(words["strengths"], style="bold"))
        for strength in plan.strengths:
            console.print(Text.assemble("  ✓ ", (strength.title, "green"), f" — {strength.why}" if details else ""))
    if plan.clean_by:
        table = Table(title=rich_text(words["clean_by"], "table.title"), title_justify="left")
        for column in ("debt", "record", "since", "clears"):
            table.add_column(rich_text(words[column]))
        for item in plan.clean_by:
            debt, *texts = clean_record(plan, item)
            table.add_row(Text(debt), *map(rich_text, texts))
        console.print(table)
    if plan.inquiry_windows:
        console.print(Text(words["windows"], style="bold"))
        for window in plan.inquiry_windows:
            console.print(rich_text(f"  {window_text(plan, window)}"))
    if plan.not_assessed:
        console.print(Text(words["not_assessed"], style="bold"))
        for ids, missing, fix in unassessed_groups(plan):
            console.print(Text(f"  {', '.join(ids)} — {missing} ({words['add']}{words['sep']}{fix})", style="dim"))
    if plan.not_applicable:
        inapplicable = ", ".join(u.rule_id for u in plan.not_applicable)
        console.print(Text(f"{words['not_applicable']}{words['sep']}{inapplicable}", style="dim"))
    if cut:
        console.print(Text(words["cut"], style="dim"))
