from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .filters import AuditEntryFilter
from .models import AuditEntry

PAGE_SIZE = 50


@require_safe
@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """What happened, who did it and who looked at personal data: for CSU staff, read-only."""
    if not request.user.has_perm("audit.view_log"):
        raise Http404("No such page.")
    filterset = AuditEntryFilter(request.GET, queryset=AuditEntry.objects.select_related("actor"))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"filter": filterset, "page_obj": page})
