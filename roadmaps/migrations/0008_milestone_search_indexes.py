"""GIN indexes for the portal search's milestones, one per language (PostgreSQL only)."""

from django.db import migrations

from common.search_indexes import on_postgresql, statements

# The configurations of common.search.CONFIGS when this migration was written.
CONFIGS = ["english", "spanish", "french", "portuguese"]
CREATE, DROP = statements("roadmaps_milestone", "milestone", ["title", "description"], CONFIGS)


class Migration(migrations.Migration):
    dependencies = [("roadmaps", "0007_milestone_origin")]

    operations = [migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP))]
