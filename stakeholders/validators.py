import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def validate_time_zone(value: str) -> None:
    """Accept any IANA time zone name, such as "Africa/Nairobi"."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not a known time zone. Use a name such as Africa/Nairobi."),
            params={"value": value},
            code="invalid_time_zone",
        )
