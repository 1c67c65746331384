#!/usr/bin/env python
"""Django's command-line utility for fedportal."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fedportal.settings.local")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        # A missing or malformed environment variable: say which, in one line,
        # rather than a traceback through the settings modules.
        sys.exit(f"fedportal: {exc}")


if __name__ == "__main__":
    main()
