"""The directory's search document as a stored column, kept by a trigger, with its own GIN
index (PostgreSQL only).

Migration 0004 indexed the expression itself. PostgreSQL had no statistics on it, so it
guessed that a word matches a few rows, left the index aside and computed the document of
every verified organization on each search, then again to rank the matches: 280 ms for a
common word among 20,000 organizations. A stored document is read, not computed, and its
statistics let the planner choose. Django's documentation names triggers as the way to keep
a ``SearchVectorField`` populated; this one fires on every insert and update, so that bulk
inserts, ``update()`` and ``save()`` all keep it right.

SQLite (local development) gets the column, left empty: the search there matches substrings.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import migrations

DOCUMENT = (
    "setweight(to_tsvector('simple', coalesce(NEW.name, '')), 'A')"
    " || setweight(to_tsvector('simple', coalesce(NEW.acronym, '')), 'A')"
    " || setweight(to_tsvector('simple', coalesce(NEW.description, '')), 'B')"
)

FORWARD = [
    f"""
    CREATE FUNCTION stakeholders_organization_search_document() RETURNS trigger AS $$
    BEGIN
        NEW.search_document := {DOCUMENT};
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER organization_search_document
    BEFORE INSERT OR UPDATE ON stakeholders_organization
    FOR EACH ROW EXECUTE FUNCTION stakeholders_organization_search_document()
    """,
    # Fill the column for the rows already there: the trigger computes it.
    "UPDATE stakeholders_organization SET search_document = NULL",
    "DROP INDEX IF EXISTS organization_search_idx",
    "CREATE INDEX organization_search_document_idx"
    " ON stakeholders_organization USING gin (search_document)",
    "ANALYZE stakeholders_organization",
]

BACKWARD = [
    "DROP INDEX IF EXISTS organization_search_document_idx",
    "DROP TRIGGER IF EXISTS organization_search_document ON stakeholders_organization",
    "DROP FUNCTION IF EXISTS stakeholders_organization_search_document()",
    # The expression index of migration 0004, as it was.
    "CREATE INDEX organization_search_idx ON stakeholders_organization USING gin ("
    "(setweight(to_tsvector('simple'::regconfig, COALESCE(name, '')), 'A')"
    " || setweight(to_tsvector('simple'::regconfig, COALESCE(acronym, '')), 'A')"
    " || setweight(to_tsvector('simple'::regconfig, COALESCE(description, '')), 'B')))",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("stakeholders", "0008_theme_name_translations")]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="search_document",
            field=SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(run(FORWARD), run(BACKWARD)),
    ]
