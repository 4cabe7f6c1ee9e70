"""Headings and words of the plan in each language (rule texts come from the packs)."""

from __future__ import annotations

import re

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "plan_title": "Recovery plan for {who} as of {date}",
        "sep": ": ",
        "grade": "Grade {grade}",
        "provisional": "{grade} (provisional)",
        "points": "{points} risk points",
        "no_findings": "no findings",
        "packs": "Packs",
        "steps": "What to do",
        "why": "Why",
        "more": "Each step in full, with why and the evidence: plan --details",
        "not_assessed_short": "Not assessed ({n} rule{s}): add {fixes}.",
        "list_sep": "; ",
        "step_clears": "until {date}",
        "step_eases": "eases {date}",
        "evidence": "Evidence",
        "rule": "rule",
        "strengths": "What is going well",
        "not_assessed": "Not assessed",
        "add": "add",
        "clean_by": "When negative records leave the report",
        "windows": "Inquiry windows over the limit",
        "window_line": (
            "{months}-month window: {count} hard inquiries, limit {limit};"
            " back within it on {date} if you make no new ones"
        ),
        "window_short": "inquiries_{months}m falls to {limit} on {date}",
        "debt": "Debt",
        "record": "Record",
        "since": "Since",
        "clears": "Clears",
        "after_settle": "5 years after it is settled",
        "after_repaid": "5 years after the overdue is repaid",
        "us_unknown": (
            "7 years and 180 days after the delinquency began (add first_delinquency or the history to date it)"
        ),
        "dispute": "should already be gone: dispute it",
        "late": "late {n} month(s)",
        "late_records": "{n} late records",
        "bad_debt": "bad debt",
        "collection": "collection",
        "charged_off": "charge-off",
        "bankruptcy": "bankruptcy",
        "settled": "settled after a delinquency",
        "public_record": "public record",
        "none": "Nothing to fix: keep doing what you do.",
        "none_yet": (
            "Nothing found in what could be assessed, but some rules could not be: add the data listed under"
            " Not assessed before relying on this grade."
        ),
        "unavailable": "n/a",
        "basis.statute": "law",
        "basis.regulator": "regulator or bureau policy",
        "basis.rule-of-thumb": "rule of thumb",
        "sev.critical": "critical",
        "sev.high": "high",
        "sev.medium": "medium",
        "sev.low": "low",
        "sev.info": "info",
        "h.now": "Now",
        "notes": "Good to know",
        "not_applicable": "Nothing to measure (not applicable)",
        "m.debt_to_income": "Debt-to-income",
        "m.revolving_utilization": "Card use",
        "m.max_card_utilization": "Most-used card",
        "m.overdue_amount": "Overdue",
        "m.late_payments_24m": "Late months (24m)",
        "m.inquiries_6m": "Hard inquiries (6m)",
        "m.inquiries_12m": "Hard inquiries (12m)",
        "m.defaulted_balance": "In collection or charged off",
        "no_cards": "no open cards or lines",
        "paren": " ({})",
        "amount_unknown": "on {n} account(s), amount not given",
        "count": "{n} {severity}",
        "count_sep": ", ",
        "more_strengths": " (+{n} more)",
        "m.score": "Score",
        "m.score.sesame": "Sesame score",
        "m.score.fico": "FICO",
        "m.score.vantage": "VantageScore",
        "h.30d": "Within 30 days",
        "h.90d": "Within 3 months",
        "h.6m": "Within 6 months",
        "h.12m": "Within 12 months",
        "recovery": "Recovery timeline, paying on time",
        "recovery_how": (
            "{payment} a month in the plan's order{catch_up}, no new applications for credit{events}. "
            "Paying more than the minimums clears things sooner: plan --extra AMOUNT"
        ),
        "recovery_minimums": "Paying the minimums only ({payment} a month){catch_up}, no new credit{events}",
        "recovery_extra": "Paying {payment} a month ({extra} over the minimums){catch_up}, no new credit{events}",
        "sooner": " (sooner: plan --extra AMOUNT)",
        "grade_path_short": "grade {path}",
        "grade_stays": "grade {grade} for all {months} months",
        "with_events": ", with the profile's {n} event(s)",
        "warning": "Warning: {text}",
        "stop": ". ",
        "heavy": (
            "the timeline assumes {payment} a month, {share} of income: hard to keep up, so ask your lenders early"
            " for a repayment arrangement"
        ),
        "sim_title": "Simulation for {who}: {months} months from {date}",
        "sim_assuming": "Assuming {what}.",
        "sim_plan": "following the plan: {payment} a month, credit-aware order",
        "sim_catch_up": ", {amount} overdue paid in month 1",
        "sim_pay": "paying {fixed} a month and the minimums on the rest",
        "sim_minimums": "paying the minimums on time ({payment} a month)",
        "sim_recur": "the last 12 months' hard inquiries recur at the same pace",
        "sim_no_new": "no new applications for credit",
        "sim_no_new_but": "no new applications for credit but the profile's new debts",
        "sim_events": "{n} event(s) from the profile",
        "sim_left_out": "Months where nothing changes are left out; --format json has every month.",
        "sim_cols": "month|date|grade|risk|balance|util|DTI|over\ndue|late\n24m|inq\n6m|find\nings",
        "sim_finding": "finding",
        "sim_when": "when",
        "sim_what": "what",
        "sim_month": "{date} (month {month})",
        "sim_from": "month {month} on",
        "sim_between": "month {month} to {cleared}",
        "sim_after": "after {months} months",
        "st.clears": "clears",
        "st.passes": "passes",
        "st.appears": "appears",
        "st.stays": "stays",
        "st.returns": "returns",
        "sim_returns": "month {cleared}, back in month {month}",
        "st.escalates": "escalates",
        "st.eases": "eases",
        "sim_eases": "month {month}, eased to {rule}",
        "eased_to": "{change}; then: {title}",
        "sim_escalates": "month {month}, replaced by {rule}",
        "st.unknown": "no longer assessed",
        "sim_unknown": "month {month} (a history is missing)",
        "catch_up": ", {amount} overdue paid now",
        "settle": ", {amount} in collection or charged off paid in full now",
        "left": ", {amount} in collection or charged off left to leave the report (within a year, or past its date)",
        "milestone": "{date} (month {month})",
        "not_within": "not within {months} months",
        "grade_path": "Grade",
        "grade_now": "{grade} now",
        "recovery_unavailable": "No recovery timeline: {reason}",
        "no_apr": "debt {debt}: no apr; give the interest rate (0% if none) to plan payoff",
        "no_min_payment": "debt {debt}: no min_payment; give the minimum monthly payment to plan payoff",
    },
    "zh": {
        "plan_title": "{who} 的信用修复计划（截至 {date}）",
        "sep": "：",
        "grade": "评级 {grade}",
        "provisional": "{grade}（暂定）",
        "points": "风险分 {points}",
        "no_findings": "无问题",
        "packs": "规则包",
        "steps": "行动步骤",
        "why": "原因",
        "more": "每一步的完整做法、原因和依据：plan --details",
        "not_assessed_short": "未评估（{n}条规则）：请补充{fixes}。",
        "list_sep": "；",
        "step_clears": "持续至{date}",
        "step_eases": "{date}起缓解",
        "evidence": "依据数据",
        "rule": "规则",
        "strengths": "做得好的地方",
        "not_assessed": "未能评估",
        "add": "补充",
        "clean_by": "负面记录何时从报告中消除",
        "windows": "超出上限的查询窗口",
        "window_line": "近{months}个月窗口：硬查询{count}次，上限{limit}次；若不再新增查询，将于{date}回落到上限以内",
        "window_short": "inquiries_{months}m 将于 {date} 降至 {limit}",
        "debt": "账户",
        "record": "记录",
        "since": "起始",
        "clears": "消除日期",
        "after_settle": "结清后满5年",
        "after_repaid": "逾期还清后满5年",
        "us_unknown": "自逾期开始起7年零180天（补充 first_delinquency 或还款记录以确定日期）",
        "dispute": "应已删除：可提出异议",
        "late": "逾期{n}个月",
        "late_records": "{n}条逾期记录",
        "bad_debt": "呆账",
        "collection": "催收",
        "charged_off": "核销",
        "bankruptcy": "破产",
        "settled": "逾期后结清",
        "public_record": "公共记录",
        "none": "没有需要修复的问题：请继续保持。",
        "none_yet": (
            "已评估的部分没有发现问题，但有些规则因缺少数据未能评估：请先补充“未能评估”中列出的数据，再参考这个评级。"
        ),
        "unavailable": "无数据",
        "basis.statute": "法规",
        "basis.regulator": "监管或征信机构政策",
        "basis.rule-of-thumb": "行业经验",
        "sev.critical": "严重",
        "sev.high": "高",
        "sev.medium": "中",
        "sev.low": "低",
        "sev.info": "提示",
        "h.now": "立即",
        "notes": "须知",
        "not_applicable": "无可评估内容（不适用）",
        "m.debt_to_income": "负债收入比",
        "m.revolving_utilization": "卡及额度使用率",
        "m.max_card_utilization": "单卡最高使用率",
        "m.overdue_amount": "当前逾期",
        "m.late_payments_24m": "近24个月逾期月数",
        "m.inquiries_6m": "近6个月硬查询",
        "m.inquiries_12m": "近12个月硬查询",
        "m.defaulted_balance": "催收及核销欠款",
        "no_cards": "无在用的卡或额度",
        "paren": "（{}）",
        "amount_unknown": "{n}个账户，金额未填写",
        "count": "{severity}{n}项",
        "count_sep": "、",
        "more_strengths": "（另有{n}项）",
        "m.score": "评分",
        "m.score.sesame": "芝麻分",
        "m.score.fico": "FICO评分",
        "m.score.vantage": "VantageScore评分",
        "h.30d": "30天内",
        "h.90d": "3个月内",
        "h.6m": "6个月内",
        "h.12m": "12个月内",
        "recovery": "按时还款的恢复时间表",
        "recovery_how": (
            "每月按计划顺序还 {payment}{catch_up}，不再申请新的信贷{events}。多还可更快改善：plan --extra 金额"
        ),
        "warning": "注意：{text}",
        "heavy": (
            "时间表假设每月还款{payment}，占收入的{share}，难以长期坚持：请尽早与放贷机构协商还款（个性化分期或延期）"
        ),
        "stop": "。",
        "recovery_minimums": "只还最低还款额（每月 {payment}）{catch_up}，不再申请新的信贷{events}",
        "recovery_extra": "每月还 {payment}（比最低还款额多 {extra}）{catch_up}，不再申请新的信贷{events}",
        "sooner": "（想更快：plan --extra 金额）",
        "grade_path_short": "评级{path}",
        "grade_stays": "{months}个月内评级一直是 {grade}",
        "with_events": "，并计入档案中的{n}个未来事件",
        "sim_title": "{who} 的模拟：自 {date} 起 {months} 个月",
        "sim_assuming": "假设{what}。",
        "sim_plan": "按计划执行：每月还 {payment}，按信用优先顺序还款",
        "sim_catch_up": "，第1个月还清逾期 {amount}",
        "sim_pay": "每月还 {fixed}，其余账户还最低还款额",
        "sim_minimums": "每月按时还最低还款额（每月 {payment}）",
        "sim_recur": "近12个月的硬查询按同样频率重复",
        "sim_no_new": "不再申请新的信贷",
        "sim_no_new_but": "除档案中的新借款外不再申请新的信贷",
        "sim_events": "计入档案中的{n}个未来事件",
        "sim_left_out": "没有变化的月份已省略；--format json 含每个月。",
        "sim_cols": "月|日期|评级|风险|余额|使用率|负债比|逾期|24月\n逾期|6月\n查询|问题",
        "sim_finding": "变化",
        "sim_when": "时间",
        "sim_what": "内容",
        "sim_month": "{date}（第{month}个月）",
        "sim_from": "自第{month}个月起",
        "sim_between": "第{month}至{cleared}个月",
        "sim_after": "{months}个月后",
        "st.clears": "消除",
        "st.passes": "出现后消除",
        "st.appears": "新出现",
        "st.stays": "仍存在",
        "st.returns": "消除后复现",
        "sim_returns": "第{cleared}个月消除，第{month}个月复现",
        "st.escalates": "升级",
        "st.eases": "减轻",
        "sim_eases": "第{month}个月减轻为{rule}",
        "eased_to": "{change}；之后：{title}",
        "sim_escalates": "第{month}个月被{rule}取代",
        "st.unknown": "无法再评估",
        "sim_unknown": "第{month}个月起（缺少还款记录）",
        "catch_up": "，立即还清逾期 {amount}",
        "settle": "，立即全额结清催收及核销欠款 {amount}",
        "left": "，一年内将（或早该）从报告中消除的催收及核销欠款 {amount} 暂不偿还",
        "milestone": "{date}（第{month}个月）",
        "not_within": "{months}个月内不会消除",
        "grade_path": "评级",
        "grade_now": "目前 {grade}",
        "recovery_unavailable": "无法生成恢复时间表：{reason}",
        "no_apr": "债务 {debt} 没有年利率（apr）；请填写利率（无息填 0%）后才能规划还款",
        "no_past_due": "债务 {debt} 按还款记录当前逾期，但没有填写逾期金额（past_due）；请填写后才能推算之后的月份",
        "no_min_payment": "债务 {debt} 没有最低还款额（min_payment）；请填写每月最低还款额后才能规划还款",
        "no_debts": "档案没有列出债务（只有指标值，或没有 debts 列表）；还款规划和模拟需要债务明细",
    },
}


def labels(lang: str) -> dict[str, str]:
    """The words of *lang*, English where a word is missing."""
    return {**LABELS["en"], **LABELS.get(lang, {})}


#: Chinese for the reasons a metric is unavailable and the data that fixes it (English is the source
#: text; anything not listed stays English, field names are kept as they are typed).
_REASONS_ZH = {
    "debts not given": "未提供债务清单",
    "inquiries not given": "未提供查询记录",
    "income not given": "未提供收入",
    "income.verified not given": "未说明收入是否已证明",
    "score not given": "未提供评分",
    "score scale not given": "未说明评分类型",
    "monthly income is 0": "月收入为0",
    "no repayment history given (debts[].history or payments)": "未提供还款记录（debts[].history 或 payments）",
    "no open cards or credit lines": "没有在用的信用卡或信用额度",
    "no card or line has a limit above 0": "没有额度大于0的卡或信用额度",
    "no revolving credit limit": "没有信用卡或信用额度",
    "no late month in the history given": "还款记录中没有逾期",
    "no payment was due in the last 12 months": "近12个月没有应还款项",
    "no debt was opened by as_of": "评估日前没有开立的账户",
    "a card or line has a limit of 0 with a balance": "有一张卡或额度为0却有欠款",
}
_FIXES_ZH = {
    "history on each debt (the last 24 months, or since it opened), or itemised payments": (
        "每笔债务的还款记录（history，近24个月或自开立起），或逐笔还款（payments）"
    ),
    "the debts list with status": "债务清单及各笔状态（status）",
    "limit on every card and credit line": "每张信用卡和每个信用额度的额度（limit）",
    "the debts list": "债务清单（debts）",
    "the debts list with history": "债务清单及还款记录（history）",
    "score.value and score.scale": "评分及其类型（score.value、score.scale）",
    "apr and min_payment on every debt being repaid": "每笔在还债务的年利率（apr）和最低还款额（min_payment）",
    "the inquiries list (an empty list if there were none)": "查询记录（inquiries；没有就写空列表 []）",
    "the debts list with past_due": "债务清单及逾期金额（past_due）",
    "the debts list with lender": "债务清单及放贷机构（lender）",
    "the debts list with lender and type": "债务清单及放贷机构和类型（lender、type）",
    "the debts list with card and credit_line types": "债务清单及类型（card、credit_line）",
    "past_due on every overdue debt": "每笔逾期债务的逾期金额（past_due）",
    "past_due on every debt being repaid (0 when not behind), or its history": (
        "每笔在还债务的逾期金额（past_due，未逾期填 0），或其还款记录（history）"
    ),
    "opened on every debt": "每笔债务的开立日期（opened）",
    "public_records (an empty list when there is none)": "公共记录（public_records；没有就写空列表 []）",
    "medical: true on medical debts": "医疗债务标注 medical: true",
    "min_payment on every debt being repaid": "每笔在还债务的最低还款额（min_payment）",
    "income.verified (column income_verified)": "收入是否已证明（income.verified，表格列 income_verified）",
    "income.monthly or income.annual (column monthly_income)": "月收入或年收入（income.monthly 或 income.annual）",
    "income.monthly and min_payment on every debt": "月收入（income.monthly）和每笔债务的最低还款额（min_payment）",
}
#: Reasons without a fixed translation (compiled when first used: re caches them).
_MISSING_FOR = r"(?P<what>.+?) missing for debts? (?P<where>.+)"
#: What a debt lacks, in Chinese.
_LACKS_ZH = {
    "history (or payments)": "还款记录（history 或 payments）",
    "min_payment": "最低还款额（min_payment）",
    "apr or min_payment": "年利率或最低还款额（apr、min_payment）",
    "limit": "额度（limit）",
    "opened": "开立日期（opened）",
    "past_due (late this month per history)": "逾期金额（past_due；按还款记录本月逾期）",
    "past_due (or history, or payments)": "逾期金额（past_due）、还款记录或逐笔还款",
}
_IS_UNAVAILABLE = r"(?P<name>\w+) is unavailable"
#: Months a debt was open with no record (creditfix.metrics._UNRECORDED): "SPANS of debt ID; ...".
_UNRECORDED = r"no history \(or payments\) for (?P<spans>.+)"
_SPANS_OF = r"(?P<spans>.+) of debt (?P<debt>.+)"


def reason_text(reason: str, lang: str) -> str:
    """Why a metric is unavailable, in *lang* where a translation is known."""
    if lang != "zh":
        return reason
    found = _REASONS_ZH.get(reason)
    if found is not None:
        return found
    match = re.fullmatch(_MISSING_FOR, reason)
    if match:
        return f"债务 {match['where']} 缺少{_LACKS_ZH.get(match['what'], match['what'])}"
    match = re.fullmatch(_IS_UNAVAILABLE, reason)
    if match:
        return f"{match['name']} 无法计算"
    match = re.fullmatch(_UNRECORDED, reason)
    if match:
        parts = [re.fullmatch(_SPANS_OF, part) for part in match["spans"].split("; ")]
        if all(parts):
            where = "；".join(f"债务 {m['debt']} 的 {m['spans'].replace(' to ', '至')}" for m in parts if m)
            return f"以下月份没有还款记录（history 或 payments）：{where}"
    return reason


def fix_text(fix: str, lang: str) -> str:
    """The data that would assess a rule, in *lang* where a translation is known."""
    return _FIXES_ZH.get(fix, fix) if lang == "zh" else fix
