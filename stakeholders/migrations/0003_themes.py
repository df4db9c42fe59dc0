from django.db import migrations

# The UNTOC areas and cross-cutting topics of the design. Names are translated in the
# interface through the catalogs; the slugs are stable.
THEMES = [
    ("trafficking-in-persons", "Trafficking in persons"),
    ("smuggling-of-migrants", "Smuggling of migrants"),
    ("firearms", "Firearms"),
    ("corruption", "Corruption"),
    ("money-laundering", "Money laundering"),
    ("cybercrime", "Cybercrime"),
    ("drug-trafficking", "Drug trafficking"),
    ("environmental-crime", "Environmental crime"),
    ("victim-assistance", "Victim assistance"),
    ("prevention", "Prevention"),
    ("criminal-justice", "Criminal justice"),
    ("gender-and-human-rights", "Gender and human rights"),
    ("research-and-data", "Research and data"),
]


def add_themes(apps, schema_editor):
    Theme = apps.get_model("stakeholders", "Theme")
    for order, (slug, name) in enumerate(THEMES):
        Theme.objects.update_or_create(slug=slug, defaults={"name": name, "order": order})


def remove_themes(apps, schema_editor):
    apps.get_model("stakeholders", "Theme").objects.filter(slug__in=[s for s, _ in THEMES]).delete()


class Migration(migrations.Migration):
    dependencies = [("stakeholders", "0002_theme_alliance_organization_invitation_and_more")]

    operations = [migrations.RunPython(add_themes, remove_themes)]
