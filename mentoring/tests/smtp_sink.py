"""A local SMTP server that keeps what it receives (aiosmtpd): for the outbox tests and bench/outbox.py."""
import multiprocessing
import socket
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Handler:
    """Keeps each message's Message-ID and recipients; ``on_message(count)`` runs before the answer.
    Recipients whose address starts with ``refused`` are refused (550)."""

    def __init__(self, on_message=None, counter=None):
        self.received = []
        self.on_message = on_message
        self.counter = counter

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refused"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.counter is not None:
            with self.counter.get_lock():
                self.counter.value += 1
        else:
            parsed = message_from_bytes(envelope.content, policy=policy.default)
            self.received.append((str(parsed["Message-ID"]).strip(), tuple(envelope.rcpt_tos)))
        if self.on_message is not None:
            self.on_message(len(self.received))
        return "250 Message accepted for delivery"


class Sink:
    """``with Sink() as sink:`` a server on ``sink.port`` in a thread; ``sink.received`` lists what came in."""

    def __init__(self, on_message=None):
        self.handler = Handler(on_message)
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def received(self):
        return self.handler.received

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


def _serve(port, counter, ready):
    import logging
    import threading

    logging.disable(logging.WARNING)  # aiosmtpd logs every SMTP command

    Controller(Handler(counter=counter), hostname="127.0.0.1", port=port).start()
    ready.set()
    threading.Event().wait()  # until terminated


class SinkProcess:
    """The same server in its own process (no shared GIL with the sender); ``count`` is how many arrived."""

    def __init__(self):
        self.port = free_port()
        context = multiprocessing.get_context("spawn")
        self.counter = context.Value("i", 0)
        self.ready = context.Event()
        self.process = context.Process(target=_serve, args=(self.port, self.counter, self.ready), daemon=True)

    @property
    def count(self) -> int:
        return self.counter.value

    def __enter__(self):
        self.process.start()
        if not self.ready.wait(30):
            raise RuntimeError("the SMTP sink did not start")
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.join(10)
