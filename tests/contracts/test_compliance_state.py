"""The kept state of requirements (``RequirementState``) and of each
sub-contract's compliance (``SubContractCompliance``: the first day of each
state), written by database triggers, against the rule derived from the
evidence itself: after random writes of every kind (uploads, decisions,
clinicians joining and leaving, requirements added, stopped and made
schedules, bulk and raw SQL writes, sub-contracts added and moved), every
page's reading of compliance on several days equals what the evidence says,
and each kept first day is the day the derived rule first gives that state
or a worse one."""

import random
import threading
import time
from collections import Counter
from contextlib import suppress
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, Max, OuterRef, Q, Subquery
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts.compliance import (
    BY_RANK,
    EXPIRING_WITHIN_DAYS,
    FIRST_DAYS,
    RANKS,
    Compliance,
    compliance_counts,
    filter_compliance,
    requirement_states_of,
)
from contracts.models import (
    EvidenceRequirement,
    EvidenceStatus,
    EvidenceSubmission,
    RequirementState,
    ScheduledClinician,
    Service,
    SubContract,
    SubContractCompliance,
)
from contracts.services.evidence import evidence_review
from contracts.services.subcontracts import (
    clinician_add,
    clinician_remove,
    requirement_create,
    requirement_update,
    subcontract_create,
)
from localities.models import Practice
from tests.contracts.helpers import make_evidence

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("january_2019")]

TODAY = date(2019, 1, 15)
# Ends of evidence around the 30-day boundary, and days to judge them on.
VALID_TOS = [TODAY + timedelta(days=d) for d in (-40, -1, 0, 10, 30, 31, 200)]
DAYS = [TODAY + timedelta(days=d) for d in (-60, -31, 0, 1, 30, 45, 400)]

# The rule as it was derived from the evidence before the state was kept:
# the reference. One row per sub-contract, active requirement and current
# clinician (or none), with the best accepted end and any pending upload.
DERIVED = """
    WITH ev AS (
        SELECT e.subcontract_id, e.requirement_id, e.clinician_id,
            MAX(CASE WHEN e.status = 'accepted' THEN COALESCE(e.valid_to, 'infinity'::date) END) AS best,
            BOOL_OR(e.status = 'pending') AS pending
        FROM contracts_evidencesubmission e
        WHERE e.subcontract_id = ANY(%(ids)s)
        GROUP BY 1, 2, 3
    )
    SELECT s.id, r.id, c.id,
        CASE WHEN ev.best = 'infinity'::date THEN NULL ELSE ev.best END,
        COALESCE(ev.pending, false),
        CASE
            WHEN r.is_clinician_schedule AND c.id IS NULL THEN 3
            WHEN ev.best > %(soon)s THEN 0
            WHEN ev.pending THEN 2
            WHEN ev.best >= %(today)s THEN 1
            WHEN ev.best IS NULL THEN 3
            ELSE 4
        END
    FROM contracts_subcontract s
    JOIN contracts_evidencerequirement r ON r.service_id = s.service_id AND r.active
    LEFT JOIN contracts_scheduledclinician c
        ON r.is_clinician_schedule AND c.subcontract_id = s.id AND c.removed_on IS NULL
    LEFT JOIN ev ON ev.subcontract_id = s.id AND ev.requirement_id = r.id
        AND ev.clinician_id IS NOT DISTINCT FROM (CASE WHEN r.is_clinician_schedule THEN c.id END)
    WHERE s.id = ANY(%(ids)s)
"""


def derived(today: date) -> tuple[dict[int, list], dict[int, int]]:
    """Each sub-contract's requirement rows and rank on ``today``, from the evidence."""
    ids = list(SubContract.objects.values_list("pk", flat=True))
    soon = today + timedelta(days=EXPIRING_WITHIN_DAYS)
    with connection.cursor() as cursor:
        cursor.execute(DERIVED, {"ids": ids, "soon": soon, "today": today})
        rows = cursor.fetchall()
    states = {pk: [] for pk in ids}
    for subcontract_id, *row in rows:
        states[subcontract_id].append(tuple(row))
    # As bad as the worst requirement; with none, compliant.
    ranks = {pk: max((row[-1] for row in rows_of), default=0) for pk, rows_of in states.items()}
    return {pk: sorted(rows_of, key=repr) for pk, rows_of in states.items()}, ranks


def derived_expiring(today: date) -> set[int]:
    """Accepted evidence ending within 30 days and not replaced by accepted
    evidence valid for longer (a later version breaks a tie), for requirements
    and clinicians still asked for on sub-contracts active today: the list's
    rule as it was written before the state was kept. (Of the sub-contract's
    own service: it did not say so, which only mattered for a sub-contract
    moved to another service, which the portal and the admin never do.)"""
    longer = EvidenceSubmission.objects.filter(
        subcontract=OuterRef("subcontract"),
        requirement=OuterRef("requirement"),
        status=EvidenceStatus.ACCEPTED,
    ).filter(
        Q(requirement__is_clinician_schedule=False) | Q(clinician=OuterRef("clinician")),
        Q(valid_to__isnull=True)
        | Q(valid_to__gt=OuterRef("valid_to"))
        | Q(valid_to=OuterRef("valid_to"), version__gt=OuterRef("version")),
    )
    expiring = (
        EvidenceSubmission.objects.filter(
            status=EvidenceStatus.ACCEPTED,
            valid_to__gte=today,
            valid_to__lte=today + timedelta(days=EXPIRING_WITHIN_DAYS),
            requirement__active=True,
            requirement__service=F("subcontract__service"),
            subcontract__in=SubContract.objects.active_on(today),
        )
        .filter(Q(clinician__isnull=True) | Q(clinician__removed_on__isnull=True))
        .exclude(Exists(longer))
    )
    return set(expiring.values_list("pk", flat=True))


def assert_kept_state_agrees(today: date) -> None:
    """Every reading of compliance on ``today`` equals the derived rule."""
    rows, ranks = derived(today)
    kept = requirement_states_of(rows, today)
    assert {
        pk: sorted(
            (
                (s.requirement_id, s.clinician_id, s.best_valid_to, s.pending, RANKS[s.compliance])
                for s in kept.get(pk, [])
            ),
            key=repr,
        )
        for pk in rows
    } == rows
    # per row, as the lists annotate it, and through the property
    annotated = {s.pk: s.compliance for s in SubContract.objects.with_compliance(today)}
    assert annotated == {pk: BY_RANK[rank] for pk, rank in ranks.items()}
    # all at once, as the filters and the dashboard count
    assert compliance_counts(SubContract.objects.all(), today) == Counter(annotated.values())
    for state in Compliance.values:
        chosen = set(filter_compliance(SubContract.objects.all(), state, today).values_list("pk", flat=True))
        assert chosen == {pk for pk, value in annotated.items() if value == state}
    assert set(EvidenceSubmission.objects.expiring_unreplaced(today).values_list("pk", flat=True)) == (
        derived_expiring(today)
    )


# Days before and after any evidence here: "always" and "never" are judged on them.
LONG_AGO, FAR_AHEAD = date(1901, 1, 1), date(9000, 1, 1)


def assert_first_days_agree() -> None:
    """Each sub-contract has one kept row, and each of its first days is the
    day the derived rule first gives that state or a worse one: on that day
    it does, the day before it does not (``date.min``: on every day;
    ``date.max``: on none). Between first days nothing changes, which the
    readings of ``assert_kept_state_agrees`` on the days around them check."""
    kept = {row.subcontract_id: row for row in SubContractCompliance.objects.all()}
    assert set(kept) == set(SubContract.objects.values_list("pk", flat=True))
    days = {getattr(row, column) for row in kept.values() for column in FIRST_DAYS.values()}
    finite = days - {date.min, date.max}
    ranks_on = {
        day: derived(day)[1]
        for day in {LONG_AGO, FAR_AHEAD, *finite, *(d - timedelta(days=1) for d in finite)}
    }
    for pk, row in kept.items():
        for state, column in FIRST_DAYS.items():
            first, rank = getattr(row, column), RANKS[state]
            if first == date.min:
                assert ranks_on[LONG_AGO][pk] >= rank, (pk, state, "always")
            elif first == date.max:
                assert ranks_on[FAR_AHEAD][pk] < rank, (pk, state, "never")
            else:
                assert ranks_on[first][pk] >= rank, (pk, state, first)
                assert ranks_on[first - timedelta(days=1)][pk] < rank, (pk, state, first)


class Writes:
    """Random writes through the services, the ORM in bulk and raw SQL, as
    the portal, the admin, the loaders and a fix in psql make them."""

    def __init__(self, draw, user):
        self.draw = draw
        self.user = user
        self.practices = 0

    def pick(self, choices):
        choices = list(choices)
        return self.draw(st.sampled_from(choices)) if choices else None

    def requirement_of(self, subcontract):
        return self.pick(EvidenceRequirement.objects.filter(service_id=subcontract.service_id, active=True))

    def upload(self):
        subcontract = self.pick(SubContract.objects.all())
        requirement = self.requirement_of(subcontract)
        if requirement is None:
            return
        clinician = None
        if requirement.is_clinician_schedule:
            clinician = self.pick(subcontract.clinicians.filter(removed_on__isnull=True))
            if clinician is None:
                return
        make_evidence(
            subcontract,
            requirement,
            self.user,
            clinician=clinician,
            status=self.pick(["pending", "pending", "accepted", "rejected"]),
            valid_to=self.pick([*VALID_TOS, None]),
        )

    def decide(self):
        submission = self.pick(EvidenceSubmission.objects.filter(status=EvidenceStatus.PENDING))
        if submission is not None:
            decision = self.pick(["accepted", "rejected"])
            evidence_review(
                submission_id=submission.pk, decision=decision, reason="Unreadable", user=self.user
            )

    def add_clinician(self):
        subcontract = self.pick(SubContract.objects.all())
        clinician_add(subcontract=subcontract, name=f"Dr {self.draw(st.integers(1, 999))}")

    def remove_clinician(self):
        clinician = self.pick(ScheduledClinician.objects.filter(removed_on__isnull=True))
        if clinician is not None:
            clinician_remove(clinician_id=clinician.pk, on=self.pick(DAYS))

    def change_requirement(self):
        requirement = self.pick(EvidenceRequirement.objects.all())
        flip_active, flip_schedule = self.pick([(True, False), (True, False), (False, True), (True, True)])
        with suppress(ValidationError):  # a schedule with evidence stays one
            requirement_update(
                requirement_id=requirement.pk,
                name=requirement.name,
                description=requirement.description,
                has_expiry=requirement.has_expiry,
                is_clinician_schedule=requirement.is_clinician_schedule ^ flip_schedule,
                position=requirement.position,
                active=requirement.active ^ flip_active,
            )

    def new_requirement(self):
        service = self.pick(Service.objects.all())
        with suppress(ValidationError):  # the same name twice
            requirement_create(
                service=service,
                name=f"Requirement {self.draw(st.integers(1, 10**6))}",
                has_expiry=self.draw(st.booleans()),
                is_clinician_schedule=self.draw(st.booleans()),
            )

    def new_subcontract(self):
        self.practices += 1
        practice = Practice.objects.create(ods_code=f"C89{self.practices:03d}", name=f"New {self.practices}")
        subcontract_create(practice=practice, service=self.pick(Service.objects.all()), start_date=TODAY)

    def move_subcontract(self):
        # Not done in the portal (the admin keeps the service), but the
        # database must not let the state go stale when it happens.
        subcontract = self.pick(SubContract.objects.all())
        try:
            with transaction.atomic():
                SubContract.objects.filter(pk=subcontract.pk).update(service=self.pick(Service.objects.all()))
        except IntegrityError:  # the practice already has that service then
            pass

    def end_subcontract(self):
        subcontract = self.pick(SubContract.objects.all())
        day = self.pick(DAYS[:3])
        if day >= subcontract.start_date:
            SubContract.objects.filter(pk=subcontract.pk).update(end_date=day)

    def bulk_dates(self):
        subcontract = self.pick(SubContract.objects.all())
        EvidenceSubmission.objects.filter(subcontract=subcontract).update(valid_to=self.pick(VALID_TOS))

    def bulk_upload(self):
        rows = []
        for subcontract in SubContract.objects.all():
            requirement = self.requirement_of(subcontract)
            if requirement is None or requirement.is_clinician_schedule:
                continue
            latest = subcontract.evidence.filter(requirement=requirement, clinician=None).aggregate(
                v=Max("version")
            )
            rows.append(
                EvidenceSubmission(
                    subcontract=subcontract,
                    requirement=requirement,
                    version=(latest["v"] or 0) + 1,
                    file="evidence/bulk.pdf",
                    original_name="bulk.pdf",
                    content_type="application/pdf",
                    size=100,
                    sha256="0" * 64,
                    description="Bulk",
                    valid_to=self.pick(VALID_TOS),
                    status=self.pick(["pending", "accepted"]),
                    submitted_by=self.user,
                )
            )
        EvidenceSubmission.objects.bulk_create(rows)

    def raw_sql(self):
        submission = self.pick(EvidenceSubmission.objects.all())
        if submission is not None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE contracts_evidencesubmission SET status = %s WHERE id = %s",
                    [self.pick(["accepted", "pending", "rejected"]), submission.pk],
                )

    def delete_undecided(self):
        # Undecided evidence has nothing protecting it (a raw SQL accept
        # leaves no decision), so it can go, with the state naming it.
        submission = self.pick(EvidenceSubmission.objects.filter(decision__isnull=True))
        if submission is None:
            return
        slot = EvidenceSubmission.objects.filter(
            subcontract=submission.subcontract_id,
            requirement=submission.requirement_id,
            clinician=submission.clinician_id,
        )
        # The latest version only, so that the next upload's number is free.
        if submission.version == slot.aggregate(v=Max("version"))["v"]:
            submission.delete()

    OPERATIONS = [
        "upload",
        "upload",
        "upload",
        "decide",
        "decide",
        "add_clinician",
        "remove_clinician",
        "change_requirement",
        "new_requirement",
        "new_subcontract",
        "move_subcontract",
        "end_subcontract",
        "bulk_dates",
        "bulk_upload",
        "raw_sql",
        "delete_undecided",
    ]


@pytest.fixture
def federation(h_pylori, indemnity, signed_subcontract, fitters, practice, other_practice, harborough):
    """Four sub-contracts: two of H. pylori (three requirements, one a schedule
    of fitters, one never expiring), one with a fitter on its schedule, and
    one of a service that asks for nothing."""
    dpo = Service.objects.create(name="DPO", slug="dpo", head_contract=h_pylori.head_contract, unit="month")
    third = Practice.objects.create(ods_code="C82099", name="Third Surgery", locality=harborough)
    subcontracts = [
        SubContract.objects.create(practice=p, service=s, start_date=date(2018, 4, 1))
        for p, s in ((practice, h_pylori), (other_practice, h_pylori), (third, dpo), (practice, dpo))
    ]
    ScheduledClinician.objects.create(subcontract=subcontracts[0], name="Dr Ann Fitter")
    return subcontracts


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_kept_state_is_the_rule_derived_from_the_evidence(data, federation, staff_user):
    writes = Writes(data.draw, staff_user)
    # Each example starts from the same federation: its writes are rolled back.
    with transaction.atomic():
        for _ in range(data.draw(st.integers(1, 10), label="writes")):
            operation = data.draw(st.sampled_from(Writes.OPERATIONS), label="operation")
            getattr(writes, operation)()
            assert_kept_state_agrees(data.draw(st.sampled_from(DAYS), label="day"))
        for day in DAYS:
            assert_kept_state_agrees(day)
        assert_first_days_agree()
        transaction.set_rollback(True)


def test_every_state_is_reached_and_agrees(
    federation, h_pylori, indemnity, signed_subcontract, fitters, staff_user
):
    # given sub-contracts in every state on 15 January 2019: compliant with
    # nothing asked (DPO), missing, awaiting review, expiring and expired
    rng = random.Random(3)
    for n in range(20):
        practice = Practice.objects.create(ods_code=f"C84{n:03d}", name=f"Practice {n}")
        subcontract = SubContract.objects.create(practice=practice, service=h_pylori, start_date=TODAY)
        clinician = ScheduledClinician.objects.create(subcontract=subcontract, name=f"Dr {n}")
        make_evidence(subcontract, signed_subcontract, staff_user, status="accepted")
        for requirement, who in ((indemnity, None), (fitters, clinician)):
            for _ in range(rng.choice([0, 1, 2])):
                make_evidence(
                    subcontract,
                    requirement,
                    staff_user,
                    clinician=who,
                    valid_to=rng.choice(VALID_TOS),
                    status=rng.choice(["pending", "accepted", "accepted", "rejected"]),
                )
    _, ranks = derived(TODAY)
    assert set(ranks.values()) == set(RANKS.values())

    # then the kept state gives what the evidence gives, on every day
    for day in DAYS:
        assert_kept_state_agrees(day)
    assert_first_days_agree()


def test_compliance_composes_inside_other_queries(federation, indemnity, staff_user):
    # given one practice whose certificate expired (beside its DPO
    # sub-contract, compliant), one with nothing uploaded (missing) and one
    # with only the DPO service, which asks for nothing (compliant)
    make_evidence(federation[0], indemnity, staff_user, status="accepted", valid_to=TODAY - timedelta(days=1))
    expired_one, missing_one, compliant_one = (s.practice for s in federation[:3])
    expired = SubContract.objects.with_compliance(TODAY).filter(compliance_rank=RANKS["expired"])

    # then practices with an expired sub-contract are found through a
    # subquery over sub-contracts, however it is written
    assert list(Practice.objects.filter(subcontracts__in=expired)) == [expired_one]
    assert list(Practice.objects.filter(Exists(expired.filter(practice=OuterRef("pk"))))) == [expired_one]
    chosen = SubContract.objects.with_compliance_state(Compliance.EXPIRED, TODAY)
    assert list(Practice.objects.filter(subcontracts__in=chosen)) == [expired_one]
    # and each practice's worst sub-contract is a subquery of a subquery
    worst = (
        SubContract.objects.filter(practice=OuterRef("pk"))
        .with_compliance(TODAY)
        .order_by("-compliance_rank")
    )
    practices = Practice.objects.annotate(worst=Subquery(worst.values("compliance_rank")[:1]))
    assert {p.pk: BY_RANK[p.worst] for p in practices} == {
        expired_one.pk: Compliance.EXPIRED,
        missing_one.pk: Compliance.MISSING,
        compliant_one.pk: Compliance.COMPLIANT,
    }


def test_compliance_of_a_sub_contract_not_annotated_is_read_for_today(
    subcontract, indemnity, staff_user, django_assert_num_queries
):
    # given a sub-contract fetched without its compliance, whose certificate ends in ten days
    make_evidence(subcontract, indemnity, staff_user, status="accepted", valid_to=TODAY + timedelta(days=10))
    subcontract = SubContract.objects.get(pk=subcontract.pk)

    # then its compliance is read for the portal's today (15 January 2019), in one query, once
    with django_assert_num_queries(1):
        assert subcontract.compliance == Compliance.EXPIRING
        assert subcontract.compliance == Compliance.EXPIRING


def test_an_unsaved_sub_contract_has_no_compliance_yet(h_pylori, practice):
    subcontract = SubContract(practice=practice, service=h_pylori, start_date=TODAY)
    with pytest.raises(ValueError, match="unsaved sub-contract"):
        _ = subcontract.compliance


def test_a_deleted_sub_contract_takes_its_state_with_it(h_pylori, indemnity, practice):
    # given a sub-contract with its kept state (nothing uploaded: missing)
    subcontract = SubContract.objects.create(practice=practice, service=h_pylori, start_date=TODAY)
    assert RequirementState.objects.filter(subcontract=subcontract).count() == 1

    # when it is deleted, its state goes too
    subcontract.delete()
    assert not RequirementState.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_decisions_at_once_on_one_sub_contract_both_count(
    subcontract, indemnity, signed_subcontract, staff_user
):
    # given two uploads of one sub-contract awaiting review
    certificate = make_evidence(subcontract, indemnity, staff_user, valid_to=TODAY + timedelta(days=200))
    signed = make_evidence(subcontract, signed_subcontract, staff_user)
    decided, release = threading.Event(), threading.Event()
    errors = []

    def first():
        try:
            with transaction.atomic():
                evidence_review(submission_id=certificate.pk, decision="accepted", reason="", user=staff_user)
                decided.set()
                release.wait(timeout=10)
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    def second():
        try:
            decided.wait(timeout=10)
            evidence_review(submission_id=signed.pk, decision="accepted", reason="", user=staff_user)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    # when staff accept both at the same moment, the second while the first
    # has not committed yet
    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    decided.wait(timeout=10)
    time.sleep(0.5)  # the second is now waiting for the first's sub-contract
    release.set()
    for thread in threads:
        thread.join(timeout=20)

    # then neither failed and the kept state has both decisions: compliant
    assert errors == []
    assert SubContract.objects.with_compliance(TODAY).get().compliance == Compliance.COMPLIANT
    assert_kept_state_agrees(TODAY)


def test_the_scale_and_demo_loaders_keep_the_state(settings, media_root, scale_without_board_papers):
    # given the synthetic federation, loaded in bulk with the state's triggers
    # set aside and the state computed once after
    call_command("seed_scale", practices=30, seed=7, today=TODAY, stdout=StringIO())
    assert RequirementState.objects.exists()

    # then the kept state is what the evidence says, on every day
    for day in DAYS:
        assert_kept_state_agrees(day)
    assert_first_days_agree()

    # and so for the demo federation, loaded record by record
    settings.FEDPORTAL_TODAY = "2019-02-15"
    call_command("load_demo", force=True, stdout=StringIO())
    for day in DAYS:
        assert_kept_state_agrees(day)


def test_a_truncate_leaves_the_state_of_what_is_left(subcontract, indemnity, staff_user):
    # given accepted evidence, valid for a year
    make_evidence(subcontract, indemnity, staff_user, status="accepted", valid_to=TODAY + timedelta(days=365))
    assert SubContract.objects.with_compliance(TODAY).get().compliance == Compliance.COMPLIANT

    # when all evidence is emptied at once (the state's rows go with it, by cascade)
    with connection.cursor() as cursor:
        # (The test's own inserts still have their deferred checks pending.)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE contracts_evidencedecision, contracts_evidencesubmission CASCADE")

    # then the state is rebuilt from what is left: nothing uploaded
    assert SubContract.objects.with_compliance(TODAY).get().compliance == Compliance.MISSING
    assert_kept_state_agrees(TODAY)


@pytest.mark.django_db(transaction=True)
def test_removing_a_clinician_during_their_upload_does_not_deadlock(subcontract, fitters, staff_user):
    # given a fitter on the schedule, and an upload of their evidence that
    # holds the sub-contract (as evidence_submit does)
    clinician = ScheduledClinician.objects.create(subcontract=subcontract, name="Dr Ann Fitter")
    holding, proceed = threading.Event(), threading.Event()
    errors = []

    def upload():
        try:
            with transaction.atomic():
                SubContract.objects.select_for_update().get(pk=subcontract.pk)
                holding.set()
                proceed.wait(timeout=10)
                make_evidence(subcontract, fitters, staff_user, clinician=clinician, valid_to=TODAY)
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    def remove():
        try:
            holding.wait(timeout=10)
            clinician_remove(clinician_id=clinician.pk, on=TODAY)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    # when staff take the fitter off the schedule at that moment (the removal
    # locks the clinician, then waits for the sub-contract) and the upload
    # then writes the evidence (its state refers to the clinician)
    threads = [threading.Thread(target=upload), threading.Thread(target=remove)]
    for thread in threads:
        thread.start()
    holding.wait(timeout=10)
    time.sleep(0.5)
    proceed.set()
    for thread in threads:
        thread.join(timeout=20)

    # then both went through, in turn: nobody is left on the schedule (missing)
    assert errors == []
    assert SubContract.objects.with_compliance(TODAY).get().compliance == Compliance.MISSING
    assert_kept_state_agrees(TODAY)


def test_the_portals_today_moving_on_changes_compliance_without_a_write(
    settings, client_as, subcontract, indemnity, staff_user
):
    # given an indemnity certificate accepted until 15 March 2019, the only
    # thing the sub-contract is asked for
    make_evidence(subcontract, indemnity, staff_user, status="accepted", valid_to=date(2019, 3, 15))
    client = client_as("staff")
    kept = SubContractCompliance.objects.get(subcontract=subcontract)

    def seen_on(day: date) -> dict:
        """What the portal shows on ``day`` (its pinned date): the property,
        the list's filter, and the dashboard's headline counts."""
        settings.FEDPORTAL_TODAY = day.isoformat()
        dashboard = client.get("/subcontracts/")
        filtered = {
            state
            for state in Compliance.values
            if SubContract.objects.with_compliance_state(state, day).filter(pk=subcontract.pk).exists()
        }
        return {
            "property": SubContract.objects.get(pk=subcontract.pk).compliance,
            "filters": filtered,
            "list": client.get("/subcontracts/list/?compliance=expired")
            .context["table"]
            .page.paginator.count,
            "headlines": {h["compliance"]: h["count"] for h in dashboard.context["headlines"] if h["count"]},
        }

    # when the portal's today moves on, with no write in between, the same
    # kept row gives each day's state: compliant, expiring from 30 days
    # before the end, expired the day after it
    assert seen_on(date(2019, 2, 12)) == {
        "property": Compliance.COMPLIANT,
        "filters": {Compliance.COMPLIANT},
        "list": 0,
        "headlines": {Compliance.COMPLIANT: 1},
    }
    assert seen_on(date(2019, 2, 13)) == {
        "property": Compliance.EXPIRING,
        "filters": {Compliance.EXPIRING},
        "list": 0,
        "headlines": {Compliance.EXPIRING: 1},
    }
    assert seen_on(date(2019, 3, 15))["property"] == Compliance.EXPIRING
    assert seen_on(date(2019, 3, 16)) == {
        "property": Compliance.EXPIRED,
        "filters": {Compliance.EXPIRED},
        "list": 1,
        "headlines": {Compliance.EXPIRED: 1},
    }
    # and the row was never rewritten: it holds those days already
    assert SubContractCompliance.objects.get(subcontract=subcontract) == kept
    assert (kept.expiring_or_worse_from, kept.awaiting_review_or_worse_from, kept.expired_from) == (
        date(2019, 2, 13),
        date(2019, 3, 16),
        date(2019, 3, 16),
    )


def test_an_emptied_compliance_table_is_rebuilt(subcontract, indemnity, staff_user):
    # given a sub-contract whose certificate expired
    make_evidence(subcontract, indemnity, staff_user, status="accepted", valid_to=TODAY - timedelta(days=1))

    # when its kept compliance is emptied by hand
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE contracts_subcontractcompliance")

    # then it is rebuilt from the requirements' state
    assert SubContract.objects.with_compliance(TODAY).get().compliance == Compliance.EXPIRED
    assert_first_days_agree()


def test_a_deleted_sub_contract_takes_its_kept_compliance_with_it(h_pylori, indemnity, practice):
    subcontract = SubContract.objects.create(practice=practice, service=h_pylori, start_date=TODAY)
    assert SubContractCompliance.objects.filter(subcontract=subcontract).exists()

    subcontract.delete()
    assert not SubContractCompliance.objects.exists()
