"""Due dates that fall on a day the municipality's offices are closed move to the next open day
(地方税法 §20の5②: 日曜日, 国民の祝日に関する法律に規定する休日, 土曜日 and 12月29日–1月3日
(地方税法施行令 §6の18)). The 祝日 of 2025–2027 as the 祝日法 places them (振替休日 and 国民の休日
included) — enough for the samples; extend the list before using other years."""

from __future__ import annotations

import datetime as dt

_HOLIDAYS = {
    # 2025
    "2025-01-01", "2025-01-13", "2025-02-11", "2025-02-23", "2025-02-24", "2025-03-20", "2025-04-29",
    "2025-05-03", "2025-05-04", "2025-05-05", "2025-05-06", "2025-07-21", "2025-08-11", "2025-09-15",
    "2025-09-23", "2025-10-13", "2025-11-03", "2025-11-23", "2025-11-24",
    # 2026
    "2026-01-01", "2026-01-12", "2026-02-11", "2026-02-23", "2026-03-20", "2026-04-29", "2026-05-03",
    "2026-05-04", "2026-05-05", "2026-05-06", "2026-07-20", "2026-08-11", "2026-09-21", "2026-09-22",
    "2026-09-23", "2026-10-12", "2026-11-03", "2026-11-23",
    # 2027
    "2027-01-01", "2027-01-11", "2027-02-11", "2027-02-23", "2027-03-21", "2027-03-22", "2027-04-29",
    "2027-05-03", "2027-05-04", "2027-05-05", "2027-07-19", "2027-08-11", "2027-09-20", "2027-09-23",
    "2027-10-11", "2027-11-03", "2027-11-23",
}


def closed(d: dt.date) -> bool:
    if not dt.date(2025, 1, 1) <= d <= dt.date(2027, 12, 31):
        raise ValueError(f"{d}: no holiday list for this year")
    year_end = (d.month == 12 and d.day >= 29) or (d.month == 1 and d.day <= 3)
    return d.weekday() >= 5 or d.isoformat() in _HOLIDAYS or year_end


def open_day(d: dt.date) -> dt.date:
    """``d`` or the next day the offices are open."""
    while closed(d):
        d += dt.timedelta(days=1)
    return d


def month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)
