# A return is for a quarter that has ended; staff may accept one sooner, and
# who, when and why is kept on it. Stamps (a return or evidence submitted, a
# decision, a document uploaded) come from the portal's clock
# (fedportal.clock.now): a default instead of auto_now_add, the same column.
import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models

import fedportal.clock


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0007_kept_compliance_rank"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name="activityreturn",
            name="insert_insert",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="activityreturn",
            name="update_update",
        ),
        migrations.AddField(
            model_name="activityreturn",
            name="accepted_early_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="activityreturn",
            name="accepted_early_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="activityreturn",
            name="accepted_early_reason",
            field=models.TextField(blank=True, verbose_name="reason to accept it before the quarter ended"),
        ),
        migrations.AddField(
            model_name="activityreturnevent",
            name="accepted_early_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="activityreturnevent",
            name="accepted_early_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                related_query_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="activityreturnevent",
            name="accepted_early_reason",
            field=models.TextField(blank=True, verbose_name="reason to accept it before the quarter ended"),
        ),
        migrations.AlterField(
            model_name="activityreturn",
            name="submitted_at",
            field=models.DateTimeField(default=fedportal.clock.now, editable=False),
        ),
        migrations.AlterField(
            model_name="activityreturnevent",
            name="submitted_at",
            field=models.DateTimeField(default=fedportal.clock.now, editable=False),
        ),
        migrations.AlterField(
            model_name="contractdocument",
            name="uploaded_at",
            field=models.DateTimeField(default=fedportal.clock.now, editable=False),
        ),
        migrations.AlterField(
            model_name="contractdocumentevent",
            name="uploaded_at",
            field=models.DateTimeField(default=fedportal.clock.now, editable=False),
        ),
        migrations.AlterField(
            model_name="evidencedecision",
            name="decided_at",
            field=models.DateTimeField(default=fedportal.clock.now, editable=False),
        ),
        migrations.AlterField(
            model_name="evidencedecisionevent",
            name="decided_at",
            field=models.DateTimeField(default=fedportal.clock.now, editable=False),
        ),
        migrations.AlterField(
            model_name="evidencesubmission",
            name="submitted_at",
            field=models.DateTimeField(default=fedportal.clock.now, editable=False),
        ),
        migrations.AlterField(
            model_name="evidencesubmissionevent",
            name="submitted_at",
            field=models.DateTimeField(default=fedportal.clock.now, editable=False),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="activityreturn",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "contracts_activityreturnevent" ("accepted_early_at", "accepted_early_by_id", "accepted_early_reason", "amends_id", "decided_at", "decided_by_id", "decision_reason", "id", "notes", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "quarter", "status", "subcontract_id", "submitted_at", "submitted_by_id", "year") VALUES (NEW."accepted_early_at", NEW."accepted_early_by_id", NEW."accepted_early_reason", NEW."amends_id", NEW."decided_at", NEW."decided_by_id", NEW."decision_reason", NEW."id", NEW."notes", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."quarter", NEW."status", NEW."subcontract_id", NEW."submitted_at", NEW."submitted_by_id", NEW."year"); RETURN NULL;',
                    hash="c986d4fe6c6254fb0867dc22ec6bc78aaffabf5b",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_0d4ed",
                    table="contracts_activityreturn",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="activityreturn",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                    func='INSERT INTO "contracts_activityreturnevent" ("accepted_early_at", "accepted_early_by_id", "accepted_early_reason", "amends_id", "decided_at", "decided_by_id", "decision_reason", "id", "notes", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "quarter", "status", "subcontract_id", "submitted_at", "submitted_by_id", "year") VALUES (NEW."accepted_early_at", NEW."accepted_early_by_id", NEW."accepted_early_reason", NEW."amends_id", NEW."decided_at", NEW."decided_by_id", NEW."decision_reason", NEW."id", NEW."notes", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."quarter", NEW."status", NEW."subcontract_id", NEW."submitted_at", NEW."submitted_by_id", NEW."year"); RETURN NULL;',
                    hash="e1c1027f77c335cea1ef75a01535a5e0315027dc",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_933a2",
                    table="contracts_activityreturn",
                    when="AFTER",
                ),
            ),
        ),
        migrations.AddConstraint(
            model_name="activityreturn",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("accepted_early_at__isnull", True),
                    models.Q(
                        ("accepted_early_by__isnull", False),
                        models.Q(("accepted_early_reason", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="return_accepted_early_says_who_and_why",
                violation_error_message="Say who accepted the return early, and why.",
            ),
        ),
    ]
