from django.db import migrations

CODES = ["statushouders", "jongeren", "bijstand", "ww", "werkgevers", "professionals"]


def load(apps, schema_editor):
    TargetGroup = apps.get_model("library", "TargetGroup")
    for code in CODES:
        TargetGroup.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
