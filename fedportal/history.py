"""The change history shown on a record's page, read from django-pghistory's
trigger-written event tables (so bulk updates and imports appear too), and
scoped to the user reading it: an entry never names a record they cannot see.

Each entry reads as a sentence a practice manager understands ("Helen Parker
approved the Q3 2018/19 return: 18 breath tests, £450.00"), not a dump of
fields. Each app may say how its models' events read: a module listed in
``settings.FEDPORTAL_HISTORY_SENTENCES`` maps a model label to a
``Sentence`` (fedportal imports no app: DESIGN.md, Layout). Any other event
reads from a generic sentence: fields by their verbose names, values by
their field's type (money as money, dates as dates, choices by label,
records they point to by name)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache

from django.apps import apps
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.module_loading import import_string
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
    """One event as the page shows it: ``sentence`` (with ``details``, one
    readable line per changed field, when the sentence does not say it all).
    ``action`` and ``changes`` are the same event as data: the kind of event
    and the changed fields' before and after."""

    when: datetime
    who: str
    action: str
    changes: list[Change] = field(default_factory=list)
    sentence: str = ""
    details: list[str] = field(default_factory=list)


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


def as_text(column: str) -> Cast:
    # One UNION reads ids (and names) of several models: as text, whatever
    # their types (a number, a code, a date), so that every part matches.
    return Cast(column, output_field=models.TextField())


class _Visible:
    """Which of the records the events are about or point to ``user`` may
    see, checked in one query for them all (which also reads the names that
    sentences ask for), and the names of those that the changes show, read
    in one query per model."""

    def __init__(self, events, obj, user, cache: dict, known=()):
        about, named = {}, {}  # model -> ids: records the events are about, records their changes name
        labelled = {}  # model -> (its field that names it, ids): records sentences name
        for event in events:
            model, _, _, relations, _ = _model_fields(event.pgh_obj_model, cache)
            for name, values in (event.pgh_diff or {}).items():
                if name in relations:
                    named.setdefault(relations[name], set()).update(v for v in values if v is not None)
            # The records a sentence names (a sub-contract's service, evidence's requirement).
            for name, label_field in _sentence_for(event.pgh_obj_model).names.items():
                data = event.pgh_data or {}
                value = data.get(name, data.get(f"{name}_id"))
                if value is not None and name in relations:
                    labelled.setdefault(relations[name], (label_field, set()))[1].add(value)
            for name, value in _link_targets(event, relations):
                named.setdefault(relations[name], set()).add(value)
            if model is not None:
                for subject, pk in _subjects(event, model, relations):
                    about.setdefault(subject, set()).add(pk)
        # The page's own record, and what else it holds, need no check: the
        # view fetched them through the user's scope.
        held = {_key(type(record), record.pk): str(record) for record in (obj, *known)}
        # And the records they were fetched with (a sub-contract's service
        # and practice) and the users behind the events (a return's "decided
        # by"): named without reading them again, when a sentence names them
        # and the reader may see them.
        self.fetched = {}
        for record in (obj, *known):
            for f in record._meta.concrete_fields:
                if f.many_to_one and f.is_cached(record) and (related := getattr(record, f.name)) is not None:
                    self.fetched.setdefault(_key(type(related), related.pk), related)
        for event in events:
            if (context := event.pgh_context) and context.get("user") and event.user is not None:
                self.fetched.setdefault(_key(type(event.user), event.user.pk), event.user)
        self.seen, self.everyone, self.names = set(held), set(), dict(held)
        scoped, checks = [], []
        no_label = models.Value(None, output_field=models.TextField())
        for model in about.keys() | named.keys() | labelled.keys():
            scope = _scope(model, user)
            ids = about.get(model, set()) | named.get(model, set()) | labelled.get(model, ("", set()))[1]
            keys = {_key(model, pk) for pk in ids} - held.keys()
            if scope is None:
                self.everyone.add(model)
            elif keys:
                ids = [pk for _, pk in keys]
                checks.append(
                    scope.filter(pk__in=ids)
                    .order_by()
                    .values_list(models.Value(len(scoped)), as_text("pk"), no_label)
                )
                scoped.append(model)
        # The names sentences ask for are read in the same query, from the
        # field that names each record (a requirement's name).
        labels = []
        for model, (label_field, ids) in labelled.items():
            keys = {_key(model, pk) for pk in ids} - held.keys() - self.fetched.keys()
            if keys:
                label = as_text(label_field)
                checks.append(
                    model._base_manager.filter(pk__in=[pk for _, pk in keys])
                    .order_by()
                    .values_list(models.Value(len(scoped) + len(labels)), as_text("pk"), label)
                )
                labels.append(model)
        if checks:
            # Each model's ids within its scope, tagged by the model's index:
            # one UNION, so reading more kinds of record costs no more queries.
            rows = checks[0].union(*checks[1:], all=True) if len(checks) > 1 else checks[0]
            found = {}
            for index, pk, label in rows:
                if index < len(scoped):
                    self.seen.add(_key(scoped[index], pk))
                else:
                    found[_key(labels[index - len(scoped)], pk)] = label
            # Named only where the reader may see them (checked just now).
            self.names.update((key, label) for key, label in found.items() if self.sees(*key))
        for model, ids in named.items():
            # (Whether the reader may see them is checked above all the same.)
            keys = (
                {_key(model, pk) for pk in ids if self.sees(model, pk)}
                - self.names.keys()
                - self.fetched.keys()
            )
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
        key = _key(model, pk)
        if key not in self.names and key in self.fetched:
            self.names[key] = str(self.fetched[key])
        # A record since deleted (of a model the reader sees all of): its id.
        return self.names.get(key, pk)


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
        own = event.pgh_obj_model == obj._meta.label and str(event.pgh_obj_id) == str(obj.pk)
        links = [
            str(visible.name(relations[name], value))
            for name, value in _link_targets(event, relations)
            if relations[name] is not type(obj)
        ]
        if not own:
            described = _describe(event.pgh_data, verbose) or ", ".join(links)
            action = f"{action} {model_name}: {described}"
        told = Event(
            kind=label,
            actor=_actor(event),
            model=model,
            model_name=model_name,
            own=own,
            data=event.pgh_data or {},
            diff={k: v for k, v in (event.pgh_diff or {}).items() if k not in HIDDEN_FIELDS},
            links=links,
            page=obj,
            _visible=visible,
            _events=events,
            _relations=relations,
        )
        sentence = _sentence_for(event.pgh_obj_model).build(told)
        if sentence is None:
            sentence = generic_sentence(told)
        if not sentence:  # told better by another event on the page
            continue
        details = [] if told.said_all else told.detail_lines()
        entries.append(
            HistoryEntry(
                when=event.pgh_created_at,
                who=_who(event),
                action=action,
                changes=changes if label != "insert" else [],
                sentence=sentence,
                details=details,
            )
        )
    return entries


# Sentences -----------------------------------------------------------------------

# Kept by the database for its own use, or said by the entry itself (when, by
# whom): never a line of an entry's details.
UNTOLD_FIELDS = {"sha256", "size", "content_type", "file", "search_vector"}


def long_date(value) -> str:
    """NHS.UK style: 15 February 2019."""
    return f"{value.day} {value:%B %Y}"


def money(value) -> str:
    """£1,234.56 (-£1,234.56 for a credit)."""
    amount = Decimal(str(value)).quantize(Decimal("0.01"))
    sign = "-" if amount < 0 else ""
    return f"{sign}£{intcomma(f'{abs(amount):.2f}')}"


def _is_money(model_field) -> bool:
    # The portal's money fields (DESIGN.md): 14 digits, 2 places. A VAT rate
    # or a percentage is a decimal of a few digits.
    return (
        isinstance(model_field, models.DecimalField)
        and model_field.decimal_places == 2
        and (model_field.max_digits >= 10)
    )


def _is_stamp(model, name: str) -> bool:
    f = _field(model, name)
    return isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add or f.name.endswith("_at"))


@cache
def _field(model, name: str):
    for f in model._meta.concrete_fields:
        if name in (f.name, f.attname):
            return f
    return None


def readable(model, name: str, value, visible=None) -> str:
    """A value of ``model``'s field as a sentence says it: choices by label,
    records by name, money as money, dates as dates, yes or no."""
    if value is None or value == "":
        return "none"
    f = _field(model, name) if model is not None else None
    if f is None:
        return str(value)
    if f.is_relation:
        return str(visible.name(f.related_model, value)) if visible is not None else str(value)
    if f.choices:
        labels = {str(key): label for key, label in f.flatchoices}
        return str(labels.get(str(value), value))
    try:
        if isinstance(f, models.DateTimeField):
            moment = datetime.fromisoformat(str(value))
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return f"{long_date(moment)} at {moment:%H:%M}"
        if isinstance(f, models.DateField):
            return long_date(date.fromisoformat(str(value)[:10]))
        if _is_money(f):
            return money(value)
        if isinstance(f, models.DecimalField):
            return f"{Decimal(str(value)).normalize():f}"
    except (ValueError, TypeError, InvalidOperation):
        return str(value)
    if isinstance(f, models.BooleanField):
        return "yes" if value else "no"
    if isinstance(f, models.TextField) and len(str(value)) > 120:
        return f"{str(value)[:117].rstrip()}…"
    return str(value)


@dataclass
class Event:
    """One event, for a sentence: what happened (``kind``: insert, update,
    delete, add, remove or a custom label), by whom (``actor``), to which
    model's record, whether the record is the page's own, and its values,
    readable through ``value``, ``before`` and ``after``."""

    kind: str
    actor: str
    model: type
    model_name: str
    own: bool
    data: dict
    diff: dict
    links: list[str]
    page: object
    _visible: object = None
    _events: list = field(default_factory=list)
    _relations: dict = field(default_factory=dict)
    # Set by a sentence that says every change itself: no details below it.
    said_all: bool = False

    def _key(self, name: str, values: dict) -> str:
        # pghistory keeps a foreign key under its column (requirement_id).
        if name in values:
            return name
        f = _field(self.model, name)
        return f.attname if f is not None else name

    def value(self, name: str) -> str:
        return readable(self.model, name, self.raw(name), self._visible)

    def raw(self, name: str):
        return self.data.get(self._key(name, self.data))

    def changed(self, name: str) -> bool:
        return self._key(name, self.diff) in self.diff

    def before(self, name: str) -> str:
        return readable(self.model, name, self.diff[self._key(name, self.diff)][0], self._visible)

    def after(self, name: str) -> str:
        return readable(self.model, name, self.diff[self._key(name, self.diff)][1], self._visible)

    def new(self, name: str):
        """The raw value a change gave ``name``."""
        return self.diff[self._key(name, self.diff)][1]

    def label(self, name: str) -> str:
        f = _field(self.model, name)
        return str(f.verbose_name) if f is not None else name.replace("_", " ")

    def others(self, model_label: str, kind: str = "", **match) -> list[dict]:
        """The data of the page's events of ``model_label`` (of ``kind`` when
        given: insert, update ...) whose fields hold ``match`` (a return's
        lines, a submission's decision)."""
        return [
            event.pgh_data or {}
            for event in self._events
            if event.pgh_obj_model == model_label
            and (not kind or event.pgh_label.split(".")[-1] == kind)
            and all((event.pgh_data or {}).get(k) == v for k, v in match.items())
        ]

    def told_fields(self) -> list[str]:
        """The changed fields a reader is told of: not the stamps of when
        something happened (``submitted_at``, set again when a record is
        dated back), which the entry's own time says."""
        return [
            name
            for name in sorted(self.diff)
            if name not in UNTOLD_FIELDS and not _is_stamp(self.model, name)
        ]

    def detail_lines(self) -> list[str]:
        """'Valid to: none → 31 March 2019', one per changed field."""
        if self.kind != "update":
            return []
        return [
            f"{self.label(name)[:1].upper()}{self.label(name)[1:]}: {self.before(name)} → {self.after(name)}"
            for name in self.told_fields()
        ]


@dataclass(frozen=True)
class Sentence:
    """How one model's events read: ``build(event)`` returns the sentence,
    None for the generic one, or "" to leave the event out (another event on
    the page tells it better). ``names``: foreign keys whose records the
    sentence names from the event's data, each with the field of that record
    that names it (``{"requirement": "name"}``): read with the query that
    checks what the reader may see, so naming costs no query of its own."""

    build: Callable[[Event], str | None]
    names: dict[str, str] = field(default_factory=dict)


GENERIC = Sentence(lambda event: None)


@cache
def _sentences() -> dict[str, Sentence]:
    found = {}
    for path in getattr(settings, "FEDPORTAL_HISTORY_SENTENCES", ()):
        found.update(import_string(path))
    return found


def _sentence_for(label: str) -> Sentence:
    return _sentences().get(label, GENERIC)


def _actor(event) -> str:
    """Who did it, as the subject of a sentence."""
    context = event.pgh_context
    if context and not context.get("user") and context.get("command"):
        return f"The {context['command']} command"
    who = _who(event)
    return "The portal" if who == "System" else who


def _a(noun: str) -> str:
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def _joined(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def generic_sentence(event: Event) -> str:
    """A sentence for any event: "Helen Parker changed the postcode:
    LE16 9BX → LE16 7AA", "The import_practices command added a list size:
    as at 1 January 2019, registered patients 21627"."""
    who, name = event.actor, event.model_name
    described = describe(event)
    if event.kind == "insert":
        return f"{who} created this {name}" if event.own else f"{who} added {_a(name)}: {described}"
    if event.kind == "delete":
        return f"{who} deleted this {name}" if event.own else f"{who} deleted {_a(name)}: {described}"
    if event.kind in ("add", "remove"):
        verb = "added" if event.kind == "add" else "removed"
        return f"{who} {verb} {_joined(event.links) if event.links else described} ({name})"
    if event.kind == "update":
        told = event.told_fields()
        if not told:
            return ""
        whose = "" if event.own else f" of the {name} {described}".rstrip()
        if len(told) == 1:
            [only] = told
            event.said_all = True
            return f"{who} changed the {event.label(only)}{whose}: {event.before(only)} → {event.after(only)}"
        return f"{who} changed the {_joined([event.label(n) for n in told])}{whose}"
    return f"{who}: {event.kind.replace('_', ' ')} {name} {described}".rstrip()


def describe(event: Event) -> str:
    """A short description of a record from its snapshot: its identifying
    fields, readable."""
    shown = [
        f"{event.label(k)} {event.value(k)}"
        if k not in ("name", "title", "description", "original_name")
        else event.value(k)
        for k in IDENTIFYING_FIELDS
        if event.data.get(k) not in (None, "")
    ]
    return ", ".join(shown[:3])


IDENTIFYING_FIELDS = (
    "ods_code",
    "practice_name",
    "signatory",
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
    "assessed_on",
    "status",
)


def _describe(data: dict, verbose: dict) -> str:
    """A short description of a related record from its snapshot."""
    data = data or {}
    shown = [f"{verbose.get(k, k)} {data[k]}" for k in IDENTIFYING_FIELDS if data.get(k) not in (None, "")]
    return ", ".join(shown[:3])
