"""Portal users. A user has one role; practice users are attached to their
practices through ``localities.PracticeMembership``."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    STAFF = "staff", "Federation staff"
    BOARD = "board", "Board member"
    PRACTICE = "practice", "Practice user"
    ADMINISTRATOR = "administrator", "Administrator"


class User(AbstractUser):
    """A person who signs in to the portal, with the role DESIGN.md gives them."""

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PRACTICE)

    class Meta:
        ordering = ["username"]

    @property
    def is_federation_staff(self) -> bool:
        """Keeps every record: federation staff and administrators."""
        return self.is_active and (self.role in (Role.STAFF, Role.ADMINISTRATOR) or self.is_superuser)

    @property
    def is_board_member(self) -> bool:
        return self.is_active and self.role == Role.BOARD

    @property
    def is_practice_user(self) -> bool:
        return self.is_active and self.role == Role.PRACTICE and not self.is_superuser

    @property
    def sees_every_practice(self) -> bool:
        """Staff, administrators and board members read across the federation."""
        return self.is_federation_staff or self.is_board_member

    def __str__(self) -> str:
        return self.get_full_name() or self.username
