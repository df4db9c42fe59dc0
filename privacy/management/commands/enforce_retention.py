from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from privacy.retention import retention_enforce


class Command(BaseCommand):
    help = (
        "Delete or anonymize what is past its retention period (docs/retention.md). Celery "
        "beat runs this every night; without beat, run it daily from cron."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = retention_enforce()
        lines = {
            "rejected_organizations_deleted": ngettext(
                "%(count)d rejected organization deleted",
                "%(count)d rejected organizations deleted",
                report.rejected_organizations_deleted,
            ),
            "membership_requests_anonymized": ngettext(
                "%(count)d membership request anonymized",
                "%(count)d membership requests anonymized",
                report.membership_requests_anonymized,
            ),
            "notification_bodies_purged": ngettext(
                "%(count)d email's text purged",
                "%(count)d emails' texts purged",
                report.notification_bodies_purged,
            ),
            "invitations_deleted": ngettext(
                "%(count)d invitation deleted",
                "%(count)d invitations deleted",
                report.invitations_deleted,
            ),
            "audit_entries_deleted": ngettext(
                "%(count)d audit entry deleted",
                "%(count)d audit entries deleted",
                report.audit_entries_deleted,
            ),
            "expired_sessions_deleted": ngettext(
                "%(count)d expired session deleted",
                "%(count)d expired sessions deleted",
                report.expired_sessions_deleted,
            ),
        }
        self.stdout.write(
            ", ".join(lines[name] % {"count": count} for name, count in asdict(report).items())
        )
