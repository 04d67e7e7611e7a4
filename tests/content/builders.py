"""Small content packs written into a temporary folder, for tests that load or break them."""

import io
from pathlib import Path

from PIL import Image

SCAM_TYPES = """\
- slug: bank-impersonation
  name:
    en: Bank impersonation
    zh-hant: 冒充銀行
- slug: parcel
  name:
    en: Parcel scam
"""

SCAM_SMS = """\
slug: parcel-fee-sms
language: en
title: Parcel fee text
channel: sms
scam_type: parcel
is_scam: true
summary: A redelivery fee by text, with a lookalike link.
body:
  sender: HKPost
  sender_detail: "+44 7700 900123"
  messages:
    - from: them
      text: "Your parcel is on hold. Pay HK$12 today at hkpost-redeliver.top or it returns."
red_flags:
  - id: link
    label: A lookalike link
    explanation: The real postal service uses its own domain.
    where: {field: messages.0, text: hkpost-redeliver.top}
  - id: foreign-number
    label: A foreign number
    explanation: A local service texts from a local sender ID.
    where: {field: sender_detail, text: "+44 7700 900123"}
safe_spots:
  - id: amount
    label: A small amount
    explanation: Small amounts are common in both real and fake notices.
    where: {field: messages.0, text: HK$12}
"""

REAL_SMS = """\
slug: parcel-real-sms
language: en
title: Genuine delivery text
channel: sms
scam_type: parcel
is_scam: false
summary: A real notice that asks for nothing and has no link.
body:
  sender: HKPost
  messages:
    - text: "Item RR123 will be delivered tomorrow. Track it in the official app."
"""

PICTURE = """\
slug: fake-ad-picture
language: en
title: A fake advert
channel: image
scam_type: bank-impersonation
is_scam: true
age_rating: {age}
summary: An advert with a badge that is pasted on.
synthetic: true
provenance:
  generator: Pillow
  method: Drawn in a test.
  created: 2026-11-27
media:
  image: media/ad.png
alt: An advert with a green badge.
body:
  caption: Guaranteed returns!
red_flags:
  - id: badge
    label: A pasted-on badge
    explanation: Its edges do not match the picture.
    where: {{region: [10, 10, 20, 20]}}
"""

MODULE = """\
slug: {slug}
language: {language}
title: {title}
summary: Learn the parcel-fee trick.
scam_types: [parcel]
audiences: [everyone, seniors]
age_rating: {age}
minutes: {minutes}
steps:
  - lesson:
      title: {lesson_title}
      text: |
        Couriers **never** ask for fees by text.

        - Check the app.
  - example: parcel-fee-sms
  - question:
      kind: scam_or_legit
      example: parcel-fee-sms
      prompt: Scam or genuine?
      explanation: A fee, a deadline and a strange link.
  - question:
      kind: spot_flags
      example: parcel-fee-sms
      prompt: Tap what is suspicious.
  - question:
      kind: single
      prompt: What do you do?
      choices:
        - text: Check in the official app.
          correct: true
          explanation: The app shows real fees.
        - text: Tap the link.
          explanation: That is how card details are stolen.
  - question:
      kind: multiple
      prompt: Which are warning signs?
      choices:
        - text: A deadline.
          correct: true
          explanation: Pressure is a classic tactic.
        - text: A lookalike link.
          correct: true
          explanation: Check the domain.
        - text: A tracking number.
          explanation: Real notices have them too.
  - question:
      kind: which_is_real
      examples: [parcel-fee-sms, parcel-real-sms]
      prompt: Which is real?
      explanation: The real one asks for nothing.
"""

ADULT_MODULE = """\
slug: adult-module
language: en
title: For adults only
summary: A module rated 18.
scam_types: [bank-impersonation]
age_rating: 18
minutes: 3
steps:
  - example: fake-ad-picture
  - question:
      kind: scam_or_legit
      example: fake-ad-picture
      prompt: Scam?
      explanation: The badge is fake.
"""


def tiny_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "#336699").save(buffer, "PNG")
    return buffer.getvalue()


def write_pack(root: Path, *, extra_modules: int = 0, chinese: bool = True) -> Path:
    """A valid pack: 3 examples, a module with all five question kinds (in English and
    Chinese), an 18+ module, and `extra_modules` more copies of the first module."""
    (root / "examples").mkdir(parents=True)
    (root / "modules").mkdir()
    (root / "media").mkdir()
    (root / "pack.yaml").write_text("name: Test pack\n")
    (root / "scam_types.yaml").write_text(SCAM_TYPES)
    (root / "examples" / "parcel-fee-sms.yaml").write_text(SCAM_SMS)
    (root / "examples" / "parcel-real-sms.yaml").write_text(REAL_SMS)
    (root / "examples" / "fake-ad-picture.yaml").write_text(PICTURE.format(age=18))
    (root / "media" / "ad.png").write_bytes(tiny_png())
    modules = [("parcel-fees", "en", "Parcel fees", "Fees by text")]
    if chinese:
        modules.append(("parcel-fees", "zh-hant", "包裹費用", "短訊收費"))
    modules += [(f"extra-{n}", "en", f"Extra module {n}", "Fees") for n in range(extra_modules)]
    for slug, language, title, lesson_title in modules:
        (root / "modules" / f"{slug}.{language}.yaml").write_text(
            MODULE.format(
                slug=slug,
                language=language,
                title=title,
                lesson_title=lesson_title,
                age="all",
                minutes=4,
            )
        )
    (root / "modules" / "adult-module.en.yaml").write_text(ADULT_MODULE)
    return root
