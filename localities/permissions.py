"""Who keeps a practice's records: the one practice guard, asked by every
app's role rules (uploading a practice's evidence, making its returns,
signing for it). Which practices a user *sees* is
``Practice.objects.visible_to``; keeping records is narrower (the board sees
every practice and keeps none)."""

from localities.models import PracticeMembership

# Where a user's kept practices are remembered for the life of the user
# object (one request), as Django's ModelBackend keeps ``_perm_cache``.
_CACHE = "_kept_practice_ids"


def kept_practice_ids(user) -> frozenset[int]:
    """The ids of the practices a practice user is attached to, read once per
    user object, so that a page asking about several records (and its
    template asking again, through ``user_can``) costs one query."""
    if _CACHE not in user.__dict__:
        user.__dict__[_CACHE] = frozenset(
            PracticeMembership.objects.filter(user=user).values_list("practice_id", flat=True)
        )
    return user.__dict__[_CACHE]


def keeps_practice_records(user, practice) -> bool:
    """Whether ``user`` keeps ``practice``'s records: federation staff keep
    every practice's, a practice user those of the practices they are
    attached to; nobody else, and nobody inactive. ``practice`` is a
    Practice or its id."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_federation_staff:
        return True
    if not user.is_practice_user:
        return False
    return getattr(practice, "pk", practice) in kept_practice_ids(user)
