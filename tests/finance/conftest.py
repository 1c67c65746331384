"""The finance tests' world: the demo federation (seed 000 and 001's
figures), loaded as `make run` loads it, with the portal's date pinned to
15 February 2019."""

from io import StringIO

import pytest
from django.core.management import call_command

DEMO_TODAY = "2019-02-15"


@pytest.fixture
def demo(settings, media_root):
    settings.FEDPORTAL_TODAY = DEMO_TODAY
    call_command("load_demo", force=True, stdout=StringIO())


@pytest.fixture
def demo_client(demo, client_for):
    """A client signed in as one of the demo's users: staff, board or practice."""
    from fedportal.models import User

    def make(role: str):
        return client_for(User.objects.get(username=f"demo-{role}"))

    return make
