"""How localities' and practices' events read in a record's history
(fedportal.history): a list size as a figure at a date, a practice's
creation by its name and code."""

from fedportal.history import Event, Sentence


def _patients(event: Event) -> str:
    return f"{int(event.raw('registered_patients')):,} registered patients at {event.value('as_at')}"


def list_size(event: Event) -> str | None:
    source = event.raw("source")
    source = f" (from {source})" if source else ""
    if event.kind == "insert":
        return f"{event.actor} recorded a list size of {_patients(event)}{source}"
    if event.kind == "delete":
        return f"{event.actor} deleted the list size of {_patients(event)}"
    return None


def practice(event: Event) -> str | None:
    if event.kind == "insert":
        what = "this practice" if event.own else f"{event.value('name')} ({event.value('ods_code')})"
        return f"{event.actor} added {what} to the portal"
    return None


SENTENCES = {
    "localities.ListSize": Sentence(list_size),
    "localities.Practice": Sentence(practice),
}
