"""The change history shown on a record's page, read from django-pghistory's
trigger-written event tables (so bulk updates and imports appear too), and
scoped to the user reading it: an entry never names a record they cannot see."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.apps import apps
from django.db import models
from pghistory.models import MiddlewareEvents

LABELS = {"insert": "Created", "update": "Changed", "delete": "Deleted", "add": "Added", "remove": "Removed"}
HIDDEN_FIELDS = {"id", "created_at", "updated_at", "search_vector"}
# Shown instead of the name of a record a change points to that the reader may not see.
NOT_VISIBLE = "a record you cannot see"


@dataclass
class Change:
    field: str
    before: object
    after: object


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    action: str
    changes: list[Change] = field(default_factory=list)


def _who(event) -> str:
    context = event.pgh_context
    if not context:
        return "System"
    if context.get("user"):
        user = event.user  # read with the events; None once the user is deleted
        return (user.get_full_name() or user.username) if user else f"user {context['user']}"
    if context.get("command"):
        return f"manage.py {context['command']}"
    return "System"


def _model_fields(label: str, cache: dict) -> tuple:
    """A model, its verbose name, its fields' verbose names, its foreign keys
    (field -> model) and its decimals (field -> decimal places)."""
    if label not in cache:
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            cache[label] = (None, "", {}, {}, {})
        else:
            names, relations, decimals = {}, {}, {}
            for f in model._meta.concrete_fields:
                names[f.name] = names[f.attname] = str(f.verbose_name)
                if f.is_relation:
                    relations[f.name] = relations[f.attname] = f.related_model
                elif isinstance(f, models.DecimalField):
                    # pghistory's JSON diff holds money as floats: show pennies again.
                    decimals[f.name] = f.decimal_places
            cache[label] = (model, str(model._meta.verbose_name), names, relations, decimals)
    return cache[label]


def _scope(model, user, seen: frozenset = frozenset()):
    """The records of ``model`` that ``user`` may see, as a queryset, or None
    when they may see every one (so that checking costs no query)."""
    manager = model._default_manager
    if hasattr(manager, "visible_to"):
        scope = manager.visible_to(user)
        # Staff's scope of most models has no condition at all.
        return scope if scope.query.where else None
    # A model with no scope of its own is as visible as the scoped records it
    # belongs to (a clinician its sub-contract, a decision its submission, a
    # review note its contract); one that belongs to none is reference data
    # (a service, an organisation, a user) for whoever may see the page.
    scope = None
    for f in model._meta.concrete_fields:
        if not f.many_to_one or f.related_model in seen | {model}:
            continue
        parent = _scope(f.related_model, user, seen | {model})
        if parent is not None:
            belongs = models.Q(**{f"{f.name}__in": parent})
            if f.null:
                belongs |= models.Q(**{f"{f.name}__isnull": True})
            scope = (model._base_manager.all() if scope is None else scope).filter(belongs)
    return scope


def _link_targets(event, relations: dict) -> list[tuple[str, object]]:
    """The foreign keys of a link row's event (one with no pgh_obj, like a
    locality a contract covers): the records it joins."""
    if event.pgh_obj_id is not None:
        return []
    return [
        (name, value)
        for name, value in (event.pgh_data or {}).items()
        if value is not None and name in relations
    ]


def _subjects(event, model, relations: dict) -> list[tuple]:
    """What an event is about, as (model, pk): the record it changed or, for a
    link row, which has no record of its own, the records it joins."""
    if event.pgh_obj_id is None:
        return [(relations[name], value) for name, value in _link_targets(event, relations)]
    return [(model, event.pgh_obj_id)]


def _key(model, value) -> tuple:
    # pghistory gives a record's id as text and a foreign key as a number.
    return (model, model._meta.pk.to_python(value))


class _Visible:
    """Which of the records the events are about or point to ``user`` may
    see, checked in one query for them all, and the names of those that the
    changes show, read in one query per model."""

    def __init__(self, events, obj, user, cache: dict, known=()):
        about, named = {}, {}  # model -> ids: records the events are about, records their changes name
        for event in events:
            model, _, _, relations, _ = _model_fields(event.pgh_obj_model, cache)
            for name, values in (event.pgh_diff or {}).items():
                if name in relations:
                    named.setdefault(relations[name], set()).update(v for v in values if v is not None)
            for name, value in _link_targets(event, relations):
                named.setdefault(relations[name], set()).add(value)
            if model is not None:
                for subject, pk in _subjects(event, model, relations):
                    about.setdefault(subject, set()).add(pk)
        # The page's own record, and what else it holds, need no check: the
        # view fetched them through the user's scope.
        held = {_key(type(record), record.pk): str(record) for record in (obj, *known)}
        self.seen, self.everyone, self.names = set(held), set(), dict(held)
        scoped, checks = [], []
        for model in about.keys() | named.keys():
            scope = _scope(model, user)
            keys = {_key(model, pk) for pk in about.get(model, set()) | named.get(model, set())} - held.keys()
            if scope is None:
                self.everyone.add(model)
            elif keys:
                ids = [pk for _, pk in keys]
                checks.append(
                    scope.filter(pk__in=ids).order_by().values_list(models.Value(len(scoped)), "pk")
                )
                scoped.append(model)
        if checks:
            # Each model's ids within its scope, tagged by the model's index:
            # one UNION, so reading more kinds of record costs no more queries.
            rows = checks[0].union(*checks[1:], all=True) if len(checks) > 1 else checks[0]
            self.seen.update(_key(scoped[index], pk) for index, pk in rows)
        for model, ids in named.items():
            keys = {_key(model, pk) for pk in ids if self.sees(model, pk)} - held.keys()
            if keys:
                # A name often names a parent too (a contract its contractor):
                # joined, or naming 20 contracts would be 20 more queries.
                found = model._base_manager.filter(pk__in=[pk for _, pk in keys]).select_related()
                self.names.update((_key(model, record.pk), str(record)) for record in found)

    def sees(self, model, pk) -> bool:
        return model in self.everyone or _key(model, pk) in self.seen

    def name(self, model, pk):
        """The record's name, or NOT_VISIBLE when the reader may not see it."""
        if not self.sees(model, pk):
            return NOT_VISIBLE
        # A record since deleted (of a model the reader sees all of): its id.
        return self.names.get(_key(model, pk), pk)


def history_for(obj, *, user, known=(), limit: int = 100) -> list[HistoryEntry]:
    """Newest first: who changed what on ``obj`` and on the records that refer
    to it (a practice's list sizes, a contract's documents), with before and
    after, leaving out what ``user`` may not see (a draft contract covering
    their practice, another practice's name in a change).

    ``known``: records the page already fetched through the user's scope (a
    contract's localities and practices), named from those rather than read
    again."""
    # Events of one transaction share its timestamp (an import that creates a
    # practice and then updates it): the event id keeps them in order.
    # The users behind the changes come in the same query (a join), which
    # leaves room for the one query that checks what the reader may see.
    events = list(
        MiddlewareEvents.objects.references(obj)
        .select_related("user")
        .order_by("-pgh_created_at", "-pgh_id")[:limit]
    )
    cache: dict = {}
    visible = _Visible(events, obj, user, cache, known)
    entries = []
    for event in events:
        model, model_name, verbose, relations, decimals = _model_fields(event.pgh_obj_model, cache)
        # An event of a model no longer in the code cannot be scoped: left out.
        if model is None or not all(visible.sees(*s) for s in _subjects(event, model, relations)):
            continue

        def shown(name, value, relations=relations, decimals=decimals):
            if value is None:
                return value
            if name in decimals:
                return f"{Decimal(str(value)):,.{decimals[name]}f}"
            if name in relations:
                return visible.name(relations[name], value)
            return value

        changes = [
            Change(verbose.get(name, name.replace("_", " ")), shown(name, before), shown(name, after))
            for name, (before, after) in sorted((event.pgh_diff or {}).items())
            if name not in HIDDEN_FIELDS
        ]
        label = event.pgh_label.split(".")[-1]
        if label == "update" and not changes:
            continue
        action = LABELS.get(label, label.replace("_", " ").capitalize())
        # Another record's event: one that refers to obj (a list size of a
        # practice, an amendment of a return), not a change of obj itself.
        if event.pgh_obj_model != obj._meta.label or str(event.pgh_obj_id) != str(obj.pk):
            described = _describe(event.pgh_data, verbose) or ", ".join(
                str(visible.name(relations[name], value))
                for name, value in _link_targets(event, relations)
                if relations[name] is not type(obj)
            )
            action = f"{action} {model_name}: {described}"
        entries.append(
            HistoryEntry(
                when=event.pgh_created_at,
                who=_who(event),
                action=action,
                changes=changes if label != "insert" else [],
            )
        )
    return entries


IDENTIFYING_FIELDS = (
    "ods_code",
    "reference",
    "title",
    "name",
    "as_at",
    "registered_patients",
    "reviewed_on",
    "version",
    "description",
    "original_name",
    "year",
    "quarter",
    "status",
)


def _describe(data: dict, verbose: dict) -> str:
    """A short description of a related record from its snapshot."""
    data = data or {}
    shown = [f"{verbose.get(k, k)} {data[k]}" for k in IDENTIFYING_FIELDS if data.get(k) not in (None, "")]
    return ", ".join(shown[:3])
