import pytest
from django.core.management import CommandError, call_command

from countries.models import Country, Initiative
from stakeholders.models import User

pytestmark = pytest.mark.django_db


def snapshot() -> list:
    return [
        list(Country.objects.order_by("pk").values()),
        list(Initiative.objects.order_by("pk").values()),
        list(User.objects.order_by("pk").values()),
    ]


def test_seed_demo_loads_the_four_vpi_countries_and_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    first = snapshot()
    call_command("seed_demo", verbosity=0)
    assert snapshot() == first

    codes = {country.code.code for country in Country.objects.all()}
    assert codes == {"MX", "PK", "KE", "AO"}
    assert Initiative.objects.get(country__code="MX").launched_on.year == 2022
    assert Initiative.objects.get(country__code="KE").launched_on.year == 2023
    staff = User.objects.get(email="csu@vpi.example")
    assert staff.is_staff
    assert staff.check_password("vpi-demo-2026")


def test_seed_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DJANGO_DEBUG on"):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.exists()


def test_the_demo_is_visible_to_visitors(client, settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    content = client.get("/").content.decode()
    for name in ("Mexico", "Pakistan", "Kenya", "Angola"):
        assert name in content
