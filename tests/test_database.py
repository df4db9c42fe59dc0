import pytest
from django.db import IntegrityError, connection, transaction

from countries.models import Initiative, InitiativeStatus


@pytest.mark.postgres
def test_postgres_runs_through_psycopg_3_with_health_checks(db, settings):
    assert connection.vendor == "postgresql"
    assert connection.Database.__name__ == "psycopg"
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


@pytest.mark.postgres
def test_postgres_enforces_one_open_initiative_as_a_partial_unique_index(kenya_initiative):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
            ["initiative_one_open_per_country"],
        )
        (definition,) = cursor.fetchone()
    assert "UNIQUE" in definition
    assert "WHERE" in definition
    with pytest.raises(IntegrityError), transaction.atomic():
        Initiative.objects.create(
            country=kenya_initiative.country, title="Second", status=InitiativeStatus.EXPLORATORY
        )
