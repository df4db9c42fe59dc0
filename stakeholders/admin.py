from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from common.admin import JoinedRows

from .models import (
    Alliance,
    AllianceMembership,
    InitiativeRole,
    Invitation,
    Organization,
    OrganizationMember,
    Theme,
    User,
)


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name"]


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    list_display = ["email", "full_name", "display_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "preferred_language"]
    search_fields = ["email", "full_name", "display_name"]
    ordering = ["email"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Profile"),
            {"fields": ["full_name", "display_name", "preferred_language", "time_zone"]},
        ),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "usable_password", "password1", "password2"],
            },
        ),
    ]


# --- Organizations -------------------------------------------------------------------------


class OrganizationMemberInline(JoinedRows, admin.TabularInline):
    # The person is shown, not chosen: a widget to choose one reads its person per row.
    # People join through invitations, or on the members' own page here.
    model = OrganizationMember
    fields = ["user", "role", "joined_at"]
    readonly_fields = ["user", "joined_at"]
    joined = ("user", "organization")
    extra = 0
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class InvitationInline(JoinedRows, admin.TabularInline):
    model = Invitation
    fields = ["email", "role", "invited_by", "created_at", "accepted_at", "revoked_at"]
    readonly_fields = fields
    joined = ("invited_by", "organization")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # invitations are sent from the portal, which emails the link


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "country", "kind", "status", "visibility", "created_at"]
    list_filter = ["status", "kind", "visibility", "country"]
    search_fields = ["name", "acronym", "slug", "description", "contact_email"]
    list_select_related = ["country"]
    date_hierarchy = "created_at"
    filter_horizontal = ["themes"]
    inlines = [OrganizationMemberInline, InvitationInline]
    # Vetting decisions go through the portal's vetting queue, which records them and
    # emails the organization's admins; here they are read-only.
    readonly_fields = [
        "status",
        "status_reason",
        "status_changed_by",
        "status_changed_at",
        "created_by",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "acronym",
                    "slug",
                    "kind",
                    "country",
                    "city",
                    "website",
                    "description",
                    "themes",
                    "contact_email",
                    "visibility",
                ]
            },
        ),
        (
            _("Vetting"),
            {
                "description": _("Decide in the portal's vetting queue."),
                "fields": ["status", "status_reason", "status_changed_by", "status_changed_at"],
            },
        ),
        (_("Record"), {"fields": ["created_by", "created_at", "updated_at"]}),
    ]


@admin.register(Theme)
class ThemeAdmin(TranslationAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(OrganizationMember)
class OrganizationMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role", "joined_at"]
    list_filter = ["role", "organization__status", "organization__country"]
    search_fields = [
        "user__email",
        "user__full_name",
        "organization__name",
        "organization__acronym",
    ]
    list_select_related = ["user", "organization"]
    raw_id_fields = ["user", "organization"]
    readonly_fields = ["joined_at"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organization", "role", "invited_by", "created_at", "accepted_at"]
    list_filter = [
        "role",
        ("accepted_at", admin.EmptyFieldListFilter),
        ("revoked_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["email", "organization__name", "invited_by__email"]
    list_select_related = ["organization", "invited_by"]
    raw_id_fields = ["organization", "invited_by", "accepted_by"]
    readonly_fields = ["created_at", "accepted_by", "accepted_at", "revoked_at"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # sent from the organization's people page, which emails the link


# --- Alliances and initiative roles --------------------------------------------------------


class AllianceMembershipInline(JoinedRows, admin.TabularInline):
    # An alliance has hundreds of members: they are listed, each with a link to its own
    # page, not edited here (a widget to choose an organization reads one per row).
    # Organizations ask to join and coordinators decide in the portal.
    model = AllianceMembership
    fields = ["organization", "status", "requested_at", "decided_by", "decided_at"]
    readonly_fields = fields
    joined = ("organization", "decided_by", "alliance")
    extra = 0
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Alliance)
class AllianceAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "founded_on", "member_list_visibility"]
    list_filter = ["member_list_visibility", "country__risk_level", "country__un_regional_group"]
    search_fields = ["name", "country__code", "coordinators__email", "coordinators__full_name"]
    list_select_related = ["country"]
    filter_horizontal = ["coordinators"]
    inlines = [AllianceMembershipInline]


@admin.register(AllianceMembership)
class AllianceMembershipAdmin(admin.ModelAdmin):
    list_display = ["organization", "alliance", "status", "requested_at", "decided_at"]
    list_filter = ["status", "alliance", "organization__kind"]
    search_fields = ["organization__name", "organization__acronym", "alliance__name", "motivation"]
    list_select_related = ["organization", "alliance__country"]
    raw_id_fields = ["organization", "requested_by", "decided_by"]
    readonly_fields = ["requested_at"]
    date_hierarchy = "requested_at"


@admin.register(InitiativeRole)
class InitiativeRoleAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "role",
        "initiative",
        "agency",
        "shown_publicly",
        "active_from",
        "active_until",
    ]
    list_filter = ["role", "shown_publicly", ("active_until", admin.EmptyFieldListFilter)]
    search_fields = ["user__email", "user__full_name", "agency", "initiative__title"]
    list_select_related = ["user", "initiative__country"]
    raw_id_fields = ["user", "initiative", "assigned_by"]
