from django.contrib import admin

from common.admin import JoinedRows
from roadmaps.admin import ReadOnlyAdmin

from .models import GroupMember, Reply, Thread, WorkingGroup


class MemberInline(JoinedRows, admin.TabularInline):
    model = GroupMember
    fields = ["user", "side", "organization", "agency", "status", "decided_at"]
    readonly_fields = ["user", "organization", "decided_at"]
    joined = ("user", "organization")
    extra = 0


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["title", "initiative", "theme", "visibility", "chatham_house", "facilitator"]
    list_filter = ["visibility", "chatham_house", "theme", "initiative__country"]
    search_fields = ["title", "purpose"]
    list_select_related = ["initiative", "theme", "facilitator"]
    raw_id_fields = ["facilitator", "created_by"]
    inlines = [MemberInline]


@admin.register(Thread)
class ThreadAdmin(ReadOnlyAdmin):
    list_display = ["title", "group", "created_at", "last_activity_at"]
    search_fields = ["title", "context"]
    list_select_related = ["group"]


@admin.register(Reply)
class ReplyAdmin(ReadOnlyAdmin):
    list_display = ["thread", "created_at", "edited_at", "hidden_at"]
    list_filter = ["hidden_at"]
    search_fields = ["body"]
    list_select_related = ["thread"]
