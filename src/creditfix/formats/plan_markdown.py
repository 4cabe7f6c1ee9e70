"""The plan as Markdown, for sharing (an advisor's email, an issue, a note)."""

from __future__ import annotations

from creditfix.formats.labels import labels
from creditfix.formats.plan_doc import (
    clean_record,
    evidence_text,
    headline,
    nothing_to_fix,
    recovery_lines,
    step_groups,
    summary_line,
    unassessed_groups,
    window_text,
)
from creditfix.plan import Plan

#: How a built-in rule's source names the project's own fact sheet: the reader of a plan has only the
#: sources it cites.
_INTERNAL = "DOMAIN.md: "


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_plan_markdown(plan: Plan) -> str:
    """The whole plan as one Markdown document."""
    words = labels(plan.lang)
    who = plan.profile.client.id or "profile"
    lines = [f"# {words['plan_title'].format(who=who, date=plan.as_of.isoformat())}", ""]
    lines += [f"**{headline(plan)}**", "", summary_line(plan), ""]
    lines += [f"{words['packs']}{words['sep']}" + ", ".join(f"{n} {v}" for n, v in plan.packs), ""]
    if not plan.steps:
        lines += [nothing_to_fix(plan), ""]
    number = 0  # steps are numbered in the order they are read (see step_groups)
    for heading, steps in step_groups(plan):
        lines += [f"## {heading}", ""]
        for step in steps:
            number += 1
            lines.append(f"{number}. **{step.title}** ({words['sev.' + step.severity]})  ")
            lines.append(f"   {step.action}  ")
            for window in step.windows:
                lines.append(f"   {window_text(plan, window, short=True)}  ")
            lines.append(f"   *{words['why']}{words['sep'].rstrip()}* {step.why}  ")
            basis = words["basis." + step.basis]
            evidence = evidence_text(plan, step.evidence, step.at_least)
            lines.append(
                f"   *{words['evidence']}{words['sep'].rstrip()}* {evidence} — "
                f"{words['rule']} `{step.rule_id}`, {basis}: {step.source.removeprefix(_INTERNAL)}"
            )
        lines.append("")
    if plan.recovery is not None and plan.steps:
        how, rows, path = recovery_lines(plan)
        if rows:
            lines += [f"## {words['recovery']}", "", how[:1].upper() + how[1:], ""]
            lines += [f"- **{when}** — {title}" + (f" ({change})" if change else "") for when, title, change in rows]
            lines += ["", path, ""]
        else:
            lines += [f"*{how}*", ""]
    if plan.strengths:
        lines += [f"## {words['strengths']}", ""]
        lines += [f"- **{s.title}** — {s.why}" for s in plan.strengths]
        lines.append("")
    if plan.clean_by:
        lines += [f"## {words['clean_by']}", ""]
        lines += [
            f"| {words['debt']} | {words['record']} | {words['since']} | {words['clears']} |",
            "|---|---|---|---|",
        ]
        for item in plan.clean_by:
            debt, record, since, clears = clean_record(plan, item)
            lines.append(f"| {_cell(debt)} | {record} | {since} | {clears} |")
        lines.append("")
    if plan.inquiry_windows:
        lines += [f"## {words['windows']}", ""]
        lines += [f"- {window_text(plan, w)}" for w in plan.inquiry_windows]
        lines.append("")
    if plan.not_assessed:
        lines += [f"## {words['not_assessed']}", ""]
        for ids, missing, fix in unassessed_groups(plan):
            rules = ", ".join(f"`{i}`" for i in ids)
            lines.append(f"- {rules} — {missing} ({words['add']}{words['sep']}{fix})")
        lines.append("")
    if plan.not_applicable:
        inapplicable = ", ".join(f"`{u.rule_id}`" for u in plan.not_applicable)
        lines += [f"*{words['not_applicable']}{words['sep'].rstrip()}* {inapplicable}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"
