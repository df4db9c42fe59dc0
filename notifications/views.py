from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from countries.models import Initiative

from .forms import PreferencesForm
from .models import Category
from .services import preferences_for, preferences_unsubscribe, read_unsubscribe_token


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
