"""Each sub-contract's compliance kept whole (``SubContractCompliance``): the
first day on which it is in each state or a worse one, kept from the
``RequirementState`` rows in the same transaction, and its first filling
from the rows already there. See ``contracts.compliance``."""

import importlib

import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models

requirement_state = importlib.import_module("contracts.migrations.0006_requirement_state")

# The days on which a requirement's kept row starts to be in each state or a
# worse one, solved from ``contracts.compliance._rule`` (compliant while its
# best end is more than 30 days away; then awaiting review if an upload is
# pending, else expiring until its end, expired after; missing when nothing
# was accepted): an end d gives d - 30 for "expiring or worse" and d + 1 for
# "expired". A sub-contract is as bad as its worst row, so each of its days
# is the earliest of its rows' ('infinity', never, with no rows). The
# arithmetic is kept away from 'infinity', which PostgreSQL refuses to shift.
# tests/contracts/test_compliance_state.py holds these days equal to the rule
# derived from the evidence, on each day around them.
COMPLIANCE_FUNCTION = """
CREATE OR REPLACE FUNCTION contracts_subcontract_compliance_refresh(subcontract_ids bigint[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF COALESCE(cardinality(subcontract_ids), 0) = 0 THEN
        RETURN;
    END IF;
    INSERT INTO contracts_subcontractcompliance AS kept
        (subcontract_id, expiring_or_worse_from, awaiting_review_or_worse_from, missing_or_worse_from, expired_from)
    SELECT s.id,
        COALESCE(days.expiring, 'infinity'),
        COALESCE(days.awaiting_review, 'infinity'),
        COALESCE(days.missing, 'infinity'),
        COALESCE(days.expired, 'infinity')
    FROM contracts_subcontract s
    LEFT JOIN LATERAL (
        SELECT
            MIN(CASE
                WHEN r.best_valid_to IS NULL THEN '-infinity'::date
                WHEN r.best_valid_to = 'infinity' THEN 'infinity'::date
                ELSE r.best_valid_to - 30
            END) AS expiring,
            MIN(CASE
                WHEN r.best_valid_to IS NULL THEN '-infinity'::date
                WHEN r.best_valid_to = 'infinity' THEN 'infinity'::date
                WHEN r.pending THEN r.best_valid_to - 30
                ELSE r.best_valid_to + 1
            END) AS awaiting_review,
            MIN(CASE
                WHEN r.best_valid_to IS NULL AND NOT r.pending THEN '-infinity'::date
                WHEN r.best_valid_to IS NULL OR r.best_valid_to = 'infinity' OR r.pending THEN 'infinity'::date
                ELSE r.best_valid_to + 1
            END) AS missing,
            MIN(CASE
                WHEN r.best_valid_to IS NULL OR r.best_valid_to = 'infinity' OR r.pending THEN 'infinity'::date
                ELSE r.best_valid_to + 1
            END) AS expired
        FROM contracts_requirementstate r
        WHERE r.subcontract_id = s.id
    ) days ON true
    WHERE s.id = ANY(subcontract_ids)
    ON CONFLICT (subcontract_id) DO UPDATE SET
        expiring_or_worse_from = EXCLUDED.expiring_or_worse_from,
        awaiting_review_or_worse_from = EXCLUDED.awaiting_review_or_worse_from,
        missing_or_worse_from = EXCLUDED.missing_or_worse_from,
        expired_from = EXCLUDED.expired_from
    -- Most writes leave the sub-contract's days as they were: no new row version then.
    WHERE (kept.expiring_or_worse_from, kept.awaiting_review_or_worse_from, kept.missing_or_worse_from,
           kept.expired_from)
        IS DISTINCT FROM (EXCLUDED.expiring_or_worse_from, EXCLUDED.awaiting_review_or_worse_from,
                          EXCLUDED.missing_or_worse_from, EXCLUDED.expired_from);
END
$$;
"""

# The refresh of 0006, which every trigger calls, now also keeps the days of
# the sub-contracts whose rows it rewrote, in the same transaction.
REFRESH_FUNCTION = requirement_state.REFRESH_FUNCTION.replace(
    "\nEND\n$$;", "\n    PERFORM contracts_subcontract_compliance_refresh(subcontract_ids);\nEND\n$$;"
)
assert REFRESH_FUNCTION != requirement_state.REFRESH_FUNCTION

# A row goes with its sub-contract.
CASCADING_KEY = """
ALTER TABLE contracts_subcontractcompliance
    ADD CONSTRAINT contracts_subcontractcompliance_subcontract_fk FOREIGN KEY (subcontract_id)
        REFERENCES contracts_subcontract (id) ON DELETE CASCADE;
"""
CASCADING_KEY_REVERSE = """
ALTER TABLE contracts_subcontractcompliance DROP CONSTRAINT contracts_subcontractcompliance_subcontract_fk;
"""

# Filled once from the requirements' state already kept, with statistics for
# the planner straight away.
BACKFILL = """
SELECT contracts_subcontract_compliance_refresh(ARRAY(SELECT id FROM contracts_subcontract));
ANALYZE contracts_subcontractcompliance;
"""


class Migration(migrations.Migration):
    dependencies = [("contracts", "0006_requirement_state")]

    operations = [
        migrations.CreateModel(
            name="SubContractCompliance",
            fields=[
                (
                    "subcontract",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="kept_compliance",
                        serialize=False,
                        to="contracts.subcontract",
                    ),
                ),
                ("expiring_or_worse_from", models.DateField()),
                ("awaiting_review_or_worse_from", models.DateField()),
                ("missing_or_worse_from", models.DateField()),
                ("expired_from", models.DateField()),
            ],
            options={
                "indexes": [
                    models.Index(fields=["expiring_or_worse_from"], name="compliance_expiring_from"),
                    models.Index(fields=["awaiting_review_or_worse_from"], name="compliance_awaiting_from"),
                    models.Index(fields=["missing_or_worse_from"], name="compliance_missing_from"),
                    models.Index(fields=["expired_from"], name="compliance_expired_from"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("expiring_or_worse_from__lte", models.F("awaiting_review_or_worse_from")),
                            ("awaiting_review_or_worse_from__lte", models.F("missing_or_worse_from")),
                            ("missing_or_worse_from__lte", models.F("expired_from")),
                        ),
                        name="compliance_gets_worse_in_order",
                    )
                ],
            },
        ),
        migrations.RunSQL(CASCADING_KEY, CASCADING_KEY_REVERSE),
        migrations.RunSQL(
            COMPLIANCE_FUNCTION, "DROP FUNCTION contracts_subcontract_compliance_refresh(bigint[]);"
        ),
        migrations.RunSQL(REFRESH_FUNCTION, requirement_state.REFRESH_FUNCTION),
        pgtrigger.migrations.AddTrigger(
            model_name="subcontractcompliance",
            trigger=pgtrigger.compiler.Trigger(
                name="subcontract_compliance_rebuild",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="PERFORM contracts_subcontract_compliance_refresh(ARRAY(SELECT id FROM contracts_subcontract)); RETURN NULL;",
                    hash="6001fe08bdf33951c4095ed2fefac725667a7917",
                    level="STATEMENT",
                    operation="TRUNCATE",
                    pgid="pgtrigger_subcontract_compliance_rebuild_ce113",
                    table="contracts_subcontractcompliance",
                    when="AFTER",
                ),
            ),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]
