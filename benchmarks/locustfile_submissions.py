"""The load generator of `python -m benchmarks submissions` (benchmarks/submissions.py): Locust users that file
reports the way a browser does. Run by the benchmark as `locust -f benchmarks/locustfile_submissions.py
--headless ...` in a process of its own (Locust runs under gevent; the benchmark's process, which runs Django,
never imports this file).

Each Locust user, in a loop without pauses: GET the form, read it (hidden fields as served — the CSRF token and the
public forms' one-time `submission` token —, our answers for the fields we know, the browser's default for every
other field, so a honeypot stays empty), POST it, follow the redirect to the page that confirms the report. A
public form's visitor starts every report with no cookies (a new visitor); with SUBMISSIONS_ACCOUNTS each Locust
user signs in once, with an account of its own, and keeps its session.

Configured by the environment (set by the benchmark):
- SUBMISSIONS_FORM: the form's path; SUBMISSIONS_KIND: wbs, pengaduan or gratifikasi (which answers to type);
- SUBMISSIONS_EXPECT: JSON {"location": regex the POST's redirect must match, "page": [regexes the confirming
  page must match]};
- SUBMISSIONS_USERS, SUBMISSIONS_SECONDS: the users Locust starts and the seconds measured once all are ready;
- SUBMISSIONS_ACCOUNTS: a JSON file of [username, password] pairs, or empty for anonymous visitors;
- SUBMISSIONS_OUT: where to write what happened (JSON), read by the benchmark: every request (end time, name,
  seconds, error) and every submission (end time of its POST, the POST's seconds, error or "").
"""

import itertools
import json
import os
import re
import sys
import time
from pathlib import Path

import gevent
from locust import HttpUser, constant, events, task

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks.htmlform, without Django
from benchmarks.htmlform import fill, page_errors, post_form  # noqa: E402
from benchmarks.reporters import answers  # noqa: E402

FORM = os.environ.get("SUBMISSIONS_FORM", "/")
KIND = os.environ.get("SUBMISSIONS_KIND", "pengaduan")
EXPECT = json.loads(os.environ.get("SUBMISSIONS_EXPECT") or '{"location": ".", "page": []}')
ACCOUNTS = (
    json.loads(Path(os.environ["SUBMISSIONS_ACCOUNTS"]).read_text()) if os.environ.get("SUBMISSIONS_ACCOUNTS") else []
)
OUT = os.environ.get("SUBMISSIONS_OUT")
USERS = int(os.environ.get("SUBMISSIONS_USERS", "1"))
SECONDS = float(os.environ.get("SUBMISSIONS_SECONDS", "30"))
READY_WITHIN = 300  # seconds for every user to sign in, else the window starts anyway (and the run fails)
LOGIN = "/akun/masuk/"

_accounts = itertools.count()
REQUESTS: list[tuple[float, str, float, str]] = []
SUBMISSIONS: list[tuple[float, float, str]] = []
READY: list[float] = []
WINDOW: list[float] = []  # [start, end] of the measured window, epoch seconds


@events.request.add_listener
def _record_request(request_type, name, response_time, response_length, exception=None, **kwargs):
    REQUESTS.append((time.time(), name, response_time / 1000, str(exception) if exception else ""))


@events.quitting.add_listener
def _write(environment, **kwargs):
    if OUT:
        Path(OUT).write_text(
            json.dumps({"ready": READY, "window": WINDOW, "requests": REQUESTS, "submissions": SUBMISSIONS})
        )


def _stop_after_window(environment):
    """The measured window: from the moment the last user is ready (signed in: 100 Argon2 sign-ins take longer
    than the run) for SUBMISSIONS_SECONDS; then stop, each user finishing the report it is filing (--stop-timeout).
    Locust's own --run-time is only the benchmark's safety limit."""
    give_up = time.time() + READY_WITHIN
    while len(READY) < USERS and time.time() < give_up:
        gevent.sleep(0.1)
    start = max(READY) if len(READY) >= USERS else time.time()
    gevent.sleep(max(0.0, start + SECONDS - time.time()))
    WINDOW[:] = [start, start + SECONDS]
    environment.runner.quit()


@events.test_start.add_listener
def _start_window(environment, **kwargs):
    gevent.spawn(_stop_after_window, environment)


class Reporter(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        if ACCOUNTS:
            username, password = ACCOUNTS[next(_accounts) % len(ACCOUNTS)]
            with self.client.get(LOGIN, name="GET login", catch_response=True) as page:
                form = post_form(page.text, marker="password") if page.status_code == 200 else None
                if form is None:
                    page.failure(f"HTTP {page.status_code}")
                    return
            data = fill(form, {"username": username, "password": password})
            with self.client.post(
                LOGIN, data=data, name="POST login", allow_redirects=False, catch_response=True,
                headers={"Referer": self.host + LOGIN},
            ) as sent:  # fmt: skip
                where = sent.headers.get("Location", "")
                if sent.status_code != 302 or "2fa" in where or where.startswith(LOGIN):
                    sent.failure(f"sign-in refused: HTTP {sent.status_code} {where}")
                    return
        READY.append(time.time())

    @task
    def submit(self):
        if not ACCOUNTS:
            self.client.cookies.clear()  # every report a new visitor
        error = ""
        post_seconds = float("nan")
        with self.client.get(FORM, name="GET form", catch_response=True) as page:
            if page.status_code != 200:
                error = f"GET form: HTTP {page.status_code}"
                page.failure(error)
            else:
                try:
                    form = post_form(page.text)
                except ValueError as exc:
                    error = f"GET form: {exc}"
                    page.failure(error)
        if not error:
            data = fill(form, answers(KIND))
            started = time.perf_counter()
            with self.client.post(
                FORM, data=data, name="POST submit", allow_redirects=False, catch_response=True,
                headers={"Referer": self.host + FORM},
            ) as sent:  # fmt: skip
                post_seconds = time.perf_counter() - started
                where = sent.headers.get("Location", "")
                if sent.status_code != 302 or not re.search(EXPECT["location"], where):
                    detail = page_errors(sent.text) if sent.status_code == 200 else sent.text[:200]
                    error = f"POST: HTTP {sent.status_code} {where} {detail}"
                    sent.failure(error)
            posted = time.time()
            if not error:
                with self.client.get(where, name="GET done", catch_response=True) as done:
                    if done.status_code != 200 or not all(re.search(p, done.text) for p in EXPECT["page"]):
                        error = f"confirming page: HTTP {done.status_code}, not the expected page"
                        done.failure(error)
            SUBMISSIONS.append((posted, post_seconds, error))
