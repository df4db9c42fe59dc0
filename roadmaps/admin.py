from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin

from common.admin import JoinedRows

from .models import (
    Assessment,
    Comment,
    Endorsement,
    Evidence,
    Milestone,
    MilestoneUpdate,
    Priority,
    Roadmap,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """History is never edited, in the portal or here: progress reports, their evidence and
    assessments are shown, not changed."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PriorityInline(admin.TabularInline):
    model = Priority
    fields = ["order", "title", "proposed_by", "instrument", "article"]
    extra = 0
    show_change_link = True


@admin.register(Roadmap)
class RoadmapAdmin(admin.ModelAdmin):
    list_display = ["title", "initiative", "version", "status", "adopted_on", "updated_at"]
    list_filter = ["status", "initiative__country"]
    search_fields = ["title", "initiative__title", "initiative__country__code"]
    list_select_related = ["initiative__country"]
    readonly_fields = ["adopted_on", "adopted_at", "adopted_by", "consultation_opened_at"]
    raw_id_fields = ["revision_of", "created_by"]
    inlines = [PriorityInline]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    fields = ["order", "title", "lead", "due_on", "status", "progress"]
    extra = 0
    show_change_link = True


@admin.register(Priority)
class PriorityAdmin(TranslationAdmin):
    list_display = ["title", "roadmap", "order", "proposed_by", "instrument", "article"]
    list_filter = ["proposed_by", "instrument", "themes", "roadmap__initiative__country"]
    search_fields = ["title", "description"]
    list_select_related = ["roadmap"]
    filter_horizontal = ["themes"]
    raw_id_fields = ["roadmap", "copied_from"]
    inlines = [MilestoneInline]


@admin.register(Milestone)
class MilestoneAdmin(TranslationAdmin):
    list_display = ["title", "priority", "lead", "due_on", "status", "progress"]
    list_filter = ["status", "priority__roadmap__status", "priority__roadmap__initiative__country"]
    search_fields = ["title", "description", "lead"]
    list_select_related = ["priority"]
    raw_id_fields = ["priority", "copied_from", "lead_organizations"]
    date_hierarchy = "due_on"


class EvidenceInline(admin.TabularInline):
    model = Evidence
    fields = ["kind", "sensitivity", "title", "url", "original_name", "size", "content_type"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AssessmentInline(JoinedRows, admin.TabularInline):
    model = Assessment
    fields = ["author", "organization", "verdict", "comment", "created_at", "response"]
    readonly_fields = fields
    joined = ("author", "organization", "update__milestone")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MilestoneUpdate)
class MilestoneUpdateAdmin(ReadOnlyAdmin):
    list_display = ["milestone", "created_at", "author", "status_after", "progress_after"]
    list_filter = ["status_after", "milestone__priority__roadmap__initiative__country"]
    search_fields = ["narrative", "milestone__title"]
    list_select_related = ["milestone", "author"]
    date_hierarchy = "created_at"
    inlines = [EvidenceInline, AssessmentInline]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["label", "kind", "sensitivity", "content_type", "size", "created_at"]
    list_filter = ["kind", "sensitivity"]
    search_fields = ["title", "original_name", "url"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["update", "verdict", "author", "organization", "created_at", "responded_at"]
    list_filter = ["verdict"]
    search_fields = ["comment", "response"]
    list_select_related = ["update__milestone", "author", "organization"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "roadmap", "created_at", "responded_at", "hidden_at"]
    list_filter = ["roadmap__status", "roadmap__initiative__country"]
    search_fields = ["body", "response"]
    # The row names what it is about: the milestone, the priority or the roadmap.
    list_select_related = ["roadmap", "author", "milestone", "priority"]
    readonly_fields = [
        "roadmap",
        "priority",
        "milestone",
        "author",
        "body",
        "created_at",
        "response",
        "responded_by",
        "responded_at",
        "hidden_by",
        "hidden_at",
    ]


@admin.register(Endorsement)
class EndorsementAdmin(ReadOnlyAdmin):
    list_display = ["roadmap", "user", "created_at"]
