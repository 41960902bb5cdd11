"""Runs schemathesis against the real server and its own OpenAPI document.

  schema_check.py [--bin target/debug/tend] [--max-examples N] [--seed S]

Starts the server binary on a fresh temporary SQLite file with the demo data,
logs in before any fuzzing (fuzzed logins soon fill the per-address login
throttle), looks up real ids for the path parameters (Maria's record, her
activities, requests, grants, a calendar link), and runs schemathesis with
every check it has, once per actor:

  nobody      every operation without a session (login, logout, the public
              feed and questionnaires; 401 everywhere else)
  ana         a caregiver: what her grant shares, 403 for the rest
  dana        the care manager: reads, and the care team's writes
  maria       the patient: everything of her own record

One fresh database per run, the passes in that order (Maria's may end Ana's
grant), a fixed seed and no stored examples between runs: a run repeats
itself on a given day (the demo data's dates follow the day). Prints what it
ran (operations and test cases per pass, the statuses the server answered);
exits 1 if any check failed, the server logged a 5xx or a panic, or it did
not stop cleanly on SIGTERM.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run from tools/.venv's python, as scripts/test does; `-m` rather than the
# bin/ script, whose first line may name another checkout's venv.
SCHEMATHESIS = [sys.executable, "-m", "schemathesis.cli"]
PASSWORD = "tend-demo"

# Operations a pass leaves out, each with its reason. Nothing else is left out.
LEFT_OUT_WITH_A_SESSION = {
    # Logging out ends the session the rest of the pass needs; the anonymous
    # pass runs it, and the native tests check that it ends the session.
    ("DELETE", "/api/session"): "logging out would end the pass's own session",
}

# Operations where a request whose parameters and body fit the schema may
# still be refused with 422, by a rule that depends on today, on what is
# stored or on several fields at once, which a JSON Schema cannot state. For
# these only, schemathesis' positive_data_acceptance check also accepts 422
# (its other expected statuses stay, 5xx among them because not_a_server_error
# judges those); every other check stays as it is.
ACCEPTED_STATUSES = ["2xx", "3xx", "401", "403", "404", "409", "422", "429", "5xx"]
BUSINESS_RULES = {
    ("GET", "/api/patients/{p}/agenda"): "`to` is not before `from`, and at most 92 days after it",
    ("POST", "/api/patients/{p}/outcomes"): "an occurrence of this patient's plan, at most 30 days old, with the reading its activity measures",
    ("POST", "/api/patients/{p}/responses"): "every item of the questionnaire answered, with one of its answers",
    ("POST", "/api/patients/{p}/goal-requests"): "a change or a comment names one of the patient's goals",
    ("POST", "/api/patients/{p}/goal-requests/{id}/decision"): "a request is decided once; declining needs a reason",
    ("POST", "/api/patients/{p}/activities/{activity}/versions"): "an edit starts today or later, with a title in both languages and a schedule that fits its activity",
    ("POST", "/api/patients/{p}/activities"): "a medicine, measurement (with what it measures), exercise or other activity, from today on, with a title in both languages, a repeating schedule and one of the patient's goals",
    ("POST", "/api/patients/{p}/appointments/{activity}/status"): "a status only moves forward",
    ("POST", "/api/patients/{p}/grants/{id}"): "the last day is today or later and at most a year ahead",
    ("POST", "/api/session/password"): "the current password is right, and the new one long enough, new and without the username",
    ("POST", "/api/patients/{p}/flags/{flag}/acknowledgement"): "a note that is not only spaces, for a flag not yet acknowledged",
    ("POST", "/api/patients/{p}/goals"): "words in both languages, a known measure with a target that fits it, positive numbers, and a due date not past",
    ("POST", "/api/patients/{p}/goals/{goal}"): "the target keeps the goal's kind, with positive numbers and a band smaller than its value",
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(base, method, path, cookie=None, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    if body is not None:
        req.add_header("content-type", "application/json")
    if cookie:
        req.add_header("cookie", f"tend_session={cookie}")
    try:
        with urllib.request.urlopen(req, timeout=30) as reply:
            text = reply.read().decode()
            return reply.status, reply.headers, (json.loads(text) if text else None)
    except urllib.error.HTTPError as e:
        raise SystemExit(f"{method} {path}: {e.code} {e.read().decode()}") from None


def log_in(base, username):
    _, headers, _ = request(base, "POST", "/api/session", body={"username": username, "password": PASSWORD})
    for value in headers.get_all("set-cookie") or []:
        name, _, rest = value.partition("=")
        if name == "tend_session":
            return rest.split(";", 1)[0]
    raise SystemExit(f"no session cookie for {username}")


def start_server(binary, workdir):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(workdir / "server.log", "w")
    env = dict(
        os.environ,
        TEND_DB=str(workdir / "tend.db"),
        TEND_ADDR=f"127.0.0.1:{port}",
        TEND_DEMO="true",
        # The API alone: the built app is not what this checks.
        TEND_DIST=str(workdir / "no-dist"),
        RUST_LOG="info,sqlx=warn",
        NO_COLOR="1",
    )
    child = subprocess.Popen([binary], env=env, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(600):
        if child.poll() is not None:
            raise SystemExit(f"server exited early:\n{(workdir / 'server.log').read_text()}")
        try:
            with urllib.request.urlopen(base + "/api/health", timeout=2) as reply:
                if reply.status == 200:
                    return child, base
        except OSError:
            pass
        time.sleep(0.1)
    child.kill()
    raise SystemExit("server did not become healthy")


def fixtures(base, sessions):
    """Real values for the path parameters, from Maria's record."""
    maria = sessions["maria"]
    _, _, session = request(base, "GET", "/api/session", maria)
    patient = next(p["id"] for p in session["patients"] if p["relation"] == "own")
    _, _, plan = request(base, "GET", f"/api/patients/{patient}/plan", maria)
    activities = sorted({a["activity_id"] for a in plan["activities"]})
    _, _, requests = request(base, "GET", f"/api/patients/{patient}/goal-requests", maria)
    _, _, grants = request(base, "GET", f"/api/patients/{patient}/grants", maria)
    ids = sorted({r["id"] for r in requests} | {g["id"] for g in grants})
    _, _, lessons = request(base, "GET", "/api/lessons", maria)
    slugs = sorted(lesson["slug"] for lesson in lessons)
    _, _, link = request(base, "POST", f"/api/patients/{patient}/calendar-feed", maria)
    feed = link["path"].rsplit("/", 1)[1]
    return {
        "p": [patient],
        "activity": activities,
        "id": ids,
        "slug": slugs,
        "token": [feed.removesuffix(".ics")],
    }


def toml_value(value):
    return json.dumps(value)  # strings, numbers and lists of them read the same in TOML


def write_config(config, values, cookie, left_out, max_examples):
    lines = [
        "[generation]",
        f"max-examples = {max_examples}",
        'database = "none"',
        "",
    ]
    # Not ids taken from earlier answers: they would fill the slots the
    # dictionaries leave to generated values, so unknown ids and slugs
    # would never be tried (a 500 for an unknown lesson went unseen so).
    for phase in ("examples", "coverage", "fuzzing"):
        lines += [f"[phases.{phase}.extra-data-sources]", "responses = false", ""]
    if cookie:
        lines += ["[auth.openapi.session]", f"api_key = {toml_value(cookie)}", ""]
    for name, entries in values.items():
        lines += [f"[dictionaries.{name}]", f"values = {toml_value(entries)}", ""]
    lines.append("[parameters]")
    for name in values:
        # Mostly a real value, so requests reach the handlers; sometimes a
        # generated one, so unknown and malformed ids are tried too.
        lines.append(f'"path.{name}" = {{ dictionary = "{name}", probability = 0.85 }}')
    lines.append("")
    for (method, route), reason in left_out.items():
        lines += [
            f"# Left out: {reason}",
            "[[operations]]",
            f"include-path = {toml_value(route)}",
            f"include-method = {toml_value(method)}",
            "enabled = false",
            "",
        ]
    for (method, route), reason in BUSINESS_RULES.items():
        lines += [
            f"# 422 too: {reason}",
            "[[operations]]",
            f"include-path = {toml_value(route)}",
            f"include-method = {toml_value(method)}",
            f"checks.positive_data_acceptance.expected-statuses = {toml_value(ACCEPTED_STATUSES)}",
            "",
        ]
    config.write_text("\n".join(lines))


def run_pass(name, base, workdir, values, cookie, seed, max_examples):
    config = workdir / f"{name}.toml"
    left_out = LEFT_OUT_WITH_A_SESSION if cookie else {}
    write_config(config, values, cookie, left_out, max_examples)
    command = [
        *SCHEMATHESIS,
        "--config-file",
        str(config),
        "run",
        f"{base}/api/openapi.json",
        "--seed",
        str(seed),
        "--workers",
        "1",
        "--no-color",
    ]
    print(f"\n== schemathesis as {name}: {' '.join(command[5:7])} (seed {seed}, up to {max_examples} examples)")
    started = time.monotonic()
    result = subprocess.run(command, cwd=workdir, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    output = result.stdout + result.stderr
    return result.returncode, output, elapsed


def summary_lines(output):
    """The lines of schemathesis' summary that say what it ran and found."""
    keep = []
    take = False
    for line in output.splitlines():
        if line.startswith("=") and "SUMMARY" in line:
            take = True
        if take and line.strip() and not line.startswith(("Reports:", "  - JUnit")):
            keep.append("   " + line.strip())
    return keep


def statuses(log):
    """How often the server answered each status, from its log (route templates only)."""
    counts = {}
    for line in log.splitlines():
        if "finished processing request" in line and " status=" in line:
            status = line.rsplit(" status=", 1)[1].split()[0]
            counts[status] = counts.get(status, 0) + 1
    return dict(sorted(counts.items()))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=str(ROOT / "target" / "debug" / "tend"))
    parser.add_argument("--max-examples", type=int, default=50)
    parser.add_argument("--seed", type=int, default=20261128)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (database, logs, reports)")
    args = parser.parse_args()

    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="tend-schema-"))
    child, base = start_server(args.bin, workdir)
    failed = []
    total_cases = 0
    try:
        # Every login before any fuzzing: fuzzed logins fill the address's throttle.
        sessions = {user: log_in(base, user) for user in ("ana", "dana", "maria")}
        values = fixtures(base, sessions)
        for name, cookie in [("nobody", None), ("ana", sessions["ana"]), ("dana", sessions["dana"]), ("maria", sessions["maria"])]:
            code, output, elapsed = run_pass(name, base, workdir, values, cookie, args.seed, args.max_examples)
            if code != 0:
                failed.append(name)
                print(output)
            else:
                for line in summary_lines(output):
                    print(line)
            cases = re.search(r"(\d+) generated", output)
            total_cases += int(cases.group(1)) if cases else 0
            print(f"   ({elapsed:.0f} s)")
    finally:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
            failed.append("server (no graceful stop)")
    log = (workdir / "server.log").read_text()
    if child.returncode != 0:
        failed.append(f"server exit {child.returncode}")
    if "panicked" in log:
        failed.append("server panicked")
    answered = statuses(log)
    print(
        f"\n{total_cases} test cases in 4 passes, {time.monotonic() - started:.0f} s; "
        f"the server answered (status: count) {answered}"
    )
    if any(status.startswith("5") for status in answered):
        failed.append("the server log has 5xx answers")
    if failed:
        print(f"\nserver log: {workdir / 'server.log'}")
        print(f"FAILED: {', '.join(failed)}")
        return 1
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    print("\nschemathesis found nothing to report")
    return 0


if __name__ == "__main__":
    sys.exit(main())
