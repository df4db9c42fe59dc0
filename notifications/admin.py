from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .kinds import kind_label
from .models import Notification, NotificationStatus, Preferences
from .services import notifications_retry


class KindFilter(admin.SimpleListFilter):
    """The kinds of email in the outbox, by their labels."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        kinds = Notification.objects.order_by().values_list("kind", flat=True).distinct()
        return sorted(((kind, kind_label(kind)) for kind in kinds), key=lambda choice: choice[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet[Notification]) -> QuerySet:
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox, for staff to see what was sent, what failed and why, and to retry."""

    list_display = [
        "created_at",
        "to_email",
        "kind_label",
        "category",
        "status",
        "attempts",
        "sent_at",
        "delivery_note",
    ]
    list_filter = ["status", "category", KindFilter]
    search_fields = ["to_email", "subject", "dedupe_key", "last_error"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, notification: Notification) -> str:
        return kind_label(notification.kind)

    @admin.display(description=_("last error"))
    def delivery_note(self, notification: Notification) -> str:
        """Why a row is waiting or failed; "Delivery unknown" warns that the person may
        already have it, so that sending it again may send it twice."""
        return Truncator(notification.last_error).chars(160) if notification.last_error else ""

    @admin.action(description=_("Send the selected failed emails again"))
    def retry(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        count = notifications_retry(
            ids=queryset.filter(status=NotificationStatus.FAILED).values_list("pk", flat=True)
        )
        self.message_user(
            request,
            ngettext("%(count)d email queued again.", "%(count)d emails queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Preferences)
class PreferencesAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "activity_emails",
        "event_reminders",
        "digest_frequency",
        "last_digest_at",
    ]
    list_filter = ["digest_frequency", "event_reminders", "activity_emails"]
    search_fields = ["user__email", "user__full_name"]
    filter_horizontal = ["countries"]
    raw_id_fields = ["user"]
