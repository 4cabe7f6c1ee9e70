"""Loading, compiling and evaluating rule packs.

``load_packs`` reads packs (built-in names or files) with the same strict YAML reader as profiles,
validates them, and compiles every condition and text template once. ``evaluate`` runs compiled
packs over one client's metrics: each rule either fires (a finding, with the value of every metric
its condition read as evidence), stays silent, or is *not assessed* because a metric it reads is
unavailable, with that metric's reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache, cached_property
from pathlib import Path
from types import CodeType, MappingProxyType
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from pydantic_core import ValidationError  # pydantic's own, without importing pydantic (~5 ms)

from creditfix import caps
from creditfix.errors import RulePackError, UsageError, did_you_mean
from creditfix.load.source import decode_utf8, read_bytes
from creditfix.load.validate import to_input_error
from creditfix.load.yamlsafe import Positions, parse_yaml
from creditfix.metrics import CATALOGUE, Metrics, MetricValue
from creditfix.rules.consts import HORIZONS, LANGS, SEVERITIES
from creditfix.rules.expr import (
    _GLOBALS,
    RESERVED,
    ExprError,
    Expression,
    Kind,
    combine,
    compile_expression,
    decided,
    kinds_from,
    rising_in,
)
from creditfix.rules.template import Template, compile_template

if TYPE_CHECKING:
    from creditfix.rules.schema import Rule, RuleCase

_UNITS = {name: spec.unit for name, spec in CATALOGUE.items()}


def builtin_pack_dir() -> Path:
    """Where the built-in packs are: inside the installed package, or ``rules/`` of a checkout."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "packs"
    return installed if installed.is_dir() else package.parent.parent / "rules"


def builtin_packs() -> dict[str, Path]:
    """Built-in pack names and their files."""
    return {p.stem: p for p in _builtin_pack_files()}


@cache  # the installed package does not change while it runs; a run asks up to three times
def _builtin_pack_files() -> tuple[Path, ...]:
    return tuple(sorted(p for p in builtin_pack_dir().iterdir() if p.name.endswith(".yaml")))


@dataclass(frozen=True)
class CompiledRule:
    """A validated rule with its condition and texts compiled, and where it was defined."""

    rule: Rule
    pack: str
    path: str
    line: int | None
    when: Expression
    reads: frozenset[str]
    texts: Mapping[str, Mapping[str, Template]]

    @property
    def id(self) -> str:
        return self.rule.id

    @cached_property
    def evidence_names(self) -> tuple[str, ...]:
        """The metrics a finding reports as evidence, in name order."""
        return tuple(sorted(self.reads))

    @cached_property
    def rising_in(self) -> frozenset[str]:
        """The metrics in which the condition can only start to hold as they grow (see
        :func:`~creditfix.rules.expr.rising_in`): a lower bound of those may fire the rule."""
        return rising_in(self.when)

    @cached_property
    def rank(self) -> tuple[int, int, int, str]:
        """The plan's ranking key (:mod:`creditfix.plan`): severity, impact (higher first), horizon, id."""
        spec = self.rule
        return (SEVERITIES.index(spec.severity), -spec.impact, HORIZONS.index(spec.horizon), spec.id)

    @cached_property
    def is_strength(self) -> bool:
        return self.rule.kind == "strength"

    def text(self, field: str, lang: str) -> Template | None:
        """The template of *field* in *lang*, falling back to English."""
        by_lang = self.texts.get(field)
        if not by_lang:
            return None
        return by_lang.get(lang) or by_lang.get("en")


@dataclass(frozen=True)
class CompiledPack:
    """A loaded pack: its metadata, effective params and compiled rules."""

    name: str
    version: str
    title: str
    jurisdiction: str | None
    path: str
    params: Mapping[str, object]
    weights: Mapping[str, int] | None
    grades: Mapping[str, int] | None
    rules: tuple[CompiledRule, ...]
    limits: Mapping[str, tuple[str, Decimal]] | None = None
    namespace_params: Mapping[str, object] = field(default_factory=dict)
    #: Programs by the set of available metrics (see :meth:`program`); not an init field, so a
    #: pack derived with ``replace`` starts with its own.
    _programs: dict[frozenset[str], _Program] = field(default_factory=dict, init=False, repr=False, compare=False)

    def program(self, available: frozenset[str]) -> _Program:
        """How to evaluate this pack's rules when exactly *available* metrics have values:
        built once per distinct set of the metrics its rules read (clients of one table share
        one, as do the months of a projection that derives only those) and kept, up to a bound."""
        read = available & self.reads
        found = self._programs.get(read)
        if found is None:
            if len(self._programs) >= _MAX_PROGRAMS:
                self._programs.clear()
            found = self._programs[read] = _Program.build(self.rules, read)
        return found

    @cached_property
    def reads(self) -> frozenset[str]:
        """The metrics the pack's rules read."""
        return frozenset().union(*(rule.reads for rule in self.rules))


#: Distinct metric-availability patterns kept per pack (a batch usually has a handful).
_MAX_PROGRAMS = 256


class _Program(NamedTuple):
    """The rules of a pack that can be assessed with a given set of metrics, compiled into one
    code object returning every condition's value; and those that cannot, with the missing names.

    Of the latter, those whose condition can still be told from the metrics at hand for some
    clients (``a > 1 or b > 2`` without ``b`` holds when ``a > 1`` does) have the conditions under
    which it holds or fails (:func:`~creditfix.rules.expr.decided`) in :attr:`decidable`;
    :attr:`graded` and :attr:`graded_conditions` are what a batch that only grades evaluates:
    the assessable rules, then those of :attr:`decidable` that can fire, by their holding part."""

    assessable: tuple[CompiledRule, ...]
    code: CodeType
    unassessable: tuple[tuple[CompiledRule, tuple[str, ...]], ...]
    decidable: Mapping[int, tuple[Expression | None, Expression | None]]
    graded: tuple[CompiledRule, ...]
    graded_conditions: tuple[Expression, ...]

    @staticmethod
    def build(rules: Sequence[CompiledRule], available: frozenset[str]) -> _Program:
        assessable = tuple(r for r in rules if r.reads.issubset(available))
        unassessable = tuple(
            (r, tuple(n for n in r.evidence_names if n not in available))
            for r in rules
            if not r.reads.issubset(available)
        )
        decidable = {}
        graded, conditions = list(assessable), [r.when for r in assessable]
        for rule, _ in unassessable:
            holds, fails = decided(rule.when, rule.reads - available)
            if holds is not None or fails is not None:
                decidable[id(rule)] = (holds, fails)
            if holds is not None:
                graded.append(rule)
                conditions.append(holds)
        code = combine([r.when for r in assessable])
        return _Program(assessable, code, unassessable, decidable, tuple(graded), tuple(conditions))


def _fail(reason: str, path: str, positions: Positions, loc: tuple[str | int, ...], field: str) -> RulePackError:
    line = None
    for end in range(len(loc), -1, -1):
        if loc[:end] in positions:
            line = positions[loc[:end]][0]
            break
    return RulePackError(reason, path=path, line=line, field=field)


def load_pack(ref: str | Path, *, params: Mapping[str, object] | None = None) -> CompiledPack:
    """Load one pack: a built-in name (``core``, ``cn``, ``us``) or a YAML file path."""
    path = _resolve(ref)
    builtin = not Path(str(ref)).suffix
    display = f"rules/{path.name}" if builtin else str(ref)
    raw = read_bytes(path, cap="pack_bytes")
    if not builtin:
        return _compile_pack(raw, display, params)
    # Built-in packs are compiled once per user and kept (creditfix/cache.py); a user's own pack
    # files, which change as they are written, are always compiled.
    from creditfix import cache

    digest = cache.digest(raw)
    kind = f"pack-{path.stem}"
    name = f"{kind}-" + cache.key(_PACK_MAKERS, display, digest, sorted((params or {}).items()), caps.active())
    cached = cache.load(name)
    if isinstance(cached, CompiledPack):
        return cached
    pack = _compile_pack(raw, display, params)
    cache.store(name, pack, kind=kind)
    return pack


#: The modules whose code decides what a compiled pack holds (the cache key stamps them).
_PACK_MAKERS = (
    "caps",
    "metrics",
    "load.yamlsafe",
    "rules.engine",
    "rules.expr",
    "rules.schema",
    "rules.template",
    "rules.consts",
)


def _compile_pack(raw: bytes, display: str, params: Mapping[str, object] | None) -> CompiledPack:
    from creditfix.rules.schema import Pack  # pydantic's models: only when a pack is compiled

    data, positions = parse_yaml(decode_utf8(raw, display), display)
    if not isinstance(data, dict):
        raise RulePackError("expected a mapping with pack, title and rules", path=display, line=1)
    try:
        pack = Pack.model_validate(data)
    except ValidationError as exc:
        sources = {p: (display, pos[0]) for p, pos in positions.items()}
        raise to_input_error(exc, Pack, sources, display, RulePackError) from None
    if not pack.rules:
        raise RulePackError("the pack has no rules", path=display, line=positions.get(("rules",), (1, 0))[0])
    for name, value in (params or {}).items():
        if name not in pack.params:
            hint = did_you_mean(name, pack.params)
            raise UsageError(f"pack {pack.pack} has no param {name!r}{hint}"[:200], field="params")
        if type(value) is not type(pack.params[name]) and not (
            isinstance(value, (int, Decimal)) and isinstance(pack.params[name], (int, Decimal))
        ):
            raise UsageError(
                f"param {name!r} of pack {pack.pack} takes a value like {pack.params[name]!r}"[:200], field="params"
            )
    effective = {**pack.params, **(params or {})}
    for param in effective:
        if param in CATALOGUE or param in RESERVED:
            raise _fail(
                "a param may not reuse a metric or function name",
                display,
                positions,
                ("params", param),
                f"params.{param}",
            )
    kinds = kinds_from(_UNITS, effective)
    rules = []
    seen: dict[str, int] = {}
    for index, rule in enumerate(pack.rules):
        loc: tuple[str | int, ...] = ("rules", index)
        if rule.id in seen:
            raise _fail(
                f"duplicate rule id (first at rule {seen[rule.id] + 1})", display, positions, (*loc, "id"), rule.id
            )
        seen[rule.id] = index
        rules.append(_compile_rule(rule, pack.pack, display, positions, loc, kinds))
    return CompiledPack(
        name=pack.pack,
        version=pack.version,
        title=pack.title,
        jurisdiction=pack.jurisdiction,
        path=display,
        params=effective,
        weights={str(k): v for k, v in pack.weights.items()} if pack.weights else None,
        grades={str(k): v for k, v in pack.grades.items()} if pack.grades else None,
        rules=tuple(rules),
        limits={str(g): (t.tier, t.income_multiple) for g, t in pack.limits.items()} if pack.limits else None,
    )


def _resolve(ref: str | Path) -> Path:
    text = str(ref)
    if Path(text).suffix.lower() in (".yaml", ".yml"):
        return Path(text)
    known = builtin_packs()
    if text in known:
        return known[text]
    raise UsageError(
        f"no built-in pack {text!r}{did_you_mean(text, known)}; give a .yaml file or one of: {', '.join(known)}"[:200]
    )


def _compile_rule(
    rule: Rule, pack: str, path: str, positions: Positions, loc: tuple[str | int, ...], kinds: Mapping[str, Kind]
) -> CompiledRule:
    try:
        when = compile_expression(rule.when, kinds, want="bool")
    except ExprError as exc:
        raise _fail(str(exc), path, positions, (*loc, "when"), f"{rule.id}.when") from None
    texts: dict[str, dict[str, Template]] = {}
    for field_name in ("title", "action", "brief", "why"):
        by_lang = getattr(rule, field_name)
        if by_lang is None:
            continue
        texts[field_name] = {}
        for lang, text in by_lang.items():
            try:
                texts[field_name][lang] = compile_template(text, kinds)
            except ExprError as exc:
                raise _fail(str(exc), path, positions, (*loc, field_name), f"{rule.id}.{field_name}.{lang}") from None
    for number, case in enumerate(rule.tests):
        for metric in case.metrics:
            if metric not in CATALOGUE:
                raise _fail(
                    f"test {case.name!r}: unknown metric{did_you_mean(metric, CATALOGUE)}"[:160],
                    path, positions, (*loc, "tests", number), f"{rule.id}.tests",
                )  # fmt: skip
    reads = frozenset(n for n in when.names if n in CATALOGUE)
    line = positions.get(loc, (None, 0))[0]
    return CompiledRule(rule, pack, path, line, when, reads, texts)


def load_packs(
    refs: Iterable[str | Path], *, params: Mapping[str, Mapping[str, object]] | None = None
) -> list[CompiledPack]:
    """Load several packs; a rule id defined twice across them is an error."""
    packs: list[CompiledPack] = []
    owners: dict[str, str] = {}
    for ref in refs:
        pack = load_pack(ref, params=(params or {}).get(Path(str(ref)).stem))
        if any(p.name == pack.name for p in packs):
            continue  # the same pack asked for twice (by name and by path): load it once
        for rule in pack.rules:
            if rule.id in owners:
                raise RulePackError(
                    f"duplicate rule id, already defined in {owners[rule.id]}",
                    path=pack.path,
                    line=rule.line,
                    field=rule.id,
                )
            owners[rule.id] = pack.path
        packs.append(pack)
    if not any(p.rules for p in packs):
        raise UsageError("no rules loaded")
    return packs


def default_pack_refs(jurisdiction: str | None) -> list[str]:
    """``core`` plus the built-in pack of the client's jurisdiction, when there is one."""
    refs = ["core"]
    if jurisdiction and jurisdiction.lower() in builtin_packs():
        refs.append(jurisdiction.lower())
    return refs


# --- evaluation --------------------------------------------------------------------------------

_DIVISION = {"when": "division by zero"}
_NO_EVIDENCE: Mapping[str, MetricValue] = MappingProxyType({})


class Finding(NamedTuple):
    """A rule that fired, with the values its condition read; *at_least* names those that are
    lower bounds of the real value (:attr:`Metrics.at_least`)."""

    rule: CompiledRule
    evidence: Mapping[str, MetricValue]
    at_least: frozenset[str] = frozenset()


class NotAssessed(NamedTuple):
    """A rule that could not be evaluated: the metrics it needs that are unavailable, and why.

    A named tuple rather than a dataclass: a client table row can leave most rules unassessed,
    and these are made in the evaluation hot loop.
    """

    rule: CompiledRule
    names: tuple[str, ...]
    reasons: Mapping[str, str]

    @property
    def missing(self) -> dict[str, str]:
        """Each missing metric and why it is unavailable."""
        return {n: self.reasons.get(n, "unavailable") for n in self.names}


@dataclass(frozen=True)
class Evaluation:
    """Everything the packs said about one client."""

    findings: tuple[Finding, ...]
    strengths: tuple[Finding, ...]
    not_assessed: tuple[NotAssessed, ...]
    silent: tuple[CompiledRule, ...]
    namespaces: Mapping[str, Mapping[str, object]]


def evaluate(packs: Sequence[CompiledPack], metrics: Metrics, *, detail: bool = True) -> Evaluation:
    """Run every rule of *packs* over *metrics*.

    ``detail=False`` is for a batch that only grades and ranks: the findings and strengths come
    without evidence, and the silent rules are not listed (those not assessed are: they make a
    grade provisional).
    """
    findings: list[Finding] = []
    strengths: list[Finding] = []
    not_assessed: list[NotAssessed] = []
    silent: list[CompiledRule] = []
    values = metrics.values
    unavailable = metrics.unavailable
    available = frozenset(values)
    namespaces: dict[str, Mapping[str, object]] = {}
    for pack in packs:
        namespace = {**values, **pack.params}
        namespaces[pack.name] = namespace
        program = pack.program(available)
        try:  # every assessable condition in one go; whitelisted at load: no builtins, no attributes
            results = eval(program.code, _GLOBALS, namespace)
        except Exception:  # a division by zero (or worse): rule by rule, to say which
            results = None
        unassessable: Sequence[tuple[CompiledRule, tuple[str, ...]]] = program.unassessable
        if metrics.at_least and unassessable:  # lower bounds may fire a rule that can only rise with them
            unassessable = _on_lower_bounds(unassessable, metrics, namespace, findings, strengths, detail)
        if program.decidable and unassessable:  # told without the missing metrics, for this client
            unassessable = _decide(unassessable, program, values, namespace, findings, strengths, silent, detail)
        if results is None:  # in pack order, as the rules are listed
            left = {id(rule): names for rule, names in unassessable}
            for rule in pack.rules:
                if id(rule) in left:
                    not_assessed.append(NotAssessed(rule, left[id(rule)], unavailable))
                elif rule.reads <= available:
                    _evaluate_one_by_one([rule], values, namespace, findings, strengths, not_assessed, silent)
            continue
        not_assessed.extend(NotAssessed(rule, names, unavailable) for rule, names in unassessable)
        if not detail:
            for rule, fired in zip(program.assessable, results, strict=True):
                if fired:
                    (strengths if rule.is_strength else findings).append(Finding(rule, _NO_EVIDENCE))
            continue
        for rule, fired in zip(program.assessable, results, strict=True):
            if not fired:
                silent.append(rule)
                continue
            finding = Finding(rule, {n: values[n] for n in rule.evidence_names})
            (strengths if rule.is_strength else findings).append(finding)
    return Evaluation(
        tuple(without_superseded(findings)), tuple(strengths), tuple(not_assessed), tuple(silent), namespaces
    )


def without_superseded(findings: Sequence[_F]) -> Sequence[_F]:
    """*findings* less those that another of them supersedes (a rule's ``supersedes``: it says the
    same about the same fact, more precisely). Each finding is a :class:`Finding` or a rule."""
    superseded = {name for f in findings for name in _rule_of(f).rule.supersedes}
    if not superseded:
        return findings
    return [f for f in findings if _rule_of(f).id not in superseded]


def _rule_of(found: Finding | CompiledRule) -> CompiledRule:
    return found.rule if isinstance(found, Finding) else found


_F = TypeVar("_F", Finding, CompiledRule)


def _on_lower_bounds(
    unassessable: Sequence[tuple[CompiledRule, tuple[str, ...]]],
    metrics: Metrics,
    namespace: Mapping[str, object],
    findings: list[Finding],
    strengths: list[Finding],
    detail: bool,
) -> list[tuple[CompiledRule, tuple[str, ...]]]:
    """Fire the rules of *unassessable* whose missing metrics all have lower bounds and whose
    condition can only start to hold as those grow, when it holds for the bounds; the rest (and
    those that stay silent: the real values may still fire them) remain not assessed."""
    bounds = metrics.at_least
    left = []
    for rule, names in unassessable:
        if not names or not all(n in bounds for n in names) or not set(names) <= rule.rising_in:
            left.append((rule, names))
            continue
        try:
            fired = eval(rule.when.code, _GLOBALS, {**namespace, **{n: bounds[n] for n in names}})
        except ArithmeticError:
            fired = False
        if not fired:
            left.append((rule, names))
            continue
        known = {**metrics.values, **bounds}
        evidence = {n: known[n] for n in rule.evidence_names} if detail else _NO_EVIDENCE
        (strengths if rule.is_strength else findings).append(Finding(rule, evidence, frozenset(names)))
    return left


def _decide(
    unassessable: Sequence[tuple[CompiledRule, tuple[str, ...]]],
    program: _Program,
    values: Mapping[str, MetricValue],
    namespace: Mapping[str, object],
    findings: list[Finding],
    strengths: list[Finding],
    silent: list[CompiledRule],
    detail: bool,
) -> list[tuple[CompiledRule, tuple[str, ...]]]:
    """Fire (or silence) the rules of *unassessable* whose condition is decided by the metrics at
    hand whatever the missing ones are; the rest remain not assessed. A finding fired so shows the
    evidence it has."""
    left = []
    for rule, names in unassessable:
        told = _told(*program.decidable.get(id(rule), (None, None)), namespace)
        if told:
            evidence = {n: values[n] for n in rule.evidence_names if n in values} if detail else _NO_EVIDENCE
            (strengths if rule.is_strength else findings).append(Finding(rule, evidence))
        elif told is False:
            silent.append(rule)
        else:
            left.append((rule, names))
    return left


def _told(holds: Expression | None, fails: Expression | None, namespace: Mapping[str, object]) -> bool | None:
    """True when *holds* holds, False when *fails* does, None when neither (or on a division by zero)."""
    try:
        if holds is not None and holds.evaluate(namespace):
            return True
        if fails is not None and fails.evaluate(namespace):
            return False
    except ArithmeticError:
        pass
    return None


def _evaluate_one_by_one(
    rules: Sequence[CompiledRule],
    values: Mapping[str, MetricValue],
    namespace: Mapping[str, object],
    findings: list[Finding],
    strengths: list[Finding],
    not_assessed: list[NotAssessed],
    silent: list[CompiledRule],
) -> None:
    """Evaluate the assessable *rules* one at a time: one whose condition divides by zero is not
    assessed, and says so."""
    for rule in rules:
        try:
            fired = eval(rule.when.code, _GLOBALS, namespace)  # whitelisted at load: no builtins, no attributes
        except ArithmeticError:
            not_assessed.append(NotAssessed(rule, ("when",), _DIVISION))
            continue
        if not fired:
            silent.append(rule)
            continue
        finding = Finding(rule, {n: values[n] for n in rule.evidence_names})
        (strengths if rule.is_strength else findings).append(finding)


# --- a rule's own test cases -------------------------------------------------------------------


@dataclass(frozen=True)
class CaseResult:
    """The outcome of one rule test case."""

    rule: CompiledRule
    case: RuleCase
    outcome: str  # "fires", "silent" or "not assessed"

    @property
    def ok(self) -> bool:
        return self.outcome == ("fires" if self.case.fires else "silent")

    def message(self) -> str:
        """``FILE:LINE: rule-id: case: expected fires, got silent``."""
        expected = "fires" if self.case.fires else "silent"
        where = f"{self.rule.path}:{self.rule.line}" if self.rule.line else self.rule.path
        return f"{where}: {self.rule.id}: {self.case.name}: expected {expected}, got {self.outcome}"


def run_case(pack: CompiledPack, rule: CompiledRule, case: RuleCase) -> CaseResult:
    """Evaluate *rule* on the metric values of *case* (other metrics unavailable)."""
    namespace: dict[str, object] = {**case.metrics, **pack.params, **case.params}
    if not rule.reads <= case.metrics.keys():  # decided without them, as evaluate does, or not assessed
        absent = rule.reads - case.metrics.keys()
        told = _told(*decided(rule.when, absent), namespace)
        if told is not None:
            return CaseResult(rule, case, "fires" if told else "silent")
        return CaseResult(rule, case, f"not assessed (missing {', '.join(sorted(absent))})")
    try:
        fired = bool(rule.when.evaluate(namespace))
    except ArithmeticError:
        return CaseResult(rule, case, "not assessed (division by zero)")
    return CaseResult(rule, case, "fires" if fired else "silent")


LANGUAGES = LANGS


# --- configuration: which rules, at which severity --------------------------------------------


def _matches(rule: CompiledRule, token: str) -> bool:
    spec = rule.rule
    return token in (spec.id, spec.category) or token in spec.aliases or spec.id.startswith(token)


def configure(
    packs: Sequence[CompiledPack],
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    severity: Mapping[str, str] | None = None,
) -> list[CompiledPack]:
    """Keep the rules that *select* names (all if empty) minus those *ignore* names, and apply
    per-rule *severity* overrides. A token that matches no rule is an error: it is a typo."""
    rules = [r for p in packs for r in p.rules]
    for option, tokens in (("select", select), ("ignore", ignore), ("severity", list(severity or {}))):
        for token in tokens:
            if not any(_matches(r, token) for r in rules):
                hint = did_you_mean(token, [r.id for r in rules])
                raise UsageError(f"{token!r} matches no rule id, id prefix or category{hint}"[:200], field=option)
    out = []
    for pack in packs:
        kept = []
        for rule in pack.rules:
            if select and not any(_matches(rule, t) for t in select):
                continue
            if any(_matches(rule, t) for t in ignore):
                continue
            override = next((s for t, s in (severity or {}).items() if _matches(rule, t)), None)
            if override is not None and override != rule.rule.severity:
                rule = replace(rule, rule=rule.rule.model_copy(update={"severity": override}))
            kept.append(rule)
        out.append(replace(pack, rules=tuple(kept)))
    if not any(p.rules for p in out):
        raise UsageError("no rules left after select/ignore")
    return out
