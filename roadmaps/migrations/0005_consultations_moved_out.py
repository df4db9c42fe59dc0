"""Consultations moved to their own app (consultations 0001). The roadmaps app forgets the
two models; their tables stay as they are, now the consultations app's."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("roadmaps", "0004_milestone_lead_organizations"),
        ("consultations", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="consultationinput",
                    name="consultation",
                ),
                migrations.RemoveField(
                    model_name="consultationinput",
                    name="author",
                ),
                migrations.RemoveField(
                    model_name="consultationinput",
                    name="organization",
                ),
                migrations.RemoveField(
                    model_name="consultationinput",
                    name="responded_by",
                ),
                migrations.DeleteModel(
                    name="Consultation",
                ),
                migrations.DeleteModel(
                    name="ConsultationInput",
                ),
            ],
            database_operations=[],
        ),
    ]
