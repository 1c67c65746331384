"""How the contracts app's events read in a record's history
(fedportal.history): returns submitted, approved and returned with their
units and value, evidence uploaded, decided and withdrawn, clinicians on and
off a schedule, what a contract covers, its documents and review notes."""

from decimal import Decimal

from contracts.models import Contract
from fedportal.history import Event, Sentence, money
from fedportal.periods import Quarter


def _quarter(event: Event) -> str:
    try:
        return str(Quarter(int(event.raw("year")), int(event.raw("quarter"))))
    except (TypeError, ValueError):
        return "a quarter's"


def _return_totals(event: Event) -> str:
    """': 18 units, £450.00', from the return's lines among the page's events
    (the return's own page has them; a sub-contract's page does not)."""
    return_id = event.data.get("id")
    lines = event.others("contracts.ActivityReturnLine", activity_return_id=return_id)
    if not lines:
        return ""
    units = sum(int(line.get("units") or 0) for line in lines)
    value = sum(Decimal(str(line.get("unit_price") or 0)) * int(line.get("units") or 0) for line in lines)
    return f": {units:,} unit{'s' if units != 1 else ''}, {money(value)}"


def activity_return(event: Event) -> str | None:
    what = "this return" if event.own else f"the {_quarter(event)} return"
    if event.kind == "insert":
        amendment = " (an amendment)" if event.raw("amends") else ""
        return f"{event.actor} submitted {what}{amendment}{_return_totals(event)}"
    if event.kind == "update" and event.changed("status"):
        status = event.new("status")
        event.said_all = True
        if status == "approved":
            return f"{event.actor} approved {what}{_return_totals(event)}"
        if status == "rejected":
            reason = event.raw("decision_reason")
            return f"{event.actor} returned {what} to the practice" + (f": {reason}" if reason else "")
        return f"{event.actor} set {what} to {event.after('status').lower()}"
    if event.kind == "update" and event.told_fields():
        return f"{event.actor} changed {what}"
    return None


def return_line(event: Event) -> str | None:
    if event.kind == "insert":
        units = int(event.raw("units") or 0)
        value = Decimal(str(event.raw("unit_price") or 0)) * units
        return (
            f"{event.actor} entered {units:,} unit{'s' if units != 1 else ''} at {event.value('unit_price')} "
            f"for {event.value('period_start')} to {event.value('period_end')}: {money(value)}"
        )
    return None


def _evidence(event: Event) -> str:
    if event.own:
        return "this evidence"
    return f"{event.value('requirement')} version {event.raw('version')}"


def evidence_submission(event: Event) -> str | None:
    if event.kind == "insert":
        valid = f", valid to {event.value('valid_to')}" if event.raw("valid_to") else ""
        return f"{event.actor} uploaded {_evidence(event)} ({event.value('description')}{valid})"
    if event.kind == "update" and event.changed("status"):
        status = event.new("status")
        verbs = {"accepted": "accepted", "rejected": "rejected", "withdrawn": "withdrew"}
        if status in verbs:
            decisions = event.others("contracts.EvidenceDecision", submission_id=event.data.get("id"))
            reason = next((d.get("reason") for d in decisions if d.get("reason")), "")
            others = [name for name in event.told_fields() if name != "status"]
            event.said_all = not others
            return f"{event.actor} {verbs[status]} {_evidence(event)}" + (f": {reason}" if reason else "")
    if event.kind == "update" and event.told_fields():
        return f"{event.actor} changed {_evidence(event)}"
    return None


def evidence_decision(event: Event) -> str | None:
    # The submission's change of status says it, with the reason, wherever
    # the page shows both.
    if event.kind == "insert":
        decided = event.raw("decision")
        if event.others("contracts.EvidenceSubmission", "update", id=event.raw("submission"), status=decided):
            return ""
        verb = "accepted" if decided == "accepted" else "rejected"
        reason = event.raw("reason")
        return f"{event.actor} {verb} the evidence" + (f": {reason}" if reason else "")
    return None


def clinician(event: Event) -> str | None:
    name = event.value("name")
    if event.kind == "insert":
        return f"{event.actor} added {name} to the schedule of clinicians from {event.value('added_on')}"
    if event.kind == "update" and event.changed("removed_on") and event.raw("removed_on"):
        event.said_all = len(event.told_fields()) == 1
        return f"{event.actor} took {name} off the schedule of clinicians from {event.value('removed_on')}"
    return None


def subcontract(event: Event) -> str | None:
    if event.kind == "insert":
        what = "this sub-contract" if event.own else f"a sub-contract for {event.value('service')}"
        return f"{event.actor} created {what}, starting {event.value('start_date')}"
    if event.kind == "update" and event.changed("end_date") and event.raw("end_date"):
        what = "this sub-contract" if event.own else f"the sub-contract for {event.value('service')}"
        event.said_all = len(event.told_fields()) == 1
        return f"{event.actor} ended {what} on {event.value('end_date')}"
    return None


def covered(what: str, one: str):
    def sentence(event: Event) -> str | None:
        if event.kind not in ("add", "remove") or not event.links:
            return None
        names = ", ".join(event.links)
        # The same link row is told on both pages it joins: on the contract's
        # page it names the locality (or practice), on theirs the contract.
        if isinstance(event.page, Contract):
            if event.kind == "add":
                return f"{event.actor} added {names} to the {what} this contract covers"
            return f"{event.actor} removed {names} from the {what} this contract covers"
        if event.kind == "add":
            return f"{event.actor} added this {one} to the contract {names}"
        return f"{event.actor} removed this {one} from the contract {names}"

    return sentence


def contract(event: Event) -> str | None:
    if event.kind == "insert" and event.own:
        return (
            f"{event.actor} created this contract ({event.value('reference')}), worth {event.value('value')}"
        )
    return None


def document(event: Event) -> str | None:
    if event.kind == "insert":
        return (
            f"{event.actor} uploaded the document “{event.value('title')}” ({event.value('original_name')})"
        )
    return None


def review_note(event: Event) -> str | None:
    if event.kind == "insert":
        return f"{event.actor} added a review note of {event.value('reviewed_on')}: {event.value('note')}"
    return None


SENTENCES = {
    "contracts.ActivityReturn": Sentence(activity_return),
    "contracts.ActivityReturnLine": Sentence(return_line),
    "contracts.EvidenceSubmission": Sentence(evidence_submission, names={"requirement": "name"}),
    "contracts.EvidenceDecision": Sentence(evidence_decision),
    "contracts.ScheduledClinician": Sentence(clinician),
    "contracts.SubContract": Sentence(subcontract, names={"service": "name"}),
    "contracts.ContractLocality": Sentence(covered("localities", "locality")),
    "contracts.ContractPractice": Sentence(covered("practices", "practice")),
    "contracts.Contract": Sentence(contract),
    "contracts.ContractDocument": Sentence(document),
    "contracts.ContractReviewNote": Sentence(review_note),
}
