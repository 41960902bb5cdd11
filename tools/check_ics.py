"""Reads Tend's calendar feeds back with an independent parser (Python's
icalendar, time zones from zoneinfo) and checks what a phone calendar would show.

  check_ics.py dst FEED.ics
      the feed of `cargo run -p tend-model --features tz --example dst_feed`:
      local times in America/Chicago across both DST changes of 2026, text
      escaping and folding, alarms, unique UIDs.
  check_ics.py agree FEED.ics ZONE EXPECTED.json
      a live feed: every UID of EXPECTED ({uid: "YYYY-MM-DDTHH:MM:SS"}, the
      local times the app's agenda shows) starts at that local time in ZONE.

Says how many checks passed and exits 0, or says what is wrong and exits 1.
"""

import json
import sys
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from icalendar import Calendar

checks = 0


def check(condition, message):
    global checks
    if not condition:
        print(f"FAIL: {message}", file=sys.stderr)
        sys.exit(1)
    checks += 1


def read(path):
    raw = open(path, "rb").read()
    check(raw.endswith(b"\r\n"), "the feed ends with CRLF")
    for number, line in enumerate(raw.split(b"\r\n")[:-1], 1):
        check(b"\n" not in line and b"\r" not in line, f"line {number} has a bare line break")
        check(len(line) <= 75, f"line {number} has {len(line)} octets")
    return Calendar.from_ical(raw)


def events(calendar):
    found = {}
    for event in calendar.walk("VEVENT"):
        uid = str(event["UID"])
        check(uid not in found, f"UID {uid} is unique")
        found[uid] = event
    return found


def start_in(event, zone):
    start = event.decoded("DTSTART")
    check(start.tzinfo is not None and start.utcoffset() == timedelta(0), "DTSTART is UTC")
    return start.astimezone(zone)


def alarms(event):
    found = []
    for alarm in event.walk("VALARM"):
        check(str(alarm["ACTION"]) == "DISPLAY", "alarms are DISPLAY")
        check(str(alarm["DESCRIPTION"]) == str(event["SUMMARY"]), "an alarm says what is due")
        found.append(alarm.decoded("TRIGGER"))
    return sorted(found)


def dst(path):
    chicago = ZoneInfo("America/Chicago")
    calendar = read(path)
    check(str(calendar["X-WR-CALNAME"]) == "Recordatorios de Tend", "the calendar's name is Spanish")
    found = events(calendar)
    days = [date(2026, 3, d) for d in range(6, 11)] + [date(2026, 10, 30) + timedelta(d) for d in range(5)]
    check(len(found) == 2 * len(days) + 1, f"{len(found)} events")

    for day in days:
        metformin = found[f"7-{day:%Y%m%d}T0800@tend"]
        local = start_in(metformin, chicago)
        check((local.date(), local.time()) == (day, time(8, 0)), f"metformin at 08:00 on {day}, not {local}")
        check(str(metformin["SUMMARY"]) == "Metformina 500 mg", "the summary is Spanish")
        check(alarms(metformin) == [timedelta(minutes=-15)], "a medicine alarm 15 minutes before")

        night = found[f"8-{day:%Y%m%d}T0230@tend"]
        local = start_in(night, chicago)
        # 02:30 does not exist on the spring-forward day: it happens once, at 03:30 CDT.
        want = time(3, 30) if day == date(2026, 3, 8) else time(2, 30)
        check((local.date(), local.time()) == (day, want), f"the night dose at {want} on {day}, not {local}")

    def utc(uid):
        return found[uid].decoded("DTSTART").astimezone(timezone.utc).replace(tzinfo=None)

    # The same 08:00 is a different instant on either side of a change.
    for uid, want in [
        ("7-20260307T0800@tend", datetime(2026, 3, 7, 14, 0)),
        ("7-20260308T0800@tend", datetime(2026, 3, 8, 13, 0)),
        ("7-20261031T0800@tend", datetime(2026, 10, 31, 13, 0)),
        ("7-20261101T0800@tend", datetime(2026, 11, 1, 14, 0)),
        ("8-20260308T0230@tend", datetime(2026, 3, 8, 8, 30)),
        ("8-20261101T0230@tend", datetime(2026, 11, 1, 8, 30)),
    ]:
        check(utc(uid) == want, f"{uid} at {want}Z, not {utc(uid)}")

    visit = found["9-20261102T1030@tend"]
    local = start_in(visit, chicago)
    check((local.date(), local.time()) == (date(2026, 11, 2), time(10, 30)), f"the visit at 10:30, not {local}")
    check(str(visit["SUMMARY"]) == "Cita de cardiología; Dr. Patel, 2.º piso", "escaped text reads back")
    check(
        str(visit["DESCRIPTION"])
        == "Centro del Corazón, 2.º piso.\nTraiga su registro de peso, todas sus medicinas; y sus preguntas \\ dudas.",
        f"a folded, escaped description reads back: {str(visit['DESCRIPTION'])!r}",
    )
    check(visit.decoded("DURATION") == timedelta(hours=1), "a visit takes an hour")
    check(alarms(visit) == [timedelta(days=-1), timedelta(hours=-1)], "a visit alarms a day and an hour before")


def agree(path, zone_name, expected_path):
    zone = ZoneInfo(zone_name)
    found = events(read(path))
    expected = json.load(open(expected_path))
    check(len(expected) > 0, "something to compare")
    for uid, local_text in expected.items():
        check(uid in found, f"{uid} is in the feed")
        local = start_in(found[uid], zone).replace(tzinfo=None)
        check(local == datetime.fromisoformat(local_text), f"{uid} at {local_text} in {zone_name}, not {local}")
        check(len(alarms(found[uid])) >= 1, f"{uid} has an alarm")


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    {"dst": dst, "agree": agree}[mode](*args)
    print(f"icalendar read {args[0]} back: {checks} checks passed")
