from django.apps import apps
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from countries.models import Initiative

from .forms import PreferencesForm
from .models import PORTAL_CATEGORIES, Category, Notification
from .services import (
    follow_set,
    preferences_for,
    preferences_unsubscribe,
    read_unsubscribe_token,
)

INBOX_PAGE_SIZE = 25


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, instance=preferences_for(request.user))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your email preferences have been saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


# The token is the credential here: mail clients post to this address without a session or
# CSRF token (RFC 8058 one-click unsubscribe).
@never_cache
@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user_id, category = read_unsubscribe_token(token)
    except signing.SignatureExpired:
        return render(request, "notifications/unsubscribe.html", {"problem": "expired"}, status=400)
    except signing.BadSignature:
        return render(request, "notifications/unsubscribe.html", {"problem": "invalid"}, status=400)
    if not get_user_model().objects.filter(pk=user_id, is_active=True).exists():
        # A deleted or deactivated account: the link stands for nobody any more.
        return render(request, "notifications/unsubscribe.html", {"problem": "invalid"}, status=400)
    label = Category(category).label
    if request.method == "POST":
        preferences_unsubscribe(user_id=user_id, category=category)
        return render(request, "notifications/unsubscribe.html", {"done": True, "label": label})
    return render(request, "notifications/unsubscribe.html", {"label": label, "token": token})


@require_POST
@login_required
def follow_country(request: HttpRequest, code: str) -> HttpResponse:
    """Follow a country, or stop: its news comes in the digest and on "My work"."""
    initiative = (
        Initiative.objects.visible_to(request.user)
        .filter(country__code=code.upper())
        .select_related("country")
        .first()
    )
    if initiative is None:
        raise Http404("No such country.")
    country = initiative.country
    followed = preferences_for(request.user).countries
    if request.POST.get("follow") == "1":
        followed.add(country)
        messages.success(
            request,
            _("You follow %(country)s: its news comes in your digest and on “My work”.")
            % {"country": country.name},
        )
    else:
        followed.remove(country)
        messages.success(
            request, _("You no longer follow %(country)s.") % {"country": country.name}
        )
    return redirect(country)


def _inbox(request: HttpRequest):
    return Notification.objects.filter(
        recipient=request.user, category__in=PORTAL_CATEGORIES
    ).order_by("-created_at", "-pk")


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The person's notifications in the portal: what the emails said, each written for this
    reader when it was sent, including those they chose to have in the portal only."""
    rows = _inbox(request).only("pk", "subject", "kind", "created_at", "read_at", "status")
    page = Paginator(rows, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page_obj": page})


@login_required
def notification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(_inbox(request), pk=pk)
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at=None).update(read_at=timezone.now())
    return render(request, "notifications/detail.html", {"notification": notification})


@require_POST
@login_required
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    count = _inbox(request).filter(read_at=None).update(read_at=timezone.now())
    messages.success(
        request,
        ngettext(
            "%(count)d notification marked as read.",
            "%(count)d notifications marked as read.",
            count,
        )
        % {"count": count},
    )
    return redirect("notifications:inbox")


# What may be followed: the model, and the permission its page asks.
FOLLOWABLE = {
    "roadmap": ("roadmaps", "Roadmap", "roadmaps.view_roadmap"),
    "milestone": ("roadmaps", "Milestone", "roadmaps.view_roadmap"),
    "consultation": ("consultations", "Consultation", "consultations.view_consultation"),
    "event": ("events", "Event", "events.view_event"),
}


@require_POST
@login_required
def follow(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Follow a roadmap, a milestone, a consultation or an event, or stop: its news then
    reaches the person, in their notifications and their digest."""
    if kind not in FOLLOWABLE:
        raise Http404("Nothing to follow.")
    app_label, model_name, may_see = FOLLOWABLE[kind]
    target = apps.get_model(app_label, model_name).objects.filter(pk=pk).first()
    if target is None or not request.user.has_perm(may_see, target):
        raise Http404("Nothing to follow.")
    on = request.POST.get("follow") == "1"
    follow_set(user=request.user, target=target, on=on)
    if on:
        messages.success(
            request, _("You follow it: its news comes to your notifications and your digest.")
        )
    else:
        messages.success(request, _("You no longer follow it."))
    return redirect(target.get_absolute_url())
