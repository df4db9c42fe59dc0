from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from .models import Country, Initiative


class InitiativeInline(admin.TabularInline):
    model = Initiative
    fields = ["title", "status", "launched_on", "visibility"]
    extra = 0
    show_change_link = True


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "un_regional_group", "risk_level", "initiative_count"]
    list_filter = ["un_regional_group", "risk_level"]
    search_fields = ["code"]
    inlines = [InitiativeInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Country]:
        return super().get_queryset(request).annotate(initiative_count=Count("initiatives"))

    @admin.display(description=_("country"), ordering="code")
    def name(self, obj: Country) -> str:
        return obj.name

    @admin.display(description=_("initiatives"), ordering="initiative_count")
    def initiative_count(self, obj: Country) -> int:
        return obj.initiative_count  # type: ignore[attr-defined]


@admin.register(Initiative)
class InitiativeAdmin(TranslationAdmin):
    list_display = ["title", "country", "status", "launched_on", "lead_ministry", "visibility"]
    list_filter = ["status", "visibility", "country__un_regional_group", "country__risk_level"]
    search_fields = ["title", "lead_ministry", "summary", "country__code"]
    list_select_related = ["country"]
    date_hierarchy = "launched_on"
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["country", "title", "status", "launched_on", "lead_ministry"]}),
        (_("Content"), {"fields": ["summary", "visibility"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
