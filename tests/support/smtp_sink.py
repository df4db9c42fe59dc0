"""A local SMTP server for tests: records what it accepts, and can stall on demand so a
test can kill the sender in the middle of a batch."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    to: list[str]
    message: email.message.EmailMessage
    peer: tuple[str, int] | None = None  # the sender's end of the connection it came over

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])


@dataclass
class SmtpSink:
    """Accepts every message; with ``stall_after=N`` it holds the (N+1)th message at RCPT,
    before anything is accepted, until ``release`` is set."""

    stall_after: int | None = None
    received: list[Received] = field(default_factory=list)
    stalled: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    port: int = field(default_factory=free_port)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.stall_after is not None and len(self.received) >= self.stall_after:
            self.stalled.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append(
            Received(to=list(envelope.rcpt_tos), message=message, peer=session.peer)
        )
        return "250 Message accepted for delivery"

    def __enter__(self) -> SmtpSink:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.controller.stop()

    def addresses(self) -> list[str]:
        return sorted(address for item in self.received for address in item.to)
