"""Real services for integration and browser tests: an SMTP server and Celery worker processes.

PostgreSQL and Redis come from the environment (DATABASE_URL, REDIS_URL; `make integration`
sets them and .ci/run starts the servers). Without them these tests skip, and in CI a skip fails.
"""

from __future__ import annotations

import email
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

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


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


def wait_until(predicate, *, timeout: float = 30, interval: float = 0.1, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout}s waiting for {message}")


@dataclass
class ReceivedMail:
    message_id: str
    to: list[str]
    subject: str
    message: email.message.Message


class _Handler:
    def __init__(self, inbox: list[ReceivedMail], lock: threading.Lock):
        self.inbox = inbox
        self.lock = lock

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
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
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    """A real SMTP server (aiosmtpd) on a fixed local port that can go down and come back."""

    port: int = field(default_factory=free_port)
    inbox: list[ReceivedMail] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(_Handler(self.inbox, self._lock), hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller:
            self._controller.stop()
            self._controller = None

    def clear(self) -> None:
        with self._lock:
            self.inbox.clear()

    @property
    def mails(self) -> list[ReceivedMail]:
        with self._lock:
            return list(self.inbox)

    def message_ids(self) -> list[str]:
        return [m.message_id for m in self.mails]

    def wait_for(self, count: int, *, timeout: float = 30) -> list[ReceivedMail]:
        wait_until(
            lambda: len(self.mails) >= count, timeout=timeout, message=f"{count} mails at the SMTP server"
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
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@dataclass
class CeleryWorkers:
    """Real `celery worker` processes, started with the test's database and SMTP server."""

    smtp: SmtpServer
    queue: str
    log_dir: Path
    processes: list[subprocess.Popen] = field(default_factory=list)

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
            PYTHONUNBUFFERED="1",
        )
        env.update(extra)
        return env

    def start(self, *, concurrency: int = 2, beat: bool = False, **extra_env: str) -> subprocess.Popen:
        name = f"w{len(self.processes)}-{uuid.uuid4().hex[:6]}"
        log = self.log_dir / f"{name}.log"
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "--pool", "prefork", "--concurrency", str(concurrency),
            "--queues", self.queue, "--hostname", f"{name}@%h",
            "--without-gossip", "--without-mingle", "--loglevel", "INFO",
        ]  # fmt: skip
        if beat:
            command += ["--beat", "--schedule", str(self.log_dir / f"{name}-beat")]
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env(**extra_env),
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: a kill reaches the pool children too
        )
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
        for process in self.processes:
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                    process.wait(timeout=15)
                except (subprocess.TimeoutExpired, ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)
        self.processes.clear()

    def logs(self) -> str:
        return "\n".join(Path(p.log_path).read_text()[-4000:] for p in self.processes)


@pytest.fixture(scope="session")
def smtp_server():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(smtp_server):
    """The SMTP server's inbox, empty at the start of the test."""
    smtp_server.clear()
    if smtp_server._controller is None:
        smtp_server.start()
    yield smtp_server
    if smtp_server._controller is None:
        smtp_server.start()


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
        conn.default_channel.queue_purge(queue)
