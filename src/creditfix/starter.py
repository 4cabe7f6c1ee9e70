"""The commented starter profiles that ``creditfix init`` prints (one per jurisdiction)."""

from __future__ import annotations

#: The date the starters are written with; ``creditfix init`` puts today's (or ``--as-of``) there.
STARTER_AS_OF = "2026-11-01"

_CN = """\
# creditfix profile: fill in what you know; leave out what you don't.
# A missing field makes the metrics that need it "unavailable" - never a guess.
creditfix: 1
client: {id: me, name: 李伟, jurisdiction: CN, currency: CNY}
as_of: 2026-11-01            # the date your figures are from; windows count back from it
income:
  monthly: 12000             # net monthly income
  verified: false            # true once you have given lenders proof of income
score: {value: 612, scale: sesame}      # optional; Sesame 350-950
debts:
  - id: jiebei               # any short name, unique in this file
    lender: 借呗
    type: credit_line        # card | credit_line | personal_loan | mortgage | auto | student | business | other
    balance: 18000
    limit: 20000             # cards and credit lines
    apr: 18%                 # "18%" or 0.18
    min_payment: 900         # the real monthly minimum from your statement
    status: closed_by_lender # open | closed | closed_by_lender | frozen | collection | charged_off | settled
    opened: 2021-03-01
    past_due: 0              # amount overdue today
    # one code per month, oldest first, the last one is the as_of month (PBOC report grid):
    # N on time, 1-7 months past due, * nothing due, C closed, # unknown, D Z G B special
    history: "NNNNNNNNNNNN"
payments:                    # optional: itemised repayments, instead of or besides history
  - {debt: jiebei, due: 2026-10-10, paid: 2026-10-09, amount: 900}
inquiries:                   # every credit report inquiry you know of
  - {date: 2026-09-12, by: 招商银行, reason: card_application}
  # reasons: loan_application card_application guarantee (hard); post_loan self employment (soft)
"""

_US = """\
# creditfix profile: fill in what you know; leave out what you don't.
# A missing field makes the metrics that need it "unavailable" - never a guess.
creditfix: 1
client: {id: me, name: Alex Doe, jurisdiction: US, currency: USD}
as_of: 2026-11-01            # the date your figures are from; windows count back from it
income:
  monthly: 5200              # gross monthly income (before tax): US DTI guidelines use gross
  verified: true             # true once you have given lenders proof of income
score: {value: 640, scale: fico}        # optional; FICO / VantageScore 300-850
debts:
  - id: visa                 # any short name, unique in this file
    lender: Chase
    type: card               # card | credit_line | personal_loan | mortgage | auto | student | business | other
    balance: 4200
    limit: 5000              # cards and credit lines
    apr: 24.99%              # "24.99%" or 0.2499
    min_payment: 126         # the real monthly minimum from your statement
    status: open             # open | closed | closed_by_lender | frozen | collection | charged_off | settled
    opened: 2019-06-15
    past_due: 0              # amount overdue today
    # one token per month, oldest first, the last one is the as_of month:
    # OK on time, 30 60 90 120 150 180 days late, CO charged off (or PBOC codes N 1-7 ...)
    history: [OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, 30, OK]
payments:                    # optional: itemised repayments, instead of or besides history
  - {debt: visa, due: 2026-10-15, paid: 2026-10-14, amount: 126}
inquiries:                   # every credit report inquiry you know of
  - {date: 2026-08-02, by: Capital One, reason: card_application}
  # reasons: loan_application card_application mortgage_application auto_application (hard);
  #          post_loan self employment prequalification (soft)
public_records: []           # bankruptcies, e.g. {type: bankruptcy, chapter: 7, filed: 2021-05-14}; [] if none
"""

STARTERS = {"CN": _CN, "US": _US}
