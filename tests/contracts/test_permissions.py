"""The contracts app's role rules, role by role, and its state checks, state
by state: a role rule never looks at a record's status, and a state check
never at the user."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory

from contracts.models import ActivityReturn, EvidenceStatus, EvidenceSubmission, ReturnStatus
from contracts.permissions import (
    amendment_blocked,
    can_decide_return,
    can_manage_contracts,
    can_review_evidence,
    can_submit_return,
    can_upload_evidence,
    decision_blocked,
    returns_blocked,
    review_blocked,
)
from fedportal.models import Role, User
from localities.models import PracticeMembership
from tests.contracts.helpers import make_return

pytestmark = pytest.mark.django_db


def user_for(role: str, practice):
    if role == "anonymous":
        return AnonymousUser()
    if role == "inactive staff":
        return User.objects.create_user("gone", role=Role.STAFF, is_active=False)
    user = User.objects.create_user(role.replace(" ", "-"), role=role.split()[0])
    # "practice elsewhere" keeps no practice's records here
    if role == "practice":
        PracticeMembership.objects.create(user=user, practice=practice)
    return user


# role -> (manage contracts, upload evidence, review evidence, submit return, decide return),
# the records being the practice's own sub-contract
ROLE_TABLE = [
    ("staff", True, True, True, True, True),
    ("administrator", True, True, True, True, True),
    ("board", False, False, False, False, False),
    ("practice", False, True, False, True, False),
    ("practice elsewhere", False, False, False, False, False),
    ("inactive staff", False, False, False, False, False),
    ("anonymous", False, False, False, False, False),
]


@pytest.mark.parametrize(("role", "manage", "upload", "review", "submit", "decide"), ROLE_TABLE)
def test_each_role_may_do_what_the_design_says(subcontract, role, manage, upload, review, submit, decide):
    user = user_for(role, subcontract.practice)
    verdicts = [
        can_manage_contracts(user),
        can_upload_evidence(user, subcontract),
        can_review_evidence(user),
        can_submit_return(user, subcontract),
        can_decide_return(user),
    ]
    assert [allowed for allowed, _ in verdicts] == [manage, upload, review, submit, decide]
    # and every refusal says why
    assert all(bool(reason) is not allowed for allowed, reason in verdicts)


@pytest.mark.parametrize(("role", "manage", "upload", "review", "submit", "decide"), ROLE_TABLE)
def test_templates_ask_the_same_rules(subcontract, role, manage, upload, review, submit, decide):
    user = user_for(role, subcontract.practice)
    request = RequestFactory().get("/")
    request.user = user
    template = Template(
        "{% load contracts_rules %}"
        "{% user_can 'manage_contracts' as a %}{% user_can 'upload_evidence' subcontract as b %}"
        "{% user_can 'review_evidence' as c %}{% user_can 'submit_return' subcontract as d %}"
        "{% user_can 'decide_return' as e %}{{ a }} {{ b }} {{ c }} {{ d }} {{ e }}"
    )
    shown = template.render(Context({"request": request, "subcontract": subcontract}))
    assert shown == " ".join(str(v) for v in (manage, upload, review, submit, decide))


def test_an_unknown_rule_in_a_template_is_an_error_not_a_silent_no(subcontract, staff_user):
    request = RequestFactory().get("/")
    request.user = staff_user
    template = Template("{% load contracts_rules %}{% user_can 'delete_everything' as x %}")
    with pytest.raises(KeyError):
        template.render(Context({"request": request}))


@pytest.mark.parametrize(
    ("status", "blocked"),
    [
        (EvidenceStatus.PENDING, ""),
        (EvidenceStatus.ACCEPTED, "This evidence was already accepted."),
        (EvidenceStatus.REJECTED, "This evidence was already rejected."),
    ],
)
def test_evidence_is_reviewed_only_while_it_awaits_review(status, blocked):
    assert review_blocked(EvidenceSubmission(status=status)) == blocked


@pytest.mark.parametrize(
    ("status", "blocked"),
    [
        (ReturnStatus.SUBMITTED, ""),
        (ReturnStatus.APPROVED, "This return was already approved."),
        (ReturnStatus.REJECTED, "This return was already returned to the practice."),
    ],
)
def test_a_return_is_decided_only_while_it_awaits_approval(status, blocked):
    assert decision_blocked(ActivityReturn(status=status)) == blocked


def test_only_an_approved_return_not_yet_amended_takes_an_amendment(
    subcontract, practice_user, staff_user, february_2019
):
    approved = make_return(subcontract, practice_user, units=(5,), approved_by=staff_user)
    assert amendment_blocked(approved) == ""
    make_return(subcontract, practice_user, units=(6,), amends=approved, notes="Two units missed")
    assert amendment_blocked(approved) == (
        "This return has already been amended; correct the latest amendment instead."
    )
    assert amendment_blocked(ActivityReturn(status=ReturnStatus.SUBMITTED)) == (
        "Only an approved return is corrected by an amendment."
    )


def test_only_services_paid_by_activity_take_returns(subcontract):
    assert returns_blocked(subcontract) == ""
    subcontract.service.takes_returns = False
    assert returns_blocked(subcontract) == "This service has no quarterly activity returns."
