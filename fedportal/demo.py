"""The demo users every app's demo data refers to."""

import os

from fedportal.models import Role, User

DEMO_USERS = [
    ("demo-staff", Role.STAFF, "Helen", "Parker", "Chief Operating Officer"),
    ("demo-board", Role.BOARD, "Rysz", "Bietzk", "Chair of the board"),
    ("demo-practice", Role.PRACTICE, "Priya", "Mistry", "Practice manager"),
    ("demo-admin", Role.ADMINISTRATOR, "Alex", "Admin", "Portal administrator"),
]


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD", "demo")


def load(context: dict, stdout) -> None:
    password = demo_password()
    users = {}
    for username, role, first, last, _title in DEMO_USERS:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "role": role,
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.nhs.uk",
                "is_active": True,
                "is_staff": role == Role.ADMINISTRATOR,
                "is_superuser": role == Role.ADMINISTRATOR,
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        users[username] = user
    context["users"] = users
