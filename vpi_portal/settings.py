"""Settings for the VPI Portal.

Everything that differs between a laptop and production comes from the environment
(or from a ``.env`` file beside manage.py). The defaults are for local development:
SQLite under var/, tasks run inline, emails written to var/mail/. With
``DJANGO_DEBUG=false`` the portal refuses to start without a real secret key.

Any variable may instead be given as ``NAME_FILE`` pointing at a file that holds it
(Docker and Kubernetes secrets).
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.FileAwareEnv()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=True)

# --- Secrets ---------------------------------------------------------------------------
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. It is required when DJANGO_DEBUG is off: "
            "set DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) to a long random string."
        )
    SECRET_KEY = "django-insecure-local-development-only-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications ----------------------------------------------------------------------
INSTALLED_APPS = [
    # Before the admin: its translation fields and admin classes patch the models first.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Third party
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "bootstrap",  # Bootstrap's CSS and JS, shipped by the django-bootstrap-static package
    # The portal
    "vpi_portal",
    "countries",
    "stakeholders",
    "roadmaps",
    "consultations",
    "groups",
    "events",
    "notifications",
    "audit",
    "digests",
    "privacy",
    # Django's form templates, for the FORM_RENDERER below.
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "vpi_portal.middleware.RejectNullBytesMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: private, no-store on what a signed-in person is answered.
    "vpi_portal.middleware.PrivateResponsesMiddleware",
    "vpi_portal.middleware.PreferredLanguageMiddleware",
    "vpi_portal.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "stakeholders.two_factor.SessionTimeoutMiddleware",
    "stakeholders.two_factor.RequireTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "vpi_portal.urls"
WSGI_APPLICATION = "vpi_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "stakeholders.context_processors.session_clock",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# Forms render through the project's template engine, so that templates/django/forms/ can
# write a widget more cheaply (the select's options inline).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database --------------------------------------------------------------------------
try:
    DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
except (ImproperlyConfigured, KeyError, ValueError) as exc:
    raise ImproperlyConfigured(
        f"DATABASE_URL is not a database URL this portal understands ({exc}). "
        "Use postgres://USER:PASSWORD@HOST:PORT/NAME or sqlite:////absolute/path.sqlite3."
    ) from exc
if DATABASES["default"].get("ENGINE") not in (
    "django.db.backends.postgresql",
    "django.db.backends.sqlite3",
):
    raise ImproperlyConfigured(
        "DATABASE_URL names no database engine this portal runs on "
        f"({DATABASES['default'].get('ENGINE')!r}); "
        "the portal runs on PostgreSQL (production) or SQLite (local development)."
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # PostgreSQL compiles queries it estimates as costly (the visibility filters' OR
    # branches look so) just in time, which took longer than running them: about a second
    # per page on the large dataset. The portal's queries are short; no JIT.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery ------------------------------------------------------------------
# Without REDIS_URL the portal runs on its own: a local-memory cache and tasks run inline.
REDIS_URL = env.str("REDIS_URL", default="")
# How long a public page stays cached for visitors at most (common/visitor_cache.py); a
# change to what it shows ends it sooner. Only with Redis (a cache all web processes
# share); 0 turns it off.
PORTAL_PAGE_CACHE_SECONDS = env.int("PORTAL_PAGE_CACHE_SECONDS", default=60)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "vpi_portal.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "vpi",
            # A cache call must never hold a page up: Redis answers in a millisecond, and
            # after a timeout the cache skips it for a while (vpi_portal/cache.py).
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True

CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="celery")
# Delivering email mostly waits on the mail server: a worker of its own for this queue can
# run more processes than there are cores (docker-compose.yml). Unset, it is the queue above.
CELERY_TASK_ROUTES = {
    "notifications.tasks.deliver_notifications": {
        "queue": env.str("CELERY_MAIL_QUEUE", default=CELERY_TASK_DEFAULT_QUEUE)
    }
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# A request that enqueues a task must not hang when Redis is unreachable: fail fast, and
# let the outbox sweep deliver what could not be enqueued.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "sweep-notifications": {"task": "notifications.tasks.sweep_notifications", "schedule": 60.0},
    # Reminders are written within a minute of becoming due: a run that finds nothing new
    # costs about a second at the scale of every member state (docs/performance.md).
    "event-reminders": {
        "task": "events.tasks.send_event_reminders",
        "schedule": env.float("EVENT_REMINDER_INTERVAL_SECONDS", default=30.0),
    },
    # An event's waiting list closes, with a notice to each person on it, within the hour
    # after the event ends.
    "close-waiting-lists": {
        "task": "events.tasks.close_waiting_lists",
        "schedule": crontab(minute=5),
    },
    # A working group's proposal closes, with its result, within five minutes of its time;
    # its members who have not voted are reminded a day before.
    "close-proposals": {"task": "groups.tasks.close_proposals", "schedule": 300.0},
    "milestone-nudges": {
        "task": "roadmaps.tasks.send_milestone_nudges",
        "schedule": crontab(hour=6, minute=0),
    },
    "membership-nudges": {
        "task": "stakeholders.tasks.send_membership_nudges",
        "schedule": crontab(hour=6, minute=15),
    },
    "daily-digests": {
        "task": "digests.tasks.send_digests",
        "schedule": crontab(hour=7, minute=0),
        "args": ["daily"],
    },
    "weekly-digests": {
        "task": "digests.tasks.send_digests",
        "schedule": crontab(hour=7, minute=0, day_of_week="monday"),
        "args": ["weekly"],
    },
    "enforce-retention": {
        "task": "privacy.tasks.enforce_retention",
        "schedule": crontab(hour=3, minute=30),
    },
}
# Hours before an event when its registrants are reminded.
EVENT_REMINDER_OFFSETS_HOURS = env.list("EVENT_REMINDER_OFFSETS_HOURS", cast=int, default=[168, 24])
# Followers of a country hear of an event this many hours before its registration closes.
EVENT_DEADLINE_REMINDER_HOURS = 48
DIGEST_CHUNK_SIZE = 500
# How long what is no longer needed is kept, in days (docs/retention.md).
RETENTION_REJECTED_ORGANIZATION_DAYS = env.int("RETENTION_REJECTED_ORGANIZATION_DAYS", default=180)
RETENTION_CLOSED_MEMBERSHIP_REQUEST_DAYS = env.int(
    "RETENTION_CLOSED_MEMBERSHIP_REQUEST_DAYS", default=180
)
RETENTION_NOTIFICATION_BODY_DAYS = env.int("RETENTION_NOTIFICATION_BODY_DAYS", default=90)
RETENTION_AUDIT_LOG_DAYS = env.int("RETENTION_AUDIT_LOG_DAYS", default=2 * 365)

# --- Accounts --------------------------------------------------------------------------
AUTH_USER_MODEL = "stakeholders.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    # Staff hold every permission: asked first, so the admin's model-wide checks never reach
    # the object rules below.
    "stakeholders.backends.CSUStaffBackend",
    "rules.permissions.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = reverse_lazy("account_login")
LOGIN_REDIRECT_URL = "/my-work/"  # "My work": what waits for the person

ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "stakeholders.forms.SignupForm"
ACCOUNT_FORMS = {"signup": "stakeholders.forms.accounts.SignupForm"}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_ADAPTER = "stakeholders.adapters.AccountAdapter"
ACCOUNT_REAUTHENTICATION_REQUIRED = True  # before changing email addresses
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300  # allauth's default: a password typed in the last 5 minutes
# Failed sign-ins: at most ten a minute from one address, five per account in five minutes.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}

# Two-factor authentication (allauth.mfa): TOTP apps, passkeys and security keys, recovery codes.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "VPI Portal"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG  # http://127.0.0.1 in development only
# Privileged people (CSU staff, focal points, coordinators) must set it up before going on.
# Always in production; on a developer's machine (DEBUG on) only when asked for, so that the
# documented demo accounts sign in straight away.
PORTAL_REQUIRE_TWO_FACTOR = env.bool("PORTAL_REQUIRE_TWO_FACTOR", default=not DEBUG)

# Sessions: inactivity and absolute limits, in seconds; shorter for privileged people.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=60 * 60 * 24 * 3)
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT", default=60 * 60 * 24 * 14)
SESSION_IDLE_TIMEOUT_PRIVILEGED = env.int("SESSION_IDLE_TIMEOUT_PRIVILEGED", default=60 * 30)
SESSION_ABSOLUTE_TIMEOUT_PRIVILEGED = env.int(
    "SESSION_ABSOLUTE_TIMEOUT_PRIVILEGED", default=60 * 60 * 12
)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT

# --- Email -----------------------------------------------------------------------------
# EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.org:587. Without it, every email
# is written as a file to var/mail/ so that a newcomer can read what the portal sends.
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="VPI Portal <noreply@localhost>")
SERVER_EMAIL = env.str("DJANGO_SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
# Seconds an SMTP connection waits for the server before giving up (Django's default is to
# wait for ever): a server that hangs then costs an attempt, retried later, not a worker.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)

# The portal's public address, for links in emails (no request to take it from there).
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
# Where people write about the portal (the accessibility statement gives it), if anywhere.
PORTAL_CONTACT_EMAIL = env.str("PORTAL_CONTACT_EMAIL", default="")

# The outbox (notifications app).
# A failure that may pass is retried after 1, 2, 4... minutes, at most an hour apart, until
# the waits add up to the horizon: a night's outage delays email, it does not fail it.
NOTIFICATION_RETRY_BASE_SECONDS = env.int("NOTIFICATION_RETRY_BASE_SECONDS", default=60)
NOTIFICATION_RETRY_MAX_DELAY_SECONDS = env.int(
    "NOTIFICATION_RETRY_MAX_DELAY_SECONDS", default=60 * 60
)
NOTIFICATION_RETRY_HORIZON_SECONDS = env.int(
    "NOTIFICATION_RETRY_HORIZON_SECONDS", default=24 * 60 * 60
)
# A second bound on attempts; the horizon above is reached first (about 30 attempts).
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=50)
NOTIFICATION_CLAIM_TIMEOUT_SECONDS = env.int("NOTIFICATION_CLAIM_TIMEOUT_SECONDS", default=300)
NOTIFICATION_BATCH_SIZE = 100
NOTIFICATION_SWEEP_LIMIT = 5000
NOTIFICATION_UNSUBSCRIBE_MAX_AGE = 60 * 60 * 24 * 365

# --- Internationalization --------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("pt", _("Portuguese")),
]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# Texts that staff translate (initiative summaries, priorities, milestones, events): each
# has a column per language; a reader whose language is missing sees English, else
# whichever language the text was first written in.
MODELTRANSLATION_LANGUAGES = ("en", "es", "fr", "pt")
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "es", "fr", "pt")

# --- Static and media files ------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.str("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.str("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Largest evidence or consultation file a person may upload, in bytes.
ROADMAPS_MAX_UPLOAD_SIZE = env.int("ROADMAPS_MAX_UPLOAD_SIZE", default=10 * 1024 * 1024)
# Largest image, in pixels (width x height), read from its header before it is decoded:
# decoding takes memory in proportion (a 24-megapixel photo, some 70 MB per copy).
PORTAL_MAX_IMAGE_PIXELS = env.int("PORTAL_MAX_IMAGE_PIXELS", default=24_000_000)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security --------------------------------------------------------------------------
# Sessions live in the database, each with its person (vpi_portal/sessions.py), so that
# signing out or deleting an account ends them everywhere at once.
SESSION_ENGINE = "vpi_portal.sessions"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No inline script anywhere: every script is a static file. Inline style attributes stay
# allowed (Bootstrap's progress bars set their width that way).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "publickey-credentials-get": ["self"],
}
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # The language cookie is read by Django only (no script reads it).
    LANGUAGE_COOKIE_SECURE = True
    LANGUAGE_COOKIE_HTTPONLY = True
    LANGUAGE_COOKIE_SAMESITE = "Lax"
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Behind a proxy that terminates TLS (the compose file's or a load balancer).
    if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
