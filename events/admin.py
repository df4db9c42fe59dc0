from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from common.admin import JoinedRows

from .models import ActionItem, AgendaItem, CalendarFeed, Event, Registration


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


class ActionItemInline(JoinedRows, admin.TabularInline):
    # The milestone an action item became is shown: the portal links them. A list to
    # choose from would hold every milestone of every country, once per row.
    model = ActionItem
    readonly_fields = ["milestone"]
    joined = ("milestone",)
    extra = 0


@admin.register(Event)
class EventAdmin(TranslationAdmin):
    list_display = [
        "title",
        "kind",
        "initiative",
        "alliance",
        "starts_at",
        "format",
        "visibility",
        "status",
        "capacity",
    ]
    list_filter = ["status", "kind", "format", "visibility", "topic", "chatham_house"]
    search_fields = ["title", "description", "initiative__title", "alliance__name"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["organizers"]
    raw_id_fields = ["created_by"]
    list_select_related = ["initiative__country", "alliance__country"]
    readonly_fields = ["sequence", "created_by", "created_at", "updated_at"]
    inlines = [AgendaItemInline, ActionItemInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["event", "user", "organization", "status", "position", "created_at"]
    list_filter = ["status", "event__kind"]
    search_fields = ["event__title", "user__email", "user__full_name", "organization__name"]
    raw_id_fields = ["event", "user", "organization", "invited_by"]
    list_select_related = ["event", "user", "organization"]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["text", "event", "owner", "due_on"]
    search_fields = ["text", "owner", "event__title"]
    list_filter = ["due_on"]
    raw_id_fields = ["event", "milestone"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
    readonly_fields = ["token", "created_at"]
