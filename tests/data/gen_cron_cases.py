#!/usr/bin/env python3
"""Generates tests/data/cron_cases.tsv: expected cron fire times, computed independently of
the C++ CronExpression with a different algorithm (a brute-force walk over UTC instants,
minute by minute, converted with Python's zoneinfo from the system tz database).

Semantics (docs/scheduling.md):
- 5-field cron; names; 0/7 = Sunday; Vixie day rule (both restricted -> either matches; a field
  beginning with '*' counts as unrestricted, then both must match).
- An instant U (a whole minute) fires when
  * its local wall time matches and it is the first occurrence of that wall time (fold == 0), or
  * the wall clock jumped forward just before U (a gap) and some skipped wall time matches.

Each output row: expression<TAB>zone<TAB>after (UTC ISO)<TAB>space-separated fire times (UTC ISO).

Run: python3 tests/data/gen_cron_cases.py > tests/data/cron_cases.tsv
"""

import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
PRESETS = {
    "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}


def value(tok, names, base):
    if tok.isdigit():
        return int(tok)
    return names.index(tok.upper()) + base


def field(text, lo, hi, names=(), base=0):
    out = set()
    for item in text.split(","):
        step = 1
        if "/" in item:
            item, st = item.split("/")
            step = int(st)
        if item == "*":
            a, b = lo, hi
        elif "-" in item:
            x, y = item.split("-")
            a, b = value(x, names, base), value(y, names, base)
        else:
            a = value(item, names, base)
            b = hi if step != 1 else a
        out.update(range(a, b + 1, step))
    return out


class Cron:
    def __init__(self, expr):
        expr = PRESETS.get(expr.lower(), expr)
        f = expr.split()
        self.minute = field(f[0], 0, 59)
        self.hour = field(f[1], 0, 23)
        self.dom = field(f[2], 1, 31)
        self.month = field(f[3], 1, 12, MONTHS, 1)
        self.dow = {d % 7 for d in field(f[4], 0, 7, DAYS, 0)}
        self.dom_star = f[2].startswith("*")
        self.dow_star = f[4].startswith("*")

    def day(self, d):
        if d.month not in self.month:
            return False
        dom = d.day in self.dom
        dow = (d.isoweekday() % 7) in self.dow
        return (dom and dow) if (self.dom_star or self.dow_star) else (dom or dow)

    def match(self, wall):
        return self.day(wall) and wall.hour in self.hour and wall.minute in self.minute


MIN = timedelta(minutes=1)
HOUR = timedelta(hours=1)


def fires(expr, zone, after, count, years=12):
    cron = Cron(expr)
    tz = ZoneInfo(zone)
    u = after.replace(second=0, microsecond=0) + MIN
    limit = after + timedelta(days=366 * years)
    out = []
    while len(out) < count and u < limit:
        lt = u.astimezone(tz)
        # Day-level fast path: no local date in [u, u+1h] matches -> nothing fires in that hour.
        ahead = (u + HOUR).astimezone(tz)
        if not cron.day(lt) and not cron.day(ahead) and (ahead.date() - lt.date()).days <= 1:
            u += HOUR
            continue
        wall = lt.replace(tzinfo=None)
        prev = (u - MIN).astimezone(tz).replace(tzinfo=None)
        fire = cron.match(wall) and lt.fold == 0
        if not fire and wall - prev > MIN:
            w = prev + MIN
            while w < wall:
                if cron.match(w):
                    fire = True
                    break
                w += MIN
        if fire:
            out.append(u)
        u += MIN
    return out


def iso(d):
    return d.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc(s):
    return datetime.strptime(s, "%Y-%m-%dT%H:%M").replace(tzinfo=timezone.utc)


EXPRESSIONS = [
    ("* * * * *", 4), ("*/15 * * * *", 6), ("0 * * * *", 5), ("30 2 * * *", 4),
    ("0 2 * * *", 4), ("15 2,3 * * *", 4), ("0 0 * * *", 3), ("0 3 * * *", 3),
    ("59 23 * * *", 3), ("0 0 1 * *", 3), ("0 12 31 * *", 3), ("0 0 29 2 *", 2),
    ("0 0 28-31 * *", 5), ("0 9 * * MON-FRI", 5), ("30 1 * * 0", 2), ("30 1 * * 7", 2),
    ("0 0 13 * 5", 4), ("0 0 */2 * 1", 3), ("0 0 1,15 * wed", 4), ("@yearly", 2),
    ("@monthly", 2), ("@weekly", 2), ("@daily", 2), ("@hourly", 4), ("0 */6 * * *", 4),
    ("10-20/5 1-3 * * *", 6), ("0 2 * 3,10 *", 3), ("0,30 1-2 * * *", 6), ("45 1 * * *", 3),
    ("0 0 29 2 1", 3), ("5 4 * * sun", 2), ("0 0 1 jan-mar/2 *", 3), ("2/20 0 * * *", 4),
]

# After-instants (UTC): around the 2026 DST changes of each zone, month ends, leap days.
COMMON = ["2026-01-30T22:10", "2024-02-27T12:00", "2027-12-31T23:30"]
AROUND = {
    "UTC": ["2026-06-30T23:59"],
    "Asia/Seoul": ["2026-03-28T16:00", "2026-10-24T15:00"],
    "Europe/Berlin": ["2026-03-28T23:50", "2026-03-29T00:50", "2026-10-24T23:30", "2026-10-25T00:20",
                      "2026-10-25T00:59", "2026-10-25T01:20"],
    "America/New_York": ["2026-03-08T05:50", "2026-03-08T06:40", "2026-10-31T05:30",
                         "2026-11-01T05:10", "2026-11-01T06:15"],
    "Australia/Lord_Howe": ["2026-04-04T13:40", "2026-04-04T14:20", "2026-04-04T14:45", "2026-04-04T15:10",
                            "2026-10-03T14:50", "2026-10-03T15:10"],
}


def main():
    w = sys.stdout
    w.write("# generated by tests/data/gen_cron_cases.py - do not edit\n")
    for zone, points in AROUND.items():
        for point in points + COMMON:
            after = utc(point)
            for expr, count in EXPRESSIONS:
                got = fires(expr, zone, after, count)
                w.write("%s\t%s\t%s\t%s\n" % (expr, zone, iso(after), " ".join(iso(g) for g in got)))


if __name__ == "__main__":
    main()
