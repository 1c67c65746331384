"""The change history shown on a record's page, read from django-pghistory's
trigger-written event tables (so bulk updates and imports appear too)."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from pghistory.models import MiddlewareEvents

LABELS = {"insert": "Created", "update": "Changed", "delete": "Deleted", "add": "Added", "remove": "Removed"}
HIDDEN_FIELDS = {"id", "created_at", "updated_at", "search_vector"}


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


def _who(context: dict | None, users: dict) -> str:
    if not context:
        return "System"
    if context.get("user"):
        return users.get(context["user"], f"user {context['user']}")
    if context.get("command"):
        return f"manage.py {context['command']}"
    return "System"


def _model_fields(label: str, cache: dict) -> tuple[str, dict, dict, dict]:
    """A model's verbose name, its fields' verbose names, its foreign keys
    (field -> model) and its decimals (field -> decimal places)."""
    if label not in cache:
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            cache[label] = ("", {}, {}, {})
        else:
            names, relations, decimals = {}, {}, {}
            for f in model._meta.concrete_fields:
                names[f.name] = names[f.attname] = str(f.verbose_name)
                if f.is_relation:
                    relations[f.name] = relations[f.attname] = f.related_model
                elif isinstance(f, models.DecimalField):
                    # pghistory's JSON diff holds money as floats: show pennies again.
                    decimals[f.name] = f.decimal_places
            cache[label] = (str(model._meta.verbose_name), names, relations, decimals)
    return cache[label]


def _related_labels(events, cache: dict) -> dict:
    """str() of every record a diff's foreign keys point to (and, for a link
    row such as a locality a contract covers, its data's), fetched per model."""
    wanted: dict = {}
    for event in events:
        _, _, relations, _ = _model_fields(event.pgh_obj_model, cache)
        for name, values in (event.pgh_diff or {}).items():
            if name in relations:
                wanted.setdefault(relations[name], set()).update(v for v in values if v is not None)
        for name, value in _link_targets(event, relations):
            wanted.setdefault(relations[name], set()).add(value)
    labels = {}
    for model, ids in wanted.items():
        for pk, obj in model._base_manager.in_bulk(ids).items():
            labels[(model, pk)] = str(obj)
    return labels


def history_for(obj, limit: int = 100) -> list[HistoryEntry]:
    """Newest first: who changed what on ``obj`` and on the records that refer
    to it (a practice's list sizes, a contract's documents), with before and after."""
    # Events of one transaction share its timestamp (an import that creates a
    # practice and then updates it): the event id keeps them in order.
    events = list(MiddlewareEvents.objects.references(obj).order_by("-pgh_created_at", "-pgh_id")[:limit])
    user_ids = {e.pgh_context.get("user") for e in events if e.pgh_context} - {None}
    users = {
        u.pk: (u.get_full_name() or u.username) for u in get_user_model().objects.filter(pk__in=user_ids)
    }
    own_label = obj._meta.label
    cache: dict = {}
    related = _related_labels(events, cache)
    entries = []
    for event in events:
        model_name, verbose, relations, decimals = _model_fields(event.pgh_obj_model, cache)

        def shown(name, value, relations=relations, decimals=decimals):
            if value is None:
                return value
            if name in decimals:
                return f"{Decimal(str(value)):,.{decimals[name]}f}"
            if name in relations:
                return related.get((relations[name], value), value)
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
        if event.pgh_obj_model != own_label or str(event.pgh_obj_id) != str(obj.pk):
            described = _describe(event.pgh_data, verbose) or ", ".join(
                str(related.get((relations[name], value), value))
                for name, value in _link_targets(event, relations)
                if relations[name] is not type(obj)
            )
            action = f"{action} {model_name}: {described}"
        entries.append(
            HistoryEntry(
                when=event.pgh_created_at,
                who=_who(event.pgh_context, users),
                action=action,
                changes=changes if label != "insert" else [],
            )
        )
    return entries


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
