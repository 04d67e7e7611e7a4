"""A pack in which one example depicts a real person, with her recorded consent, and a module
(for all ages) that uses it; helpers to file removal requests as a person would."""

import time
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.content.builders import tiny_png, write_pack

CONSENTS = """\
- id: lee-consent
  person: Lee Ka-yan, actor
  likeness: [face, voice]
  permitted_use: Scam-awareness training examples on this platform.
  obtained: Signed release form, kept by the content team.
  granted: 2026-01-01
  expires: {expires}
"""

PORTRAIT = """\
slug: portrait-call
language: en
title: A video call from a familiar face
channel: image
scam_type: bank-impersonation
is_scam: true
summary: A bank manager's face, cloned, asks you to move your savings.
synthetic: true
depicts_real_person: true
consent: lee-consent
provenance:
  generator: FaceSwap Studio 2
  method: Face swap of a consenting actor onto a staged call.
  created: 2026-02-01
media:
  image: media/portrait.png
alt: A woman in a bank uniform on a video call.
body:
  caption: Your account is at risk.
red_flags:
  - id: urgency
    label: Urgency
    explanation: Banks never rush you.
    where: {region: [10, 10, 20, 20]}
"""

PORTRAIT_MODULE = """\
slug: familiar-faces
language: en
title: Familiar faces
summary: A face you know can be cloned.
scam_types: [bank-impersonation]
minutes: 3
steps:
  - lesson:
      title: Faces can be copied
      text: A short clip is enough.
  - example: portrait-call
  - question:
      kind: scam_or_legit
      example: portrait-call
      prompt: Scam or genuine?
      explanation: The face is cloned.
"""


def write_consent_pack(root: Path, *, expires: str = "2099-01-01") -> Path:
    """The test pack plus a depicting example (with consent) and a module that uses it."""
    write_pack(root)
    (root / "consents.yaml").write_text(CONSENTS.format(expires=expires))
    (root / "examples" / "portrait-call.yaml").write_text(PORTRAIT)
    (root / "media" / "portrait.png").write_bytes(tiny_png())
    (root / "modules" / "familiar-faces.en.yaml").write_text(PORTRAIT_MODULE)
    return root


@pytest.fixture
def consent_pack(db, tmp_path, settings) -> Path:
    """Loaded: parcel-fees and familiar-faces (which shows Lee, with consent) for all ages."""
    settings.MEDIA_ROOT = tmp_path / "media-root"
    path = write_consent_pack(tmp_path / "pack")
    call_command("load_content", str(path))
    return path


@pytest.fixture
def reviewer(db):
    """A member of the platform's staff, who decides removal requests."""
    from tests.people.factories import UserFactory

    return UserFactory(username="reviewer", email="reviewer@platform.example", is_staff=True)


def removal_form(example: str = "portrait-call", **overrides) -> dict:
    """What a person's browser posts: the hidden start time is a few seconds old."""
    from awareness.safety.forms import form_started_token

    return {
        "example": example,
        "link": "",
        "reason": "likeness",
        "contact_email": "lee@example.net",
        "details": "This is my face.",
        "website": "",
        "started": form_started_token(time.time() - 10),
        **overrides,
    }
