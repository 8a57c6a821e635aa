"""Real services for integration and browser tests: an SMTP server and Celery worker processes.

PostgreSQL and Redis come from the environment (DATABASE_URL, REDIS_URL; `make integration`
sets them and .ci/run starts the servers). Without them these tests skip, and in CI a skip fails.
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent

# aiosmtpd logs every SMTP command at INFO: thousands of lines that bury a failure's real cause.
logging.getLogger("mail.log").setLevel(logging.WARNING)


def real_services_missing() -> str:
    """Why the real services cannot be used here, or '' when they can."""
    if connection.vendor != "postgresql":
        return "DATABASE_URL does not point at PostgreSQL (run `make integration`)"
    if not settings.CELERY_BROKER_URL:
        return "REDIS_URL is not set (run `make integration`)"
    try:
        import redis

        redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001
        return f"Redis does not answer at {settings.CELERY_BROKER_URL}: {exc}"
    return ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(
    predicate, *, timeout: float = 30, interval: float = 0.05, message: str = "condition", describe=None
):
    """Poll `predicate` until it returns something truthy; fail after `timeout` seconds.

    `describe`, a callable, says what the world looked like at the timeout (row states, say).
    """
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() >= deadline:
            detail = f"\n{describe()}" if describe else ""
            raise AssertionError(f"Timed out after {timeout}s waiting for {message}{detail}")
        time.sleep(interval)


@dataclass
class ReceivedMail:
    message_id: str
    to: list[str]
    subject: str
    message: email.message.Message


class _Handler:
    def __init__(self, smtp: SmtpServer):
        self.smtp = smtp
        self.inbox = smtp.inbox
        self.lock = smtp._lock

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        # The client has sent the whole message and waits for our reply. Until we answer, the
        # mail is not accepted: a client that dies meanwhile cancels this coroutine (aiosmtpd
        # cancels the handler when the connection drops), so nothing is recorded.
        with self.lock:
            self.smtp.in_flight += 1
        try:
            if self.smtp.delay:
                await asyncio.sleep(self.smtp.delay)
            while self.smtp.stall_after is not None and len(self.inbox) >= self.smtp.stall_after:
                await asyncio.sleep(0.01)
        finally:
            with self.lock:
                self.smtp.in_flight -= 1
        message = email.message_from_bytes(envelope.content)
        with self.lock:
            self.inbox.append(
                ReceivedMail(
                    message_id=message["Message-ID"],
                    to=list(envelope.rcpt_tos),
                    subject=str(email.header.make_header(email.header.decode_header(message["Subject"]))),
                    message=message,
                )
            )
        # Accepted (a real server has queued it by now); the answer may still be late or lost.
        await self._maybe_late("late_replies")
        return "250 Message accepted for delivery"

    async def handle_QUIT(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        await self._maybe_late("late_goodbyes")
        return "221 Bye"

    async def _maybe_late(self, counter: str) -> None:
        with self.lock:
            late = getattr(self.smtp, counter) > 0
            if late:
                setattr(self.smtp, counter, getattr(self.smtp, counter) - 1)
        if late:
            await asyncio.sleep(self.smtp.late_by)


@dataclass
class SmtpServer:
    """A real SMTP server (aiosmtpd) on a fixed local port that can go down and come back.

    `delay` (seconds) slows every acceptance down; with `stall_after` set, the server stops
    answering DATA once it holds that many mails, leaving the clients waiting mid-send, until
    `stall_after` is set back to None. `in_flight` counts the messages waiting for an answer.
    The next `late_replies` mails are accepted but answered `late_by` seconds late, as when the
    answer is lost; the next `late_goodbyes` QUIT commands likewise.
    """

    port: int = field(default_factory=free_port)
    inbox: list[ReceivedMail] = field(default_factory=list, repr=False)
    delay: float = 0.0
    stall_after: int | None = None
    in_flight: int = 0
    late_replies: int = 0
    late_goodbyes: int = 0
    late_by: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _controller: Controller | None = None

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> None:
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller:
            self._controller.stop()
            self._controller = None

    def clear(self) -> None:
        with self._lock:
            self.inbox.clear()

    def reset(self) -> None:
        """Empty the inbox and answer at full speed again: the state every test starts from."""
        self.delay = 0.0
        self.stall_after = None
        self.late_replies = self.late_goodbyes = 0
        self.late_by = 0.0
        self.clear()
        if not self.running:
            self.start()

    @property
    def mails(self) -> list[ReceivedMail]:
        with self._lock:
            return list(self.inbox)

    def message_ids(self) -> list[str]:
        return [m.message_id for m in self.mails]

    def wait_for(self, count: int, *, timeout: float = 30, describe=None) -> list[ReceivedMail]:
        wait_until(
            lambda: len(self.mails) >= count,
            timeout=timeout,
            message=f"{count} mails at the SMTP server (got {len(self.mails)})",
            describe=describe,
        )
        return self.mails

    def body_of(self, mail: ReceivedMail) -> str:
        for part in mail.message.walk():
            if part.get_content_type() == "text/plain":
                return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
        return ""


def database_url() -> str:
    """The URL of the database the tests use right now (pytest-django's test database)."""
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="") + (f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@dataclass
class CeleryWorkers:
    """Real `celery worker` processes, started with the test's database and SMTP server."""

    smtp: SmtpServer
    queue: str
    log_dir: Path
    processes: list[subprocess.Popen] = field(default_factory=list, repr=False)
    queues: set[str] = field(default_factory=set)

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            DATABASE_URL=database_url(),
            REDIS_URL=settings.CELERY_BROKER_URL,
            CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
            CELERY_QUEUE=self.queue,
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(self.smtp.port),
            EMAIL_TIMEOUT="5",
            OUTBOX_RETRY_BASE_SECONDS="0.5",
            OUTBOX_MAX_ATTEMPTS="20",
            OUTBOX_SWEEP_SECONDS="1",
            OUTBOX_QUEUED_STALE_SECONDS="3",
            OUTBOX_SENDING_STALE_SECONDS="4",
            RELEASE_STALE_SECONDS="3",
            RELEASE_SWEEP_SECONDS="1",
            PYTHONUNBUFFERED="1",
        )
        env.update(extra)
        return env

    def start(
        self,
        *,
        concurrency: int = 2,
        beat: bool = False,
        queues: list[str] | None = None,
        **extra_env: str,
    ) -> subprocess.Popen:
        """Start a worker (consuming `queues`, by default the test's queue) and wait until it is ready.

        With `beat`, the worker also runs Celery beat, and so the outbox sweeper every second.
        """
        queues = queues or [self.queue]
        self.queues.update(queues)
        name = f"w{len(self.processes)}-{uuid.uuid4().hex[:6]}"
        log = self.log_dir / f"{name}.log"
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "--pool", "prefork", "--concurrency", str(concurrency),
            "--queues", ",".join(queues), "--hostname", f"{name}@%h",
            "--without-gossip", "--without-mingle", "--loglevel", "INFO",
        ]  # fmt: skip
        if beat:
            command += ["--beat", "--schedule", str(self.log_dir / f"{name}-beat")]
        with log.open("w") as output:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env(**extra_env),
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: a kill reaches the pool children too
            )
        process.name = name
        process.log_path = log
        self.processes.append(process)
        wait_until(
            lambda: process.poll() is not None or " ready." in log.read_text(),
            timeout=60,
            message=f"worker {name} to be ready",
        )
        if process.poll() is not None:
            raise RuntimeError(f"Celery worker {name} exited:\n{log.read_text()[-3000:]}")
        return process

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL the worker and its pool at once, as an out-of-memory killer or a power cut would."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        # SIGTERM to each main process only (all at once: a warm shutdown takes a second or two):
        # Celery stops its own pool. Sent to the whole group, it would kill pool children mid-task.
        running = [process for process in self.processes if process.poll() is None]
        for process in running:
            process.terminate()
        for process in running:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=15)
        for process in self.processes:
            # Whatever is left of a group (a pool child, the embedded beat) goes too.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def log_of(self, process: subprocess.Popen) -> str:
        return Path(process.log_path).read_text()

    def count_in_log(self, process: subprocess.Popen, text: str) -> int:
        return self.log_of(process).count(text)

    def logs(self, tail: int = 4000) -> str:
        """Each worker's warnings and errors, then the end of its log: what a CI failure needs."""
        parts = []
        for process in self.processes:
            text = self.log_of(process)
            problems = [
                line
                for line in text.splitlines()
                if any(word in line for word in ("WARNING", "ERROR", "CRITICAL", "Traceback"))
            ]
            status = "running" if process.poll() is None else f"exited with {process.returncode}"
            parts.append(
                f"===== worker {process.name} ({status}), log {process.log_path} =====\n"
                + (f"--- warnings and errors ({len(problems)}) ---\n" + "\n".join(problems[-40:]) + "\n")
                * bool(problems)
                + f"--- last {tail} characters ---\n{text[-tail:]}"
            )
        return "\n".join(parts) or "(no worker was started)"


@pytest.fixture(scope="session")
def smtp_server():
    server = SmtpServer()
    server.start()
    yield server
    if server.running:
        server.stop()


@pytest.fixture
def mailbox(smtp_server):
    """The SMTP server's inbox, empty, up and at full speed at the start of the test."""
    smtp_server.reset()
    yield smtp_server
    smtp_server.reset()


@pytest.fixture
def real_services(transactional_db):
    reason = real_services_missing()
    if reason:
        pytest.skip(reason)


@pytest.fixture
def celery_workers(real_services, mailbox, tmp_path):
    """Start workers with `celery_workers.start()`; all are stopped at the end of the test."""
    from config.celery import app

    queue = f"convene-test-{uuid.uuid4().hex[:8]}"
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    workers = CeleryWorkers(smtp=mailbox, queue=queue, log_dir=tmp_path)
    yield workers
    workers.stop_all()
    app.conf.task_default_queue = previous
    with app.connection_for_write() as conn:
        for name in workers.queues | {queue}:
            conn.default_channel.queue_purge(name)
