"""Benchmark: the busiest pages under load, served as production serves them (not a test; prints a table).

Usage: .venv/bin/python bench/web.py [--rounds 3] [--duration 10] [--reuse]
       DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> REDIS_URL=redis://127.0.0.1:6379/<n> \
           .venv/bin/python bench/web.py
Needs: PostgreSQL (DATABASE_URL names the server; the bench makes its own database
``<name>_bench_web`` next to it), Redis (REDIS_URL) and ``wrk`` (Debian: apt-get install wrk).
Without PostgreSQL it measures on SQLite, without Redis with the cache in process memory,
without wrk one request at a time; it says so, and such figures are not comparable.

It builds a large programme (bench/data.py: 5,000 participants, 2,000 threads with 50,000
posts, 500 events, 1,000 Tandems with 4,000 meetings, a match run of about 2,600 proposals),
collects the static files and starts gunicorn with production settings (DEBUG off, whitenoise,
JSON logs) and 2 sync workers. It logs in a participant and a coordinator (session cookies) and
runs wrk with 8 connections against each page, each right after a bare page (bench/urls.py:
every middleware, no query of its own, no template) so that both see the same load; the table
shows the median of the rounds: requests per second, the 95th percentile of the latency, and
how many times the bare page's throughput is the page's (ratio, lower is better).
"""
import argparse
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/mentoring"
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %d %d %d\\n", summary.requests, summary.duration,
                         latency:percentile(95), e.connect + e.read + e.write + e.timeout + e.status))
end
"""


def say(text: str) -> None:
    print(text, flush=True)


def postgres_url(url: str) -> str | None:
    """The bench's own database on the server of ``url``, or None when no PostgreSQL answers there."""
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "mentoring"
    try:
        psycopg2.connect(urlunsplit(parts._replace(path="/postgres")), connect_timeout=3).close()
    except psycopg2.Error as error:
        say(f"SKIPPED PostgreSQL: {url} does not answer ({str(error).strip()}); measuring on SQLite instead")
        return None
    return urlunsplit(parts._replace(path=f"/{name}_bench_web"))


def database_create(url: str, *, reuse: bool) -> bool:
    """(Re)create the bench database; True when it has to be filled."""
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
        if exists and reuse:
            return False
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return True


def redis_url() -> str:
    import redis

    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        return url
    except redis.exceptions.ConnectionError as error:
        with socket.socket() as sock:  # a closed port: the cache falls back to process memory at once
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        say(f"SKIPPED Redis: {url} does not answer ({error}); the cache runs in each worker's memory")
        return f"redis://127.0.0.1:{port}/0"


def session_cookie(user, *, mfa: bool = False) -> str:
    """A logged-in session as allauth leaves it (with the authenticator code when ``mfa``)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session["account_authentication_methods_user"] = str(user.pk)
    session["account_authentication_methods"] = [{"method": "password", "at": time.time(), "email": user.email}] + (
        [{"method": "mfa", "at": time.time(), "type": "totp"}] if mfa else [])
    session.create()
    return f"sessionid={session.session_key}"


def get(url: str, cookie: str) -> int:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, headers={"Cookie": cookie})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=60) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, ConnectionError):
        return 0  # not listening (yet)


def settle(url: str, workers: int) -> None:
    """Wait until the requests wrk left queued are answered: one request per worker, twice, queues behind them."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(workers) as pool:
        for _twice in range(2):
            list(pool.map(lambda _n: get(url, ""), range(workers)))


def wrk(url: str, cookie: str, *, duration: int, connections: int, script: str) -> tuple[float, float, int]:
    """Requests per second, p95 latency (ms) and failed requests of one wrk run."""
    result = subprocess.run(
        ["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--timeout", "30s", "-s", script,
         "-H", f"Cookie: {cookie}", url], capture_output=True, text=True, check=True)
    line = next(line for line in result.stdout.splitlines() if line.startswith("BENCH "))
    requests, duration_us, p95_us, errors = map(int, line.split()[1:])
    return requests / (duration_us / 1e6), p95_us / 1000, errors


def sequential(url: str, cookie: str, *, duration: int) -> tuple[float, float, int]:
    """Without wrk: one connection, one request after the other."""
    times, errors, end = [], 0, time.monotonic() + duration
    while time.monotonic() < end:
        start = time.perf_counter()
        errors += get(url, cookie) != 200
        times.append(time.perf_counter() - start)
    times.sort()
    return len(times) / sum(times), times[int(len(times) * 0.95) - 1] * 1000, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds of each wrk run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8116")))
    parser.add_argument("--reuse", action="store_true", help="keep the bench database of an earlier run")
    args = parser.parse_args()

    database = os.environ.get("DATABASE_URL", DEFAULT_PG)
    database = postgres_url(database) if database.startswith("postgres") else None
    if database is None:
        database = f"sqlite:///{ROOT / 'var' / 'bench_web.sqlite3'}"
        (ROOT / "var").mkdir(exist_ok=True)
    have_wrk = shutil.which("wrk") is not None
    if not have_wrk:
        say("SKIPPED wrk: not installed (Debian: apt-get install wrk); one request at a time instead")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database,
        "REDIS_URL": redis_url(),
        "EMAIL_URL": "consolemail://",
        "SENTRY_DSN": "",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import User
    from bench import data

    fill = database_create(database, reuse=args.reuse) if database.startswith("postgres") else (
        not args.reuse or not Path(urlsplit(database).path).exists())
    if not database.startswith("postgres") and fill:
        Path(urlsplit(database).path).unlink(missing_ok=True)
    if fill:
        say(f"Building the programme in {connection.settings_dict['NAME']} (migrate, then bulk data) ...")
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        say(f"  migrated in {time.perf_counter() - started:.0f} s")
        data.build(log=say)
    call_command("collectstatic", "--noinput", verbosity=0)
    participant = User.objects.get(email=data.PARTICIPANT_EMAIL)
    coordinator = User.objects.get(email=data.COORDINATOR_EMAIL)
    from forum.models import Category, Thread
    from matching.models import MatchRun

    thread = Thread.objects.filter(post_count=50).order_by("pk").first()
    category = Category.objects.filter(threads=thread).first()
    run = MatchRun.objects.order_by("-pk").first()
    as_participant, as_coordinator = session_cookie(participant), session_cookie(coordinator, mfa=True)
    connection.close()

    base = f"http://127.0.0.1:{args.port}"
    pages = [
        ("thread, 50 posts", f"/forum/thema/{thread.pk}/", as_participant),
        ("forum", "/forum/", as_participant),
        ("category", f"/forum/kategorie/{category.slug}/", as_participant),
        ("forum search", f"/forum/suche/?q={data.SEARCH_WORD}", as_participant),
        ("tandem", "/tandem/", as_participant),
        (f"match run ({run.matched_count} proposals)", f"/admin/matching/matchrun/{run.pk}/vorschlaege/",
         as_coordinator),
    ]
    bare = ("bare page", "/bench/ok/", as_participant)
    log = ROOT / "var" / "bench_web_gunicorn.log"
    with open(log, "w") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "mentoring.wsgi:application", "--workers", str(args.workers),
             "--worker-class", "sync", "--bind", f"127.0.0.1:{args.port}", "--timeout", "120"],
            cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while get(f"{base}/healthz", "") != 200:
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit(f"gunicorn did not come up; see {log}")
            time.sleep(0.5)
        for label, path, cookie in [bare, *pages]:
            status = get(base + path, cookie)
            if status != 200:
                raise SystemExit(f"{label}: {path} answered {status}, not 200; see {log}")
            get(base + path, cookie)  # warm both workers a little
            get(base + path, cookie)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT)
        measure = (lambda url, cookie, seconds: wrk(url, cookie, duration=seconds, connections=args.connections,
                                                    script=script.name)) if have_wrk else (
            lambda url, cookie, seconds: sequential(url, cookie, duration=seconds))
        load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
        results: dict[str, list[tuple[float, float, int]]] = {}
        ratios: dict[str, list[float]] = {}
        for round_ in range(args.rounds):
            say(f"round {round_ + 1} of {args.rounds} ...")
            for label, path, cookie in pages:
                # The bare page right before each page: both see the same load on a shared machine.
                reference = measure(base + bare[1], bare[2], max(args.duration // 2, 1))
                settle(base + bare[1], args.workers)
                measured = measure(base + path, cookie, args.duration)
                settle(base + bare[1], args.workers)
                results.setdefault(bare[0], []).append(reference)
                results.setdefault(label, []).append(measured)
                ratios.setdefault(label, []).append(reference[0] / measured[0] if measured[0] else float("inf"))
        os.unlink(script.name)
    finally:
        server.terminate()
        server.wait(timeout=30)

    vendor = "PostgreSQL" if database.startswith("postgres") else "SQLite"
    say(f"\nweb: gunicorn, {args.workers} sync workers, production settings, {vendor}, "
        f"{'wrk ' + str(args.connections) + ' connections' if have_wrk else 'one connection (no wrk)'}, "
        f"{args.duration} s per run, median of {args.rounds} rounds; load average {load_before} before, "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} after, on {os.cpu_count()} CPUs")
    say(f"{'page':<30} | {'req/s':>7} | {'p95 ms':>7} | {'ratio':>5} | {'req/s of each round':<22} | errors")
    for label, _path, _cookie in [bare, *pages]:
        rows = results[label]
        rps, p95 = statistics.median(r[0] for r in rows), statistics.median(r[1] for r in rows)
        ratio = statistics.median(ratios[label]) if label in ratios else 1.0
        each = " ".join(f"{r[0]:.1f}" for r in rows) if label in ratios else f"{len(rows)} runs"
        say(f"{label:<30} | {rps:>7.1f} | {p95:>7.0f} | {ratio:>5.1f} | {each:<22} | {sum(r[2] for r in rows)}")
    say("ratio: the bare page's requests per second, measured right before the page, divided by the page's "
        "(median of the rounds; 1.0 = as fast as no page at all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
