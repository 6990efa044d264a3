from django.db import migrations
from django.utils.text import slugify


def fill_handles(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    taken = set(User.objects.exclude(handle=None).values_list("handle", flat=True))
    people = User.objects.filter(handle=None, anonymised_at=None).order_by("pk")
    for user in people.iterator():
        base = slugify(f"{user.first_name} {user.last_name}".strip())[:34]
        if not base:
            continue
        handle, n = base, 2
        while handle in taken:
            handle, n = f"{base}-{n}", n + 1
        taken.add(handle)
        User.objects.filter(pk=user.pk).update(handle=handle)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_user_handle")]

    operations = [migrations.RunPython(fill_handles, migrations.RunPython.noop)]
