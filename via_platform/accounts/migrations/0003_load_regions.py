from django.db import migrations


def load(apps, schema_editor):
    from via_platform.accounts.regions import LABOUR_MARKET_REGIONS

    Region = apps.get_model("accounts", "LabourMarketRegion")
    for code, name in LABOUR_MARKET_REGIONS:
        Region.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_labourmarketregion_profile")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
