"""Secret tokens in links and headers are kept only as their SHA-256: a database leak yields
no usable invitation, player, lure or API token."""

import hashlib


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
