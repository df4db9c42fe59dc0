from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from common.admin import JoinedRows
from roadmaps.admin import ReadOnlyAdmin

from .models import Consultation, ConsultationInput


class InputInline(JoinedRows, admin.StackedInline):
    model = ConsultationInput
    fields = ["organization", "author", "text", "attachment_name", "created_at", "response"]
    readonly_fields = fields
    joined = ("organization", "author", "consultation")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["title", "initiative", "kind", "audience", "deadline", "status"]
    list_filter = ["status", "audience", "kind", "initiative__country"]
    search_fields = ["title", "description"]
    list_select_related = ["initiative"]
    readonly_fields = ["document", "document_name", "document_content_type", "document_size"]
    inlines = [InputInline]


@admin.register(ConsultationInput)
class ConsultationInputAdmin(ReadOnlyAdmin):
    list_display = ["consultation", "organization", "created_at", "responded_at"]
    search_fields = ["text", "response", "organization__name"]
    list_select_related = ["consultation", "organization"]
