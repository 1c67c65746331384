"""The address a request came from, for login throttling (django-axes locks a
username per address).

Behind a load balancer or TLS proxy every request's ``REMOTE_ADDR`` is the
proxy's, so five wrong passwords from anyone would lock the username for
everyone. Each proxy appends the address it received the request from to
``X-Forwarded-For``; with ``FEDPORTAL_TRUSTED_PROXIES = N`` (how many proxies
stand in front of the portal), the client is the N-th address from the right.
Anything further left was written by the client itself and could be forged,
so it is never used. With no trusted proxies the header is ignored entirely.

A few lines rather than django-ipware: its newest release replaced its engine,
and this rule is all the portal needs."""

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.FEDPORTAL_TRUSTED_PROXIES
    if not proxies:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        # Not through every proxy configured (a health check, a direct
        # connection): only the connecting address is known for sure.
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
