"""Benchmark: outbox delivery by one worker against a plain send_mail loop, both to a local SMTP sink (prints a table).

Usage: .venv/bin/python bench/outbox.py [--messages 2000] [--rounds 3] [--per-message] [--profile]
       DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/outbox.py

Runs in a throw-away database (SQLite in memory, as the tests use it: SQLite is for development
only; PostgreSQL: ``bench_outbox_<name>``, as in production) and starts an SMTP sink
(aiosmtpd) in its own process. Each round writes ``--messages`` rendered mails into the
outbox (as ``mail_queue`` stores them, not timed) and drains them with ``outbox_flush`` in this
one process, the work of one Celery worker; as the reference in the same round, the same number
of mails go through a plain ``send_mail`` loop (a new SMTP connection per mail, as Django does).
The two take turns of ``--chunk`` mails, so that both meet the same load on a shared machine.
It checks that the sink got every mail and that every outbox row says sent, and prints mails per
second of both per round, their medians and the median ratio. Goal: the outbox at least 1.5 times the
loop (1.0 at the least). ``--per-message`` also times delivery one message per call
(``outbox_deliver``, what an eager task does: a connection per mail).
"""
import argparse
import logging
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings.test")

import django  # noqa: E402 - after the path is set

django.setup()

from django.conf import settings  # noqa: E402
from django.core.mail import send_mail  # noqa: E402
from django.db import connection  # noqa: E402

from bench.common import throwaway_database  # noqa: E402
from mentoring.kernel import mail  # noqa: E402
from mentoring.models import OutboxMessage  # noqa: E402
from mentoring.tests.smtp_sink import SinkProcess  # noqa: E402

GOAL, FLOOR = 1.5, 1.0


def store(count: int, batch: str, content: tuple[str, str, str]) -> None:
    subject, body_text, body_html = content
    OutboxMessage.objects.bulk_create(
        (OutboxMessage(key=f"bench:{batch}:{i}", to=f"person{i}@example.org", subject=subject,
                       body_text=body_text, body_html=body_html) for i in range(count)), batch_size=500)


def timed(sink: SinkProcess, count: int, send) -> float:
    """Seconds ``send()`` takes, which must hand ``count`` mails to the sink."""
    before = sink.count
    started = time.perf_counter()
    send()
    seconds = time.perf_counter() - started
    deadline = time.monotonic() + 10
    while sink.count - before < count and time.monotonic() < deadline:
        time.sleep(0.01)
    if sink.count - before != count:
        raise SystemExit(f"the sink got {sink.count - before} mails, not {count}")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--chunk", type=int, default=200, help="mails per turn of each method")
    parser.add_argument("--per-message", action="store_true")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one outbox drain instead")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    with throwaway_database("outbox"):
        with SinkProcess() as sink:
            settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
            settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
            content = mail.mail_render(template="account_deleted", language="de")
            if args.profile:
                import cProfile
                import pstats

                store(args.messages, "profile", content)
                profiler = cProfile.Profile()
                profiler.runcall(mail.outbox_flush)
                stats = pstats.Stats(profiler)
                stats.sort_stats(os.environ.get("BENCH_SORT", "tottime")).print_stats(30)
                if os.environ.get("BENCH_CALLERS"):
                    stats.print_callers(os.environ["BENCH_CALLERS"])
                return 0
            print(f"database: {connection.vendor}, {args.messages} mails x {args.rounds} rounds, batch "
                  f"{settings.OUTBOX_BATCH_SIZE}, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
                  f"on {os.cpu_count()} CPUs")
            print(f"{'round':>5} | {'send_mail loop':>14} | {'outbox worker':>13} | {'ratio':>5}")
            loop_rates, outbox_rates = [], []
            ratios = []
            for round_no in range(args.rounds):
                # In turns of --chunk mails each, so that both see the same load on a shared machine.
                loop_seconds = outbox_seconds = 0.0
                for start in range(0, args.messages, args.chunk):
                    count = min(args.chunk, args.messages - start)
                    loop_seconds += timed(sink, count, lambda: [  # noqa: B023 - called at once
                        send_mail(content[0], content[1], settings.DEFAULT_FROM_EMAIL, [f"person{i}@example.org"],
                                  html_message=content[2]) for i in range(count)])  # noqa: B023
                    store(count, f"{round_no}:{start}", content)
                    outbox_seconds += timed(sink, count, mail.outbox_flush)
                left = OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).count()
                if left:
                    raise SystemExit(f"{left} outbox rows are not marked sent")
                loop, outbox = args.messages / loop_seconds, args.messages / outbox_seconds
                loop_rates.append(loop)
                outbox_rates.append(outbox)
                ratios.append(outbox / loop)
                print(f"{round_no + 1:>5} | {loop:>8.0f} /s   | {outbox:>7.0f} /s   | {outbox / loop:>5.2f}")
            loop, outbox = statistics.median(loop_rates), statistics.median(outbox_rates)
            ratio = statistics.median(ratios)
            print(f"{'median':>5} | {loop:>8.0f} /s   | {outbox:>7.0f} /s   | {ratio:>5.2f}")
            if args.per_message:
                store(args.messages, "single", content)
                single = args.messages / timed(sink, args.messages, lambda: [
                    mail.outbox_deliver(message_pk=pk) for pk in mail.outbox_due_pks(limit=args.messages)])
                print(f"one message per outbox_deliver call: {single:.0f} /s = {single / loop:.2f} x the loop")
        verdict = "met" if ratio >= GOAL else "only the floor" if ratio >= FLOOR else "missed"
        print(f"goal: outbox >= {GOAL} x the send_mail loop (at least {FLOOR}): {verdict} "
              f"(load average now {' '.join(f'{x:.1f}' for x in os.getloadavg())})")
    return 0 if ratio >= FLOOR else 1


if __name__ == "__main__":
    sys.exit(main())
