from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .validators import validate_time_zone


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    FRENCH = "fr", _("French")
    PORTUGUESE = "pt", _("Portuguese")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields: Any) -> User:
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields: Any) -> User:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> User:
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. The email address is the login.

    ``is_staff`` marks CSU staff: they administer the portal and see every country.
    """

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    display_name = models.CharField(
        _("display name"),
        max_length=100,
        blank=True,
        help_text=_(
            "Shown to other members instead of your full name. Use a pseudonym if being "
            "identified could put you at risk."
        ),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=Language.choices, default=Language.ENGLISH
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    is_staff = models.BooleanField(
        _("CSU staff"),
        default=False,
        help_text=_("Staff of the UNODC Civil Society Unit: may administer the whole portal."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.public_name or self.email

    @property
    def public_name(self) -> str:
        """The name others see: the display name (pseudonym) when the person chose one."""
        return self.display_name or self.full_name

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.public_name
