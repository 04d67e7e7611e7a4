"""Hooks a higher layer registers to shape signing in (identity's single sign-on): where an
address is sent to sign in, and who may not sign in with a password or a link."""

from collections.abc import Callable

# (request, what the person typed) -> a URL to send them to, or None.
redirect_hooks: list[Callable] = []
# (user) -> why this account may not sign in with a password or a link, or None.
refusal_hooks: list[Callable] = []


def sign_in_redirect(request, identifier: str) -> str | None:
    for hook in redirect_hooks:
        if url := hook(request, identifier):
            return url
    return None


def password_refusal(user) -> str | None:
    for hook in refusal_hooks:
        if reason := hook(user):
            return reason
    return None
