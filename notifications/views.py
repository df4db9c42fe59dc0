from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

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
