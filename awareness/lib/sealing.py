"""Secrets we keep (identity providers' client secrets, DKIM keys, mailbox passwords) are
encrypted at rest with a Fernet key per purpose, derived from SECRET_KEY and its fallbacks: a
database dump alone yields none, and SECRET_KEY_FALLBACKS keeps them readable while the key is
rotated."""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def secret_box(purpose: str) -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([
        Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"{purpose}:{secret}".encode()).digest()))
        for secret in secrets
    ])  # fmt: skip


def seal(text: str, *, purpose: str) -> str:
    return secret_box(purpose).encrypt(text.encode()).decode()


def unseal(sealed: str, *, purpose: str) -> str:
    """The secret, or "" when it was sealed under a key no longer held."""
    try:
        return secret_box(purpose).decrypt(sealed.encode()).decode()
    except InvalidToken:
        return ""
