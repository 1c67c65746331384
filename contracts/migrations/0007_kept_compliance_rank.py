# Reserved in the migration chain so that work on several parts of contracts at once
# does not fork it; filled in by the change it is named for (or left empty).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("contracts", "0006_requirement_state")]

    operations = []
