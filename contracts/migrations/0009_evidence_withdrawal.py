# A practice may withdraw evidence staff have not yet decided: a status of
# its own, kept with the file (the state triggers count only 'pending' as
# awaiting review and 'accepted' as evidence, so a withdrawn upload is neither).
from django.db import migrations, models

STATUSES = [
    ("pending", "Awaiting review"),
    ("accepted", "Accepted"),
    ("rejected", "Rejected"),
    ("withdrawn", "Withdrawn"),
]


class Migration(migrations.Migration):
    dependencies = [("contracts", "0008_return_early_override")]

    operations = [
        migrations.AlterField(
            model_name="evidencesubmission",
            name="status",
            field=models.CharField(choices=STATUSES, default="pending", max_length=10),
        ),
        migrations.AlterField(
            model_name="evidencesubmissionevent",
            name="status",
            field=models.CharField(choices=STATUSES, default="pending", max_length=10),
        ),
    ]
