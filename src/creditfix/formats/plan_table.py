"""The plan on a terminal: a summary panel, the steps by horizon, strengths, dates, not assessed.

Written to be read top to bottom in under a minute: the first screen says the grade, the few
numbers that matter and what to do now. The default view gives each step two lines, what is wrong
(the title, with its number) and what to do (the rule's one-line ``brief``), and the date the step
clears if the plan is followed; then the grade path, strengths on one line, the clean-by dates and
what could not be assessed. ``details`` gives each step whole (its action, why, evidence, rule id
and basis) and the timeline month by month, as markdown and JSON always do. Colour only marks
severity; the words carry the meaning, so the output reads the same without colour (``NO_COLOR``,
a pipe).
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from creditfix.formats.labels import labels
from creditfix.formats.plan_doc import (
    PAID_DOWN,
    clean_record,
    evidence_text,
    headline,
    nothing_to_fix,
    recovery_line,
    recovery_lines,
    step_groups,
    summary_parts,
    unassessed_groups,
    window_text,
)
from creditfix.formats.richtext import rich_text
from creditfix.plan import Plan, Step
from creditfix.rules.consts import SEVERITIES

#: Strengths the short view names (the rest are counted; ``details`` lists them all with reasons).
_STRENGTHS_SHOWN = 3
_STYLES = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}


def render_plan_table(plan: Plan, console: Console, *, details: bool = False) -> None:
    """Print *plan* to *console*: the short view, or with *details* every step and reason whole."""
    words = labels(plan.lang)
    who = plan.profile.client.id or "profile"
    summary = [Text(headline(plan), style="bold"), Text(_packed(summary_parts(plan), console.width - 4))]
    if details:
        packs = f"{words['packs']}{words['sep']}" + ", ".join(f"{n} {v}" for n, v in plan.packs)
        summary.append(Text(packs, style="dim"))
    title = rich_text(words["plan_title"].format(who=who, date=plan.as_of.isoformat()))
    console.print(Panel(Group(*summary), title=title, title_align="left"))
    if not plan.steps:
        console.print(rich_text(nothing_to_fix(plan)))
    (_full_steps if details else _short_steps)(plan, console)
    if plan.recovery is not None and plan.steps and not details:
        unavailable = plan.recovery.unavailable is not None
        if unavailable or plan.recovery.payment > 0 or plan.recovery.catch_up > 0:  # not when nothing is owed
            console.print(Text(recovery_line(plan), style="dim" if unavailable else "bold"))
    elif plan.recovery is not None and plan.steps:
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
    if plan.strengths and details:
        console.print(Text(words["strengths"], style="bold"))
        for strength in plan.strengths:
            console.print(Text.assemble("  ✓ ", (strength.title, "green"), f" — {strength.why}"))
    elif plan.strengths:
        line = Text.assemble((words["strengths"] + words["sep"], "bold"))
        for number, strength in enumerate(plan.strengths[:_STRENGTHS_SHOWN]):
            line.append_text(Text.assemble(" · " if number else "", ("✓ ", "green"), strength.title))
        if len(plan.strengths) > _STRENGTHS_SHOWN:
            line.append(words["more_strengths"].format(n=len(plan.strengths) - _STRENGTHS_SHOWN))
        console.print(line)
    if plan.clean_by:
        table = Table(title=rich_text(words["clean_by"], "table.title"), title_justify="left")
        for column in ("debt", "record", "since", "clears"):
            table.add_column(rich_text(words[column]))
        for debt, *texts in _clean_rows(plan, grouped=not details):
            table.add_row(Text(debt), *map(rich_text, texts))
        console.print(table)
    if plan.inquiry_windows:
        console.print(Text(words["windows"], style="bold"))
        for window in plan.inquiry_windows:
            console.print(rich_text(f"  {window_text(plan, window)}"))
    if plan.not_assessed and details:
        console.print(Text(words["not_assessed"], style="bold"))
        for ids, missing, fix in unassessed_groups(plan):
            console.print(Text(f"  {', '.join(ids)} — {missing} ({words['add']}{words['sep']}{fix})", style="dim"))
    elif plan.not_assessed:  # one line: what to add; which rules and why with --details
        fixes = dict.fromkeys(f for _, _, fix in unassessed_groups(plan) for f in fix.split("; "))
        n = len(plan.not_assessed)
        to_add = words["not_assessed_short"].format(n=n, s="" if n == 1 else "s", fixes=words["list_sep"].join(fixes))
        console.print(Text(to_add, style="dim"))
    if plan.not_applicable and details:
        inapplicable = ", ".join(u.rule_id for u in plan.not_applicable)
        console.print(Text(f"{words['not_applicable']}{words['sep']}{inapplicable}", style="dim"))
    if not details and plan.steps:
        console.print(Text(words["more"], style="dim"))


def _clean_rows(plan: Plan, *, grouped: bool) -> list[tuple[str, str, str, str]]:
    """The clean-by table's rows; *grouped*: a debt's dated late records in one row (``3 late
    records``, first and last month, first and last date), not a row each."""
    words = labels(plan.lang)
    rows = [clean_record(plan, item) for item in plan.clean_by]
    if not grouped:
        return rows
    runs: dict[str, list[int]] = {}
    for index, item in enumerate(plan.clean_by):
        if item.item == "late" and item.clean_by is not None:
            runs.setdefault(item.debt_id, []).append(index)
    merged = {}
    for indices in runs.values():
        if len(indices) > 1:
            dated = sorted((plan.clean_by[i] for i in indices), key=lambda c: (c.since, c.clean_by))
            first, last = dated[0], dated[-1]
            merged[indices[0]] = (
                rows[indices[0]][0],
                words["late_records"].format(n=len(indices)),
                f"{first.since} – {last.since}",
                f"{first.clean_by} – {last.clean_by}",
            )
    skipped = {i for indices in runs.values() if len(indices) > 1 for i in indices[1:]}
    return [merged.get(i, row) for i, row in enumerate(rows) if i not in skipped]


def _packed(parts: list[str], width: int) -> str:
    """*parts* joined with `` · ``, a line break between two parts rather than inside one (a label
    apart from its number reads wrong), lines at most *width* cells where a part fits."""
    lines: list[str] = []
    for part in parts:
        if lines and cell_len(lines[-1]) + 3 + cell_len(part) <= width:
            lines[-1] += " · " + part
        else:
            lines.append(part)
    return "\n".join(lines)


def _short_steps(plan: Plan, console: Console) -> None:
    """Each step in two lines: what is wrong (and when it clears), what to do."""
    words = labels(plan.lang)
    clears = _clears(plan)
    severity_width = max(cell_len(words["sev." + s]) for s in SEVERITIES)  # one width for every horizon
    number = 0  # steps are numbered in the order they are read (see step_groups)
    for heading, steps in step_groups(plan):
        console.print(rich_text(heading, "table.title"))
        table = Table(show_header=False, box=None, padding=(0, 1), expand=True)
        table.add_column(justify="right", no_wrap=True, width=3)
        table.add_column(no_wrap=True, width=severity_width)
        table.add_column(ratio=1)
        for step in steps:
            number += 1
            body = Text(step.title, style="bold", overflow="fold")
            if step.rule_id in clears:
                body.append(" · " + clears[step.rule_id], style="green")
            if step.severity != "info":  # a note's title says it; its action is in the details
                body.append("\n" + step.brief)
            severity = Text(words["sev." + step.severity], style=_STYLES[step.severity])
            table.add_row(Text(str(number)), severity, body)
        console.print(table)


def _clears(plan: Plan) -> dict[str, str]:
    """What each step's finding does if the plan is followed: clears (or eases to a milder one) on
    a date, or, for one that paying could clear (cards, debt ratio, overdue), not within the timeline."""
    if plan.recovery is None or plan.recovery.unavailable is not None:
        return {}
    words = labels(plan.lang)
    categories = {step.rule_id: step.category for step in plan.steps}
    out = {}
    for m in plan.recovery.milestones:
        if m.on is not None:
            out[m.rule_id] = words["step_clears" if m.eased_to is None else "step_eases"].format(date=m.on.isoformat())
        elif categories.get(m.rule_id) in PAID_DOWN:
            out[m.rule_id] = words["not_within"].format(months=plan.recovery.months)
    return out


def _full_steps(plan: Plan, console: Console) -> None:
    """Each step whole: title, action, inquiry windows, why, evidence, rule id and basis."""
    words = labels(plan.lang)
    number = 0
    for heading, steps in step_groups(plan):
        title = rich_text(heading, "table.title")
        table = Table(title=title, title_justify="left", show_header=False, expand=True, show_lines=True)
        table.add_column("#", justify="right", no_wrap=True, width=3)
        table.add_column(words["steps"], ratio=1)
        for step in steps:
            number += 1
            table.add_row(Text(str(number)), _full_step(plan, step))
        console.print(table)


def _full_step(plan: Plan, step: Step) -> Text:
    words = labels(plan.lang)
    body = Text(overflow="fold")
    body.append(f"[{words['sev.' + step.severity]}] ", style=_STYLES[step.severity])
    body.append(step.title, style="bold")
    body.append("\n" + step.action)
    for window in step.windows:
        body.append("\n" + window_text(plan, window, short=True))
    body.append(f"\n{words['why']}{words['sep']}{step.why}", style="dim")
    basis = words["basis." + step.basis]
    evidence = evidence_text(plan, step.evidence, step.at_least)
    body.append(
        f"\n{words['evidence']}{words['sep']}{evidence} · {step.rule_id}" + words["paren"].format(basis), style="dim"
    )
    return body
