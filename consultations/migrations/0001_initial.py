"""The consultations, taken over from the roadmaps app where they were created (roadmaps
0001). The tables keep their names (``db_table``) and their rows: this migration only tells
Django that the models are now this app's, and moves their content types with them, so that
the admin's history and the permissions that name them follow.
"""

import django.db.models.deletion
import django.utils.timezone
import roadmaps.models
from django.conf import settings
from django.db import migrations, models




def move_content_types(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    content_types.objects.filter(
        app_label="roadmaps", model__in=["consultation", "consultationinput"]
    ).update(app_label="consultations")


def move_content_types_back(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    content_types.objects.filter(
        app_label="consultations", model__in=["consultation", "consultationinput"]
    ).update(app_label="roadmaps")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("countries", "0002_initiative_translations"),
        ("roadmaps", "0004_milestone_lead_organizations"),
        ("stakeholders", "0009_organization_search_document"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Consultation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('kind', models.CharField(choices=[('question', 'A question'), ('draft_legislation', 'Draft legislation'), ('self_assessment', 'Self-assessment for the UNTOC review'), ('policy', 'Draft policy or plan'), ('other', 'Other document')], default='question', max_length=20, verbose_name='what is consulted on')),
                        ('description', models.TextField(max_length=10000, verbose_name='question or description')),
                        ('document', models.FileField(blank=True, max_length=200, upload_to=roadmaps.models.private_upload_path, verbose_name='document')),
                        ('document_name', models.CharField(blank=True, max_length=255, verbose_name='document file name')),
                        ('document_content_type', models.CharField(blank=True, max_length=120)),
                        ('document_size', models.PositiveIntegerField(default=0)),
                        ('deadline', models.DateTimeField(verbose_name='deadline')),
                        ('audience', models.CharField(choices=[('alliance', 'Member organizations of the alliance'), ('country', 'All verified organizations of the country')], default='alliance', max_length=10, verbose_name='who is asked')),
                        ('status', models.CharField(choices=[('open', 'Open'), ('closed', 'Closed')], default='open', max_length=10, verbose_name='status')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='opened')),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='consultations', to='countries.initiative', verbose_name='initiative')),
                    ],
                    options={
                        'verbose_name': 'consultation',
                        'verbose_name_plural': 'consultations',
                        'db_table': 'roadmaps_consultation',
                        'ordering': ['-deadline'],
                    },
                ),
                migrations.CreateModel(
                    name='ConsultationInput',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('responded_at', models.DateTimeField(blank=True, null=True, verbose_name='responded')),
                        ('text', models.TextField(max_length=20000, verbose_name='input')),
                        ('attachment', models.FileField(blank=True, max_length=200, upload_to=roadmaps.models.private_upload_path, verbose_name='attachment')),
                        ('attachment_name', models.CharField(blank=True, max_length=255)),
                        ('attachment_content_type', models.CharField(blank=True, max_length=120)),
                        ('attachment_size', models.PositiveIntegerField(default=0)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='submitted')),
                        ('response', models.TextField(blank=True, max_length=10000, verbose_name='response')),
                        ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('consultation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='inputs', to='consultations.consultation', verbose_name='consultation')),
                        ('organization', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='stakeholders.organization', verbose_name='on behalf of')),
                        ('responded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'consultation input',
                        'verbose_name_plural': 'consultation inputs',
                        'db_table': 'roadmaps_consultationinput',
                        'ordering': ['created_at', 'pk'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='consultation',
                    constraint=models.CheckConstraint(condition=models.Q(('audience__in', ['alliance', 'country'])), name='consultation_audience_valid'),
                ),
                migrations.AddConstraint(
                    model_name='consultation',
                    constraint=models.CheckConstraint(condition=models.Q(('status__in', ['open', 'closed'])), name='consultation_status_valid'),
                ),
                migrations.AddConstraint(
                    model_name='consultationinput',
                    constraint=models.UniqueConstraint(fields=('consultation', 'organization'), name='consultation_input_one_per_organization', violation_error_message='Your organization has already sent its input.'),
                ),
                migrations.AddConstraint(
                    model_name='consultationinput',
                    constraint=models.UniqueConstraint(condition=models.Q(('organization__isnull', True)), fields=('consultation',), name='consultation_input_one_for_alliance', violation_error_message='The alliance has already sent its input.'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
