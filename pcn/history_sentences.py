"""How the PCN app's events read in a record's history (fedportal.history):
a practice joining and leaving a network by name, a registration submitted
and decided, a practice signing the network agreement (by name, for itself
or on the signed schedule), the workforce plan, claims, assessments and
payments."""

from datetime import date

from fedportal.history import Event, Sentence
from fedportal.periods import financial_year_label

DECISIONS = {
    "submitted": "submitted",
    "approved": "recorded the CCG panel's approval of",
    "approved_exception": "recorded the CCG panel's approval, with an exception, of",
    "returned": "recorded the CCG panel's return of",
}


def _month(event: Event, name: str) -> str:
    try:
        return f"{date.fromisoformat(str(event.raw(name))[:10]):%B %Y}"
    except ValueError:
        return event.value(name)


def _contract_year(event: Event) -> str:
    """'2019/20': a contract year is named by its start (``names`` below)."""
    named = event.value("contract_year")
    try:
        return financial_year_label(date.fromisoformat(str(named)[:10]).year)
    except ValueError:
        return named


def membership(event: Event) -> str | None:
    practice = event.value("practice")
    if event.kind == "insert":
        until = f" to {event.value('end_date')}" if event.raw("end_date") else ""
        return f"{event.actor} added {practice} to the network from {event.value('start_date')}{until}"
    if event.kind == "update" and event.changed("end_date") and event.raw("end_date"):
        event.said_all = len(event.told_fields()) == 1
        return f"{event.actor} ended {practice}'s membership on {event.value('end_date')}"
    return None


def registration(event: Event) -> str | None:
    what = "this registration" if event.own else f"the {_contract_year(event)} registration"
    if event.kind == "insert":
        return f"{event.actor} started {what}"
    if event.kind == "update" and event.changed("status") and event.new("status") in DECISIONS:
        # What was frozen into it at submission is on the page, not a list of changes here.
        event.said_all = True
        return f"{event.actor} {DECISIONS[event.new('status')]} {what}"
    return None


def signature(event: Event) -> str | None:
    if event.kind != "insert":
        return None
    practice = event.raw("practice_name") or event.value("practice")
    if event.raw("schedule"):
        return (
            f"{event.actor} recorded {practice}'s signature of the network agreement from the signed schedule"
        )
    return f"{event.actor} recorded {practice}'s signature of the network agreement, signed by {event.value('signatory')}"


def schedule(event: Event) -> str | None:
    if event.kind == "insert":
        return f"{event.actor} uploaded the signed schedule of the network agreement, {event.value('original_name')}"
    return None


def post(event: Event) -> str | None:
    if event.kind == "insert":
        return (
            f"{event.actor} added {event.value('title')} ({event.value('wte')} WTE from "
            f"{event.value('starts')}) to the {_contract_year(event)} workforce plan"
        )
    return None


def claim(event: Event) -> str | None:
    if event.kind == "insert":
        cut = ", cut to the cap" if event.raw("capped") else ""
        return (
            f"{event.actor} claimed {event.value('amount')} for {event.value('post')} for "
            f"{_month(event, 'month')} (costs {event.value('costs')}{cut})"
        )
    return None


def assessment(event: Event) -> str | None:
    if event.kind == "insert":
        return f"{event.actor} recorded the maturity self-assessment of {event.value('assessed_on')}"
    return None


def payment(event: Event) -> str | None:
    if event.kind == "insert":
        return (
            f"{event.actor} recorded {event.value('amount')} received for {_month(event, 'month')} "
            f"({event.value('kind').lower()})"
        )
    return None


SENTENCES = {
    "pcn.Membership": Sentence(membership, names={"practice": "name"}),
    "pcn.Registration": Sentence(registration, names={"contract_year": "start"}),
    # Frozen rows of a submission: the submission's own entry tells it.
    "pcn.RegistrationMember": Sentence(lambda event: "" if event.kind in ("insert", "delete") else None),
    "pcn.AgreementSignature": Sentence(signature, names={"practice": "name"}),
    "pcn.AgreementSchedule": Sentence(schedule),
    "pcn.WorkforcePost": Sentence(post, names={"contract_year": "start"}),
    "pcn.ReimbursementClaim": Sentence(claim, names={"post": "title"}),
    "pcn.MaturityAssessment": Sentence(assessment),
    "pcn.Payment": Sentence(payment),
}
