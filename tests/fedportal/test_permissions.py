"""The portal-wide action rules of fedportal/permissions.py, role by role."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from fedportal.models import Role, User
from fedportal.permissions import (
    can_browse_federation,
    can_edit_records,
    can_run_imports,
    get_visible_or_404,
    require,
)
from localities.models import Practice

pytestmark = pytest.mark.django_db

# role -> (can_edit_records, can_run_imports, can_browse_federation)
ROLE_TABLE = [
    ("staff", True, True, True),
    ("administrator", True, True, True),
    ("board", False, False, True),
    ("practice", False, False, False),
    ("inactive staff", False, False, False),
    ("superuser with the practice role", True, True, True),
    ("anonymous", False, False, False),
]


def user_for(role: str):
    if role == "anonymous":
        return AnonymousUser()
    if role == "inactive staff":
        return User.objects.create_user("gone", role=Role.STAFF, is_active=False)
    if role == "superuser with the practice role":
        return User.objects.create_user("root", role=Role.PRACTICE, is_superuser=True)
    return User.objects.create_user(role, role=role)


@pytest.mark.parametrize(("role", "edit", "imports", "browse"), ROLE_TABLE)
def test_each_role_may_do_what_the_design_says(role, edit, imports, browse):
    user = user_for(role)

    assert can_edit_records(user)[0] is edit
    assert can_run_imports(user)[0] is imports
    assert can_browse_federation(user)[0] is browse


@pytest.mark.parametrize(("role", "edit", "imports", "browse"), ROLE_TABLE)
def test_a_refusal_always_says_why(role, edit, imports, browse):
    user = user_for(role)

    for decision in (can_edit_records(user), can_run_imports(user), can_browse_federation(user)):
        allowed, reason = decision
        assert bool(reason) is not allowed


def test_require_raises_permission_denied_with_the_reason():
    request = RequestFactory().get("/practices/new/")
    request.user = user_for("board")

    with pytest.raises(PermissionDenied, match=r"Only federation staff can change these records\."):
        require(can_edit_records(request.user), request)


def test_require_lets_an_allowed_decision_through():
    request = RequestFactory().get("/practices/new/")
    request.user = user_for("staff")

    assert require(can_edit_records(request.user), request) is None


def test_get_visible_or_404_is_404_out_of_scope_and_for_nothing(practice_user, practice, other_practice):
    request = RequestFactory().get("/")
    request.user = practice_user

    assert get_visible_or_404(request, Practice, ods_code="C82009") == practice
    with pytest.raises(Http404):
        get_visible_or_404(request, Practice, ods_code=other_practice.ods_code)
    with pytest.raises(Http404):
        get_visible_or_404(request, Practice, ods_code="C99999")
