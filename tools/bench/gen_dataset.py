#!/usr/bin/env python3
"""Fills a Tend database (schema made by the server's own migrations, with
the demo data) with generated patients: each a login, maria's plan copied
(activities and their versions), a year of outcomes on every daily time,
assigned to dana, and a live session whose token is written to a file for
the load script. Names are made up ("Load Patient N"); nothing real.

usage: gen_dataset.py DB PATIENTS TOKENS_FILE
"""
import datetime as dt
import hashlib
import json
import random
import secrets
import sqlite3
import sys

db, count, tokens_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
con = sqlite3.connect(db)
con.execute("PRAGMA journal_mode=WAL")
con.execute("PRAGMA foreign_keys=ON")
cur = con.cursor()
rng = random.Random(7)
now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
ts = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")

maria = cur.execute(
    "SELECT a.id, a.patient_id, a.password_hash FROM accounts a WHERE a.username = 'maria'").fetchone()
maria_account, maria_patient, password_hash = maria
dana = cur.execute("SELECT id FROM accounts WHERE username = 'dana'").fetchone()[0]
version_columns = [r[1] for r in cur.execute("PRAGMA table_info(activity_versions)")
                   if r[1] not in ("id", "activity_id", "goal_id", "created_by")]
activities = cur.execute(
    "SELECT id, kind FROM activities WHERE patient_id = ? ORDER BY id", (maria_patient,)).fetchall()
versions = {a: cur.execute(
    f"SELECT {', '.join(version_columns)} FROM activity_versions WHERE activity_id = ? ORDER BY version",
    (a,)).fetchall() for a, _ in activities}
schedule_at = version_columns.index("schedule")
today = now.date()
days = [today - dt.timedelta(days=d) for d in range(1, 366)]

tokens = []
outcomes = 0
for n in range(1, count + 1):
    cur.execute(
        "INSERT INTO patients (name, birth_date, language, timezone, created_at) VALUES (?, ?, ?, ?, ?)",
        (f"Load Patient {n}", "1950-01-01", rng.choice(["en", "es"]),
         rng.choice(["America/Chicago", "America/New_York", "America/Los_Angeles"]), ts(now)))
    patient = cur.lastrowid
    cur.execute(
        "INSERT INTO accounts (username, password_hash, role, display_name, patient_id, created_at)"
        " VALUES (?, ?, 'patient', ?, ?, ?)", (f"load{n}", password_hash, f"Load Patient {n}", patient, ts(now)))
    account = cur.lastrowid
    cur.execute("INSERT INTO care_assignments (care_manager_id, patient_id) VALUES (?, ?)", (dana, patient))
    rows = []
    for activity, kind in activities:
        cur.execute("INSERT INTO activities (patient_id, kind, created_at) VALUES (?, ?, ?)", (patient, kind, ts(now)))
        new_activity = cur.lastrowid
        first = None
        for v in versions[activity]:
            v = list(v)
            schedule = json.loads(v[schedule_at])
            # The copy starts a year back, so the whole year has history.
            schedule["start"] = min(schedule["start"], days[-1].isoformat())
            v[schedule_at] = json.dumps(schedule)
            if first is None:
                v[version_columns.index("effective_from")] = min(v[version_columns.index("effective_from")], days[-1].isoformat())
                first = schedule
            cur.execute(
                f"INSERT INTO activity_versions (activity_id, created_by, {', '.join(version_columns)})"
                f" VALUES (?, ?, {', '.join('?' * len(version_columns))})", [new_activity, dana, *v])
            version_id = cur.lastrowid
        recurrence = first["recurrence"]
        if recurrence["kind"] != "daily":
            continue
        for day in days:
            for time in recurrence["times"]:
                if rng.random() < 0.85:
                    rows.append((patient, new_activity, version_id, f"{day.isoformat()}T{time[:8]}",
                                 "done" if rng.random() < 0.9 else "skipped", ts(now), account))
    cur.executemany(
        "INSERT INTO outcomes (patient_id, activity_id, activity_version_id, scheduled_local, status, recorded_at, entered_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    outcomes += len(rows)
    token = secrets.token_urlsafe(32)
    cur.execute(
        "INSERT INTO sessions (token_hash, account_id, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?)",
        (hashlib.sha256(token.encode()).hexdigest(), account, ts(now), ts(now + dt.timedelta(days=1)), ts(now)))
    tokens.append(f"{patient} {token}")
    if n % 500 == 0:
        con.commit()
con.commit()
con.execute("ANALYZE")
con.close()
with open(tokens_file, "w") as f:
    f.write("\n".join(tokens) + "\n")
print(f"generated {count} patients, {len(activities)} activities each, {outcomes} outcomes over a year")
