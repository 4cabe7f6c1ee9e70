"""Calendar arithmetic without the calendar module."""

from __future__ import annotations

import calendar

from creditfix.dates import days_in_month


def test_days_in_month_is_calendars_over_every_year_a_date_may_have() -> None:
    for year in range(1900, 2201):  # parse_date's range: 1900, 2100 and 2200 are not leap years, 2000 is
        for month in range(1, 13):
            assert days_in_month(year, month) == calendar.monthrange(year, month)[1], (year, month)
