from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from countries.models import Initiative


def home(request: HttpRequest) -> HttpResponse:
    """What a VPI is, the countries running one, and a call to take part."""
    initiatives = sorted(
        Initiative.objects.visible_to(request.user).open().select_related("country"),
        key=lambda initiative: str(initiative.country.name),
    )
    return render(request, "home.html", {"initiatives": initiatives})
