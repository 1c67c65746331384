"""The kinds of file the imports page takes, from every app.

The imports page belongs to localities, but some files are another app's to
read (the ePCN workbook is pcn's), and localities may not import the apps
above it. So each app registers its kinds here in its ``AppConfig.ready``, as
it registers its practice-page sections (``fedportal.extensions``), and the
page offers, checks, previews and applies whatever is registered.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fedportal.files import FileType


@dataclass(frozen=True)
class ImporterKind:
    """One kind of file: its name (kept on the import), its label (offered on
    the page), the file types it takes, and how it is read.

    ``run(data, *, commissioner, source, dry_run, exclude)`` imports the
    file's bytes and returns a summary with ``as_dict()`` (raising the
    importer's ``ImportFailed`` for a file it cannot read); ``recognise(data)``
    says whether a file looks like this kind, so that a file uploaded as the
    wrong kind is named for what it is rather than read line by line."""

    name: str
    label: str
    types: tuple[FileType, ...]
    run: Callable[..., Any]
    recognise: Callable[[bytes], bool]
    takes_commissioner: bool = False
    position: int = 100


_KINDS: dict[str, ImporterKind] = {}


def register_importer(kind: ImporterKind) -> None:
    """Add (or, by its name, replace) a kind: ``ready`` may run twice."""
    _KINDS[kind.name] = kind


def registered_importers() -> list[ImporterKind]:
    return sorted(_KINDS.values(), key=lambda kind: (kind.position, kind.name))


def importer(name: str) -> ImporterKind | None:
    return _KINDS.get(name)


def recognised_kind(data: bytes) -> ImporterKind | None:
    """The registered kind a file looks like, if exactly one says so."""
    matches = [kind for kind in registered_importers() if kind.recognise(data)]
    return matches[0] if len(matches) == 1 else None
