"""Reading settings from the environment, with a message that names the
variable when one is missing or malformed (not a bare KeyError traceback)."""

import os

from django.core.exceptions import ImproperlyConfigured


def required(name: str, what: str) -> str:
    """A variable production cannot run without; ``what`` says what it is for."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"Set the environment variable {name}: {what} (README, Deploying).")
    return value


def env_int(name: str, default: int) -> int:
    """A whole number of at least zero, or ``default`` when unset."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise ImproperlyConfigured(f"The environment variable {name} must be a whole number, not {value!r}.")
    return int(value)
