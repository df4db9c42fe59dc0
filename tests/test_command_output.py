"""What the operators' commands print reads as English does: "1 deadline reminder",
"2 deadline reminders", never "1 deadline reminders"."""

from io import StringIO

import pytest
from django.core.management import call_command

from privacy.retention import RetentionReport


def output(name: str, *args: str) -> str:
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue().strip()


def test_send_reminders_counts_one_and_many(monkeypatch):
    module = "vpi_portal.management.commands.send_reminders"
    monkeypatch.setattr(f"{module}.event_reminders_write", lambda: 1)
    monkeypatch.setattr(f"{module}.deadline_reminders_write", lambda: 1)
    monkeypatch.setattr(f"{module}.milestone_nudges_write", lambda: 0)
    monkeypatch.setattr(f"{module}.membership_nudges_write", lambda: 3)
    monkeypatch.setattr(f"{module}.waiting_lists_close", lambda: 1)
    assert output("send_reminders") == (
        "1 event reminder, 1 deadline reminder, 0 milestone nudges, 3 membership nudges, "
        "1 waiting-list place closed"
    )


@pytest.mark.parametrize(
    ("frequency", "written", "expected"),
    [
        ("weekly", [1], "1 weekly digest written."),
        ("weekly", [2, 3], "5 weekly digests written."),
        ("daily", [1], "1 daily digest written."),
    ],
)
def test_send_digests_counts_one_and_many(monkeypatch, frequency, written, expected):
    module = "digests.management.commands.send_digests"
    monkeypatch.setattr(f"{module}.digest_chunks", lambda frequency: [[pk] for pk in written])
    counts = iter(written)
    monkeypatch.setattr(f"{module}.digests_build", lambda **kwargs: next(counts))
    assert output("send_digests", "--frequency", frequency) == expected


def test_sweep_notifications_counts_one_and_many(monkeypatch):
    monkeypatch.setattr(
        "notifications.management.commands.sweep_notifications.notifications_sweep",
        lambda: {"released": 1, "enqueued": 2},
    )
    assert output("sweep_notifications") == "Released 1 stale claim.\nEnqueued 2 emails."


def test_enforce_retention_counts_one_and_many(monkeypatch):
    monkeypatch.setattr(
        "privacy.management.commands.enforce_retention.retention_enforce",
        lambda: RetentionReport(
            rejected_organizations_deleted=1,
            membership_requests_anonymized=2,
            notification_bodies_purged=1,
            invitations_deleted=0,
            audit_entries_deleted=1,
            expired_sessions_deleted=4,
        ),
    )
    assert output("enforce_retention") == (
        "1 rejected organization deleted, 2 membership requests anonymized, "
        "1 email's text purged, 0 invitations deleted, 1 audit entry deleted, "
        "4 expired sessions deleted"
    )
