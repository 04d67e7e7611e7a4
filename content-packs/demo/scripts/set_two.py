"""Media of set two: fake bank log-in, romance with AI photos, refund scam, QR parking fine.

Every picture is drawn with Pillow and every voice is espeak-ng; nothing shows a real person,
a real logo or a real organisation's material. "Harbour City Bank", "BuyNest" and "SwiftBox"
are made up. The QR pattern on the parking leaflet is random squares, not a scannable code.

Regions of the visual tells that the examples' YAML quotes (in percent of each picture) are
collected in REGIONS while drawing, and the start of each line of the call in TIMINGS; run
`python -m scripts.set_two` from the pack folder to print both after a change.
"""

import math
import random
import subprocess
import tempfile
import wave
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

from . import kit

REGIONS: dict[str, dict[str, tuple[float, float, float, float]]] = {}
TIMINGS: dict[str, list[float]] = {}

NAVY = "#0b3a5b"
TEAL = "#12808a"
INK = "#1f2328"
GREY = "#5f6b76"
LINK = "#1a4fd6"
GREEN_URL = "#13713a"


# --------------------------------------------------------------------------- helpers


def _record(name: str, key: str, size: tuple[int, int], box: tuple[float, ...]) -> None:
    """Remember a rectangle (x0, y0, x1, y1 in pixels) as [x, y, w, h] in percent."""
    width, height = size
    x0, y0, x1, y1 = box
    REGIONS.setdefault(name, {})[key] = (
        round(100 * x0 / width, 1),
        round(100 * y0 / height, 1),
        round(100 * (x1 - x0) / width, 1),
        round(100 * (y1 - y0) / height, 1),
    )


def _tokens(text: str) -> list[str]:
    """Split into words (Latin, with their trailing space) and single CJK characters."""
    tokens: list[str] = []
    word = ""
    for char in text:
        if ord(char) > 0x2E80:
            if word:
                tokens.append(word)
                word = ""
            tokens.append(char)
        else:
            word += char
            if char == " ":
                tokens.append(word)
                word = ""
    if word:
        tokens.append(word)
    return tokens


NO_LINE_START = set("。，、；：！？）」』》")


def _wrap(text: str, face, width: float) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in _tokens(paragraph):
            too_long = line and face.getlength((line + token).rstrip()) > width
            if too_long and token not in NO_LINE_START:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
        lines.append(line.rstrip())
    return lines


def _text(draw, xy, text, face, fill, width, spacing=1.3) -> float:
    """Draw wrapped text from the top-left corner xy; return the y below the last line."""
    x, y = xy
    step = face.size * spacing
    for line in _wrap(text, face, width):
        draw.text((x, y), line, font=face, fill=fill)
        y += step
    return y


def _gradient(size, top, bottom) -> Image.Image:
    """A vertical gradient between two RGB tuples."""
    width, height = size
    column = Image.new("RGB", (1, height))
    for y in range(height):
        t = y / max(1, height - 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        column.putpixel((0, y), colour)
    return column.resize((width, height))


def _rng(seed: int) -> random.Random:
    """Repeatable randomness for drawing (bokeh, stubble, QR squares); not for security."""
    return random.Random(seed)  # noqa: S311


def _font(size, *, bold=False, zh=False):
    return kit.font(size, bold=bold, cjk=zh)


# --------------------------------------------------------------------------- bank log-in


def _emblem(draw, x, y, size, colour=NAVY, accent="#f2b233") -> None:
    """A made-up emblem: a rounded square, two pillars and a wave (Harbour City Bank)."""
    draw.rounded_rectangle((x, y, x + size, y + size), radius=size // 5, fill=colour)
    pillar = size // 7
    for left in (x + size * 0.25, x + size * 0.75 - pillar):
        draw.rectangle((left, y + size * 0.2, left + pillar, y + size * 0.62), fill="white")
    draw.rectangle(
        (x + size * 0.25, y + size * 0.38, x + size * 0.75, y + size * 0.45), fill="white"
    )
    points = []
    for step in range(41):
        t = step / 40
        px = x + size * (0.12 + 0.76 * t)
        points.append((px, y + size * 0.76 + math.sin(t * 2 * math.pi * 1.5) * size * 0.05))
    draw.line(points, fill=accent, width=max(3, size // 14))


def bank_logo(path: Path, *, zh: bool, copied: bool) -> None:
    width, height = 560, 190
    image, draw = kit.canvas(width, height)
    _emblem(draw, 24, 56, 110)
    draw.text((152, 66), "HARBOUR CITY BANK", font=_font(30, bold=True, zh=zh), fill=NAVY)
    sub = "港城銀行  ·  個人銀行" if zh else "Personal Banking since 1968"
    draw.text((154, 118), sub, font=_font(22, zh=zh), fill=GREY)
    if copied:
        # A logo grabbed from a screenshot and blown up again: soft, blocky, colours a bit off.
        small = image.resize((width // 3, height // 3), Image.Resampling.BILINEAR)
        image = small.resize((width, height), Image.Resampling.NEAREST)
        image = image.filter(ImageFilter.GaussianBlur(0.8))
        image = Image.blend(image, Image.new("RGB", image.size, "#1f5f8f"), 0.08)
    _record(path.name, "logo", (width, height), (20, 50, 545, 170))
    kit.save_png(image, path, chinese=zh)


SEARCH = {
    "en": {
        "query": "harbour city bank login",
        "tabs": ["All", "News", "Images", "Maps"],
        "about": "About 1,240,000 results (0.41 s)",
        "sponsored": "Sponsored",
        "ad_site": "Harbour City Bank",
        "ad_url": "https://harbourcltybank.com.hk › login",
        "ad_title": "Harbour City Bank® e-Banking | Official Log-in",
        "ad_text": "Log in securely to e-Banking. Account re-verification required for all "
        "customers by 30 Nov. 24/7 support.",
        "org_site": "Harbour City Bank",
        "org_url": "https://www.harbourcitybank.com.hk",
        "org_title": "Harbour City Bank – Personal Banking, Cards and Loans",
        "org_text": "Log on to e-Banking, open an account, apply for a credit card. "
        "Security alert: beware of fraudulent websites.",
        "news_site": "City Daily News",
        "news_url": "https://citydaily.example › finance",
        "news_title": "Bank warns of fake log-in pages in search adverts",
        "news_text": "26 Nov 2026 — Harbour City Bank says fraudulent adverts imitate its "
        "e-Banking page and urges customers to type its address ...",
    },
    "zh": {
        "query": "港城銀行 登入",
        "tabs": ["全部", "新聞", "圖片", "地圖"],
        "about": "約 1,240,000 項結果（0.41 秒）",
        "sponsored": "贊助",
        "ad_site": "港城銀行 Harbour City Bank",
        "ad_url": "https://harbourcltybank.com.hk › login",
        "ad_title": "港城銀行®網上理財｜官方登入",
        "ad_text": "安全登入網上理財。所有客戶須於11月30日前重新驗證帳戶。24小時客戶支援。",
        "org_site": "港城銀行 Harbour City Bank",
        "org_url": "https://www.harbourcitybank.com.hk",
        "org_title": "港城銀行－個人銀行、信用卡及貸款",
        "org_text": "登入網上理財、開立戶口、申請信用卡。保安提示：小心偽冒網站。",
        "news_site": "城市日報",
        "news_url": "https://citydaily.example › finance",
        "news_title": "銀行提醒：搜尋廣告出現偽冒登入網頁",
        "news_text": "2026年11月26日 — 港城銀行表示，有詐騙廣告仿冒其網上理財頁面，"
        "呼籲客戶自行輸入銀行網址……",
    },
}


def search_ad(path: Path, *, zh: bool) -> None:
    words = SEARCH["zh" if zh else "en"]
    width, height = 720, 980
    image, draw = kit.canvas(width, height, "#ffffff")
    size = (width, height)
    # Browser chrome and the search box.
    draw.rectangle((0, 0, width, 96), fill="#eef1f4")
    draw.rounded_rectangle((96, 52, 700, 84), radius=16, fill="white", outline="#d0d5da")
    draw.text((116, 58), "findly.example/search", font=_font(18), fill=GREY)
    draw.text((24, 122), "findly", font=_font(34, bold=True), fill="#6a3fd1")
    draw.rounded_rectangle((150, 118, 700, 168), radius=25, fill="white", outline="#c6ccd2")
    draw.text((174, 129), words["query"], font=_font(22, zh=zh), fill=INK)
    x = 150
    for number, tab in enumerate(words["tabs"]):
        draw.text((x, 186), tab, font=_font(18, zh=zh), fill=LINK if number == 0 else GREY)
        if number == 0:
            draw.rectangle((x, 214, x + _font(18, zh=zh).getlength(tab), 217), fill=LINK)
        x += _font(18, zh=zh).getlength(tab) + 40
    draw.line((0, 220, width, 220), fill="#e3e6e9", width=2)
    draw.text((24, 234), words["about"], font=_font(16, zh=zh), fill=GREY)

    def result(top, site, url, title, text, *, sponsored=False, news=False) -> tuple:
        left = 24
        if sponsored:
            face = _font(17, bold=True, zh=zh)
            draw.text((left, top), words["sponsored"], font=face, fill=INK)
            badge = (left - 6, top - 4, left + face.getlength(words["sponsored"]) + 6, top + 26)
            _record(path.name, "sponsored", size, badge)
            top += 34
        draw.ellipse((left, top + 4, left + 32, top + 36), fill="#e8eef5", outline="#c6d2de")
        if news:
            draw.text((left + 9, top + 7), "N", font=_font(20, bold=True), fill="#b3261e")
        else:
            _emblem(draw, left + 7, top + 11, 18)
        draw.text((left + 44, top), site, font=_font(18, zh=zh), fill=INK)
        url_face = _font(16)
        draw.text((left + 44, top + 24), url, font=url_face, fill=GREEN_URL)
        url_box = (left + 40, top + 20, left + 48 + url_face.getlength(url), top + 46)
        top += 56
        end = _text(draw, (left, top), title, _font(25, zh=zh), LINK, width - 2 * left, 1.25)
        title_box = (left - 4, top - 4, width - 20, end + 2)
        end = _text(draw, (left, end + 6), text, _font(19, zh=zh), "#3c4043", width - 2 * left)
        return url_box, title_box, (top, end)

    top = 280
    ad_url, ad_title, (_, ad_end) = result(
        top,
        words["ad_site"],
        words["ad_url"],
        words["ad_title"],
        words["ad_text"],
        sponsored=True,
    )
    _record(path.name, "ad-address", size, ad_url)
    _record(path.name, "ad-title", size, ad_title)
    # The deadline is the second sentence of the advert's text.
    _record(path.name, "ad-text", size, (20, ad_title[3], width - 20, ad_end + 4))
    draw.line((24, ad_end + 18, width - 24, ad_end + 18), fill="#e3e6e9", width=2)
    top = ad_end + 40
    _, _, (_, org_end) = result(
        top, words["org_site"], words["org_url"], words["org_title"], words["org_text"]
    )
    _record(path.name, "real-result", size, (20, top - 4, width - 20, org_end + 4))
    top = org_end + 34
    _, _, (_, news_end) = result(
        top,
        words["news_site"],
        words["news_url"],
        words["news_title"],
        words["news_text"],
        news=True,
    )
    _record(path.name, "news-result", size, (20, top - 4, width - 20, news_end + 4))
    kit.save_png(image, path, chinese=zh)


# --------------------------------------------------------------------------- romance


def _warped_sign(text_lines: list[str], size: tuple[int, int], seed: int) -> Image.Image:
    """Sign lettering that melts the way generated text often does."""
    width, height = size
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    face = _font(int(height * 0.25), bold=True)
    y = height * 0.12
    for line in text_lines:
        draw.text((width * 0.06, y), line, font=face, fill=(250, 236, 200, 255))
        y += height * 0.42
    rng = _rng(seed)
    warped = Image.new("RGBA", size, (0, 0, 0, 0))
    for x in range(width):
        shift = int(math.sin(x / 9.0) * 4 + math.sin(x / 23.0 + 1.3) * 5 + rng.uniform(-1, 1))
        column = layer.crop((x, 0, x + 1, height))
        warped.paste(column, (x, shift), column)
    return warped.filter(ImageFilter.GaussianBlur(0.9))


def ai_profile(path: Path) -> None:
    """A too-perfect portrait with the tells of a generated picture, drawn at 2x."""
    s = 2
    width, height = 600, 760
    size = (width, height)
    image = _gradient((width * s, height * s), (236, 220, 200), (196, 162, 132))
    draw = ImageDraw.Draw(image, "RGBA")

    def box(x0, y0, x1, y1):
        return (x0 * s, y0 * s, x1 * s, y1 * s)

    # Background: a café with soft bokeh lights and a sign whose letters melt.
    rng = _rng(7)
    glow = Image.new("RGBA", image.size, (0, 0, 0, 0))
    glow_draw = ImageDraw.Draw(glow)
    for _ in range(26):
        x, y, r = rng.uniform(0, width), rng.uniform(0, 330), rng.uniform(10, 34)
        colour = rng.choice([(255, 226, 160, 120), (255, 248, 225, 110), (250, 190, 140, 100)])
        glow_draw.ellipse(box(x - r, y - r, x + r, y + r), fill=colour)
    image.paste(
        glow.filter(ImageFilter.GaussianBlur(10)), (0, 0), glow.filter(ImageFilter.GaussianBlur(10))
    )
    draw.rectangle(box(0, 430, width, 470), fill=(120, 84, 60, 255))  # counter
    draw.rounded_rectangle(box(392, 58, 584, 182), radius=14 * s, fill=(34, 72, 58, 255))
    sign = _warped_sign(["BLOSSSOM", "CAFFÉ·OPEM"], (176 * s, 110 * s), seed=3)
    image.paste(sign, (400 * s, 66 * s), sign)
    _record(path.name, "sign", size, (386, 52, 590, 188))
    _record(path.name, "bokeh", size, (0, 36, 166, 250))

    # Hair behind the head, shoulders, neck.
    hair = (58, 36, 28, 255)
    draw.ellipse(box(168, 130, 432, 470), fill=hair)
    draw.polygon([p * s for p in (172, 300, 150, 600, 250, 610, 240, 330)], fill=hair)
    draw.polygon([p * s for p in (428, 300, 452, 600, 350, 610, 360, 330)], fill=hair)
    draw.polygon(
        [p * s for p in (70, 760, 120, 612, 230, 560, 370, 560, 480, 612, 530, 760)],
        fill=(28, 120, 128, 255),
    )
    skin, shade = (242, 204, 172, 255), (226, 180, 150, 255)
    draw.rectangle(box(262, 430, 338, 575), fill=shade)
    draw.polygon([p * s for p in (230, 560, 300, 640, 370, 560)], fill=skin)
    # Necklace: a thin gold chain, an ordinary detail.
    draw.arc(box(250, 500, 350, 610), 20, 160, fill=(214, 176, 84, 255), width=2 * s)
    _record(path.name, "necklace", size, (240, 560, 360, 620))

    # Ears and the mismatched earrings.
    draw.ellipse(box(194, 292, 220, 352), fill=shade)
    draw.ellipse(box(380, 292, 406, 352), fill=shade)
    draw.ellipse(box(188, 350, 218, 392), outline=(212, 168, 58, 255), width=4 * s)  # gold hoop
    draw.ellipse(box(393, 348, 407, 362), fill=(60, 110, 210, 255))  # blue stud ...
    draw.polygon([p * s for p in (400, 362, 392, 392, 408, 392)], fill=(200, 206, 214, 255))
    _record(path.name, "earring-right", size, (386, 340, 416, 400))
    _record(path.name, "earring-left", size, (180, 340, 226, 400))

    # An airbrushed face: smooth light-to-dark shading, blushed cheeks, no texture at all.
    face = Image.new("RGBA", image.size, (232, 188, 156, 255))
    face_draw = ImageDraw.Draw(face)
    for step in range(12):
        inset = step * 4
        tone = (238 + step // 2, 196 + step * 2, 164 + step * 2, 255)
        face_draw.ellipse(box(212 + inset, 188 + inset, 388 - inset, 440 - inset), fill=tone)
    for cx in (252, 348):
        face_draw.ellipse(box(cx - 26, 350, cx + 26, 384), fill=(240, 170, 160, 255))
    face = face.filter(ImageFilter.GaussianBlur(6 * s))
    mask = Image.new("L", image.size, 0)
    ImageDraw.Draw(mask).ellipse(box(206, 178, 394, 468), fill=255)
    image.paste(face, (0, 0), mask)
    # Fringe.
    draw.chord(box(196, 150, 404, 300), 180, 360, fill=hair)

    # Eyes with catch-lights on different sides (the "light" comes from two directions).
    for cx, light in ((270, -1), (330, 1)):
        draw.ellipse(box(cx - 22, 298, cx + 22, 320), fill=(252, 250, 246, 255))
        draw.ellipse(box(cx - 10, 298, cx + 10, 320), fill=(92, 58, 36, 255))
        draw.ellipse(box(cx - 5, 304, cx + 5, 314), fill=(20, 14, 12, 255))
        draw.ellipse(box(cx + 3 * light - 2, 302, cx + 3 * light + 3, 307), fill="white")
        draw.arc(box(cx - 24, 292, cx + 24, 324), 190, 350, fill=(30, 20, 18, 255), width=3 * s)
        draw.arc(box(cx - 26, 270, cx + 26, 300), 200, 340, fill=(70, 44, 34, 255), width=4 * s)
    # Nose.
    draw.line(
        [p * s for p in (302, 326, 297, 356, 307, 360)], fill=(214, 164, 134, 255), width=2 * s
    )
    # A wide smile with far too many, identical teeth.
    draw.chord(box(256, 380, 344, 428), 0, 180, fill=(190, 70, 80, 255))
    draw.chord(box(262, 384, 338, 420), 0, 180, fill=(252, 252, 248, 255))
    for number in range(17):
        x = 264 + number * 4.4
        draw.line(box(x, 403, x, 416), fill=(206, 206, 200, 255), width=1 * s)
    draw.line(box(258, 404, 342, 404), fill=(190, 70, 80, 255), width=3 * s)
    _record(path.name, "teeth", size, (250, 372, 350, 430))

    # A raised hand with six fingers of odd lengths (and no thumb).
    draw.rounded_rectangle(box(384, 560, 492, 666), radius=30 * s, fill=skin)
    draw.rectangle(box(400, 640, 480, 760), fill=skin)
    fingers = [(386, 500), (404, 462), (422, 452), (440, 458), (458, 470), (476, 510)]
    for number, (fx, top) in enumerate(fingers):
        finger_width = 15 if number != 3 else 20
        draw.rounded_rectangle(
            box(fx, top, fx + finger_width, 600), radius=7 * s, fill=skin, outline=shade, width=s
        )
    for fx, _ in fingers:
        draw.line(box(fx + 3, 540, fx + 11, 540), fill=shade, width=s)
    _record(path.name, "hand", size, (380, 440, 490, 680))

    image = image.resize(size, Image.Resampling.LANCZOS)
    kit.save_png(image, path)


def real_profile(path: Path) -> None:
    """An ordinary, slightly imperfect holiday snap: tilted horizon, squint, legible sign."""
    s = 2
    width, height = 600, 760
    image = _gradient((width * s, height * s), (150, 196, 232), (226, 236, 240))
    draw = ImageDraw.Draw(image, "RGBA")

    def box(x0, y0, x1, y1):
        return (x0 * s, y0 * s, x1 * s, y1 * s)

    # Hills with a slightly tilted horizon, sea, a path.
    draw.polygon(
        [p * s for p in (0, 330, 160, 250, 330, 300, 470, 230, 600, 290, 600, 760, 0, 760)],
        fill=(98, 140, 88, 255),
    )
    draw.polygon([p * s for p in (0, 420, 600, 380, 600, 760, 0, 760)], fill=(74, 118, 70, 255))
    draw.polygon(
        [p * s for p in (0, 600, 150, 420, 175, 420, 70, 760, 0, 760)], fill=(196, 176, 140, 255)
    )
    # A clear, readable trail sign.
    draw.rectangle(box(468, 300, 478, 520), fill=(110, 78, 50, 255))
    draw.rectangle(box(400, 300, 590, 380), fill=(110, 78, 50, 255))
    draw.text(
        (410 * s, 310 * s), "Country Trail", font=_font(19 * s, bold=True), fill=(246, 236, 210)
    )
    draw.text((410 * s, 342 * s), "Stage 2  →  3.2 km", font=_font(17 * s), fill=(246, 236, 210))
    # A friend's shoulder cut off at the left edge.
    draw.ellipse(box(-90, 520, 90, 800), fill=(200, 60, 60, 255))
    # The man: T-shirt, neck, face, cap, sunglasses pushed up on the cap.
    draw.polygon(
        [p * s for p in (120, 760, 160, 600, 250, 560, 370, 560, 450, 600, 470, 760)],
        fill=(70, 90, 120, 255),
    )
    skin, shade = (214, 170, 130, 255), (190, 146, 110, 255)
    draw.rectangle(box(270, 470, 340, 575), fill=shade)
    draw.ellipse(box(220, 250, 380, 500), fill=skin)
    draw.ellipse(box(210, 350, 232, 400), fill=shade)
    draw.ellipse(box(368, 350, 390, 400), fill=shade)
    draw.chord(box(214, 220, 386, 360), 180, 360, fill=(40, 56, 84, 255))
    draw.polygon([p * s for p in (214, 290, 120, 310, 214, 308)], fill=(40, 56, 84, 255))
    draw.rounded_rectangle(box(250, 250, 350, 272), radius=8 * s, fill=(20, 20, 24, 220))
    # Greying sideburns, squinting eyes, an ordinary closed-mouth grin, a bit of stubble.
    draw.rectangle(box(222, 310, 232, 360), fill=(150, 150, 150, 255))
    draw.rectangle(box(368, 310, 378, 360), fill=(150, 150, 150, 255))
    for cx in (272, 328):
        draw.arc(box(cx - 16, 360, cx + 16, 378), 200, 340, fill=(40, 30, 24, 255), width=3 * s)
        draw.arc(box(cx - 18, 340, cx + 18, 356), 200, 340, fill=(90, 80, 70, 255), width=3 * s)
    draw.line([p * s for p in (300, 372, 294, 410, 304, 414)], fill=shade, width=2 * s)
    draw.arc(box(268, 420, 334, 456), 20, 160, fill=(140, 70, 60, 255), width=3 * s)
    rng = _rng(11)
    for _ in range(160):
        x, y = rng.uniform(250, 350), rng.uniform(440, 492)
        draw.point((x * s, y * s), fill=(120, 100, 90, 140))
    # His hand holding a water bottle: five fingers wrapped round it.
    draw.rounded_rectangle(box(430, 520, 480, 700), radius=10 * s, fill=(90, 170, 210, 230))
    draw.rectangle(box(442, 505, 468, 522), fill=(30, 60, 110, 255))
    for number in range(4):
        y = 600 + number * 20
        draw.rounded_rectangle(box(418, y, 492, y + 17), radius=8 * s, fill=skin, outline=shade)
    draw.rounded_rectangle(box(410, 570, 432, 624), radius=9 * s, fill=skin, outline=shade)
    image = image.rotate(-2.0, resample=Image.Resampling.BICUBIC)
    margin = 20 * s
    image = image.crop((margin, margin, width * s - margin, height * s - margin))
    image = image.resize((width, height), Image.Resampling.LANCZOS)
    kit.save_png(image, path)


# --------------------------------------------------------------------------- refund call


CALL = [
    (
        "Caller",
        "en-gb+f3",
        160,
        "Hello, this is Amy from SwiftBox Express customer service. Am I speaking with Mr Chan?",
    ),
    ("You", "en-gb+m3", 160, "Yes, speaking."),
    (
        "Caller",
        "en-gb+f3",
        160,
        "Your parcel, tracking number S B 2 0 2 6 1 1 2 4, was damaged in "
        "our warehouse. We will refund you two hundred and eighty-eight dollars compensation.",
    ),
    ("You", "en-gb+m3", 160, "Oh. OK. What do I need to do?"),
    (
        "Caller",
        "en-gb+f3",
        165,
        "Our refund system must verify your bank account. Please install "
        "the app Support Link from the link I send you by SMS, so our officer can guide you on "
        "your screen.",
    ),
    (
        "Caller",
        "en-gb+f3",
        165,
        "Then you will receive a six-digit code. Please read it out to me "
        "so I can confirm the refund.",
    ),
    (
        "Caller",
        "en-gb+f3",
        175,
        "Please do it in the next ten minutes. Otherwise the refund expires "
        "and the case is closed.",
    ),
    ("You", "en-gb+m3", 160, "I'll call SwiftBox back on the number in their app."),
    (
        "Caller",
        "en-gb+f3",
        175,
        "No need, sir, the hotline is very busy. Just stay on the line with me.",
    ),
]


def call_audio(path: Path, lines, *, gap: float = 0.6) -> None:
    """Speak each line in its own voice, join them with pauses and encode a small Ogg file."""
    starts: list[float] = []
    with tempfile.TemporaryDirectory() as work:
        frames = b""
        params = None
        clock = 0.3
        for number, (_, voice, speed, text) in enumerate(lines):
            part = kit.speak(text, Path(work) / f"{number}.wav", voice=voice, speed=speed)
            with wave.open(str(part), "rb") as reader:
                params = reader.getparams()
                rate, width = reader.getframerate(), reader.getsampwidth()
                if not frames:
                    frames = b"\0" * int(0.3 * rate) * width
                starts.append(round(clock, 1))
                frames += reader.readframes(reader.getnframes())
                clock += reader.getnframes() / rate
                frames += b"\0" * int(gap * rate) * width
                clock += gap
        joined = Path(work) / "call.wav"
        with wave.open(str(joined), "wb") as writer:
            writer.setparams(params)
            writer.writeframes(frames)
        subprocess.run(
            [
                "ffmpeg",
                "-y",
                "-loglevel",
                "error",
                "-i",
                str(joined),
                # Bit-exact output (fixed stream serial): regenerating gives identical bytes,
                # so reloading the pack does not create a new version of the example.
                "-fflags",
                "+bitexact",
                "-flags:a",
                "+bitexact",
                "-c:a",
                "libopus",
                "-b:a",
                "24k",
                "-metadata",
                f"comment={kit.STATEMENT}",
                "-metadata",
                f"title={kit.LABEL}",
                str(path),
            ],
            check=True,
        )
    TIMINGS[path.name] = starts


# --------------------------------------------------------------------------- parking


def _qr_pattern(draw, x, y, cell, seed=2026) -> float:
    """A QR-looking block of random squares (25 x 25 cells, not a scannable code)."""
    count = 25
    rng = _rng(seed)
    draw.rectangle(
        (x - cell, y - cell, x + (count + 1) * cell, y + (count + 1) * cell), fill="white"
    )
    finders = [(0, 0), (count - 7, 0), (0, count - 7)]

    def in_finder(col, row):
        return any(fx - 1 <= col <= fx + 7 and fy - 1 <= row <= fy + 7 for fx, fy in finders)

    for row in range(count):
        for col in range(count):
            if not in_finder(col, row) and rng.random() < 0.48:
                draw.rectangle(
                    (
                        x + col * cell,
                        y + row * cell,
                        x + (col + 1) * cell - 1,
                        y + (row + 1) * cell - 1,
                    ),
                    fill="black",
                )
    for fx, fy in finders:
        left, top = x + fx * cell, y + fy * cell
        draw.rectangle((left, top, left + 7 * cell - 1, top + 7 * cell - 1), fill="black")
        draw.rectangle(
            (left + cell, top + cell, left + 6 * cell - 1, top + 6 * cell - 1), fill="white"
        )
        draw.rectangle(
            (left + 2 * cell, top + 2 * cell, left + 5 * cell - 1, top + 5 * cell - 1), fill="black"
        )
    return y + count * cell


LEAFLET = {
    "en": {
        "title": "PARKING CONTRAVENTION NOTICE",
        "dept": "Transport Department · Parking Enforcement Unit",
        "rows": [
            ("Vehicle", "PK 4417"),
            ("Date / time", "27/11/2026  10:42"),
            ("Location", "Hau Fook Street, Tsim Sha Tsui"),
            ("Offence", "Parking on yellow line"),
            ("Fine", "HK$320"),
        ],
        "warning": "PAY WITHIN 24 HOURS or your vehicle will be towed and an extra "
        "HK$1,000 will be charged.",
        "scan": "SCAN TO PAY BY CARD",
        "domain": "gov-hk-parking.com",
        "officer": "Officer No. 4417",
    },
    "zh": {
        "title": "違例泊車通知書",
        "dept": "運輸署 · 泊車執法組",
        "rows": [
            ("車輛", "PK 4417"),
            ("日期／時間", "27/11/2026  10:42"),
            ("地點", "尖沙咀厚福街"),
            ("違例事項", "在黃線上停車"),
            ("罰款", "HK$320"),
        ],
        "warning": "請於24小時內繳款，否則車輛將被拖走，並須額外繳付HK$1,000。",
        "scan": "掃描二維碼以信用卡付款",
        "domain": "gov-hk-parking.com",
        "officer": "人員編號 4417",
    },
}


def _windscreen(width, height) -> Image.Image:
    """Dark, slightly reflective glass with a wiper blade along the bottom."""
    image = _gradient((width, height), (52, 66, 80), (24, 30, 38))
    draw = ImageDraw.Draw(image, "RGBA")
    draw.polygon([(0, 90), (180, 0), (300, 0), (0, 260)], fill=(255, 255, 255, 22))
    draw.polygon(
        [(420, height), (width, 380), (width, 470), (520, height)], fill=(255, 255, 255, 16)
    )
    draw.line((20, height - 28, width - 60, height - 70), fill=(12, 12, 14, 255), width=10)
    return image


def leaflet(path: Path, *, zh: bool) -> None:
    words = LEAFLET["zh" if zh else "en"]
    width, height = 600, 840
    size = (width, height)
    image = _windscreen(width, height)
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = 56, 56, 544, 800
    draw.rectangle((left + 5, top + 6, right + 5, bottom + 6), fill=(10, 10, 12))
    draw.rectangle((left, top, right, bottom), fill="#f6d64a")
    # Header band with a made-up round crest.
    draw.rectangle((left, top, right, top + 120), fill="#111111")
    draw.ellipse((left + 18, top + 22, left + 94, top + 98), outline="#f6d64a", width=4)
    draw.regular_polygon((left + 56, top + 60, 22), 5, fill="#f6d64a")
    title_face = _font(30 if zh else 22, bold=True, zh=zh)
    _text(draw, (left + 110, top + 22), words["title"], title_face, "#f6d64a", right - left - 124)
    draw.text((left + 110, top + 82), words["dept"], font=_font(15, zh=zh), fill="#f0f0f0")
    _record(path.name, "header", size, (left, top, right, top + 120))
    # Details.
    y = top + 140
    label_face, value_face = _font(17, zh=zh), _font(18, bold=True, zh=zh)
    for label, value in words["rows"]:
        draw.text((left + 22, y), label, font=label_face, fill="#3a3000")
        draw.text((left + 150, y - 1), value, font=value_face, fill="#111111")
        if label in {"Vehicle", "車輛"}:
            _record(path.name, "plate", size, (left + 16, y - 6, right - 16, y + 28))
        y += 34
    # The threat.
    y += 6
    draw.rectangle((left + 16, y, right - 16, y + 84), fill="#c8102e")
    end = _text(
        draw,
        (left + 28, y + 10),
        words["warning"],
        _font(19, bold=True, zh=zh),
        "white",
        right - left - 56,
    )
    _record(path.name, "deadline", size, (left + 16, y, right - 16, max(y + 84, end + 6)))
    y = max(y + 84, end + 6) + 16
    # The QR code and where it goes.
    scan_face = _font(20, bold=True, zh=zh)
    scan_width = scan_face.getlength(words["scan"])
    draw.text(((width - scan_width) / 2, y), words["scan"], font=scan_face, fill="#111111")
    cell = 8
    qr_left = (width - 25 * cell) / 2
    qr_bottom = _qr_pattern(draw, qr_left, y + 40, cell)
    _record(path.name, "qr", size, (qr_left - 12, y - 4, qr_left + 25 * cell + 12, qr_bottom + 10))
    domain_face = _font(22, bold=True)
    domain_width = domain_face.getlength(words["domain"])
    draw.text(
        ((width - domain_width) / 2, qr_bottom + 18),
        words["domain"],
        font=domain_face,
        fill="#111111",
    )
    _record(
        path.name,
        "domain",
        size,
        (
            (width - domain_width) / 2 - 8,
            qr_bottom + 12,
            (width + domain_width) / 2 + 8,
            qr_bottom + 50,
        ),
    )
    draw.text((left + 22, bottom - 34), words["officer"], font=_font(15, zh=zh), fill="#3a3000")
    # Sticky tape at the top corners.
    for corner in (left - 20, right - 50):
        draw.rectangle((corner, top - 12, corner + 70, top + 16), fill=(235, 235, 225))
    kit.save_png(image, path, chinese=zh)


NOTICE = {
    "en": {
        "title": "FIXED PENALTY NOTICE",
        "subtitle": "Parking contravention",
        "number": "Notice No.  4 0271 5593 6",
        "rows": [
            ("Vehicle reg. mark", "PK 4417"),
            ("Date / time", "27/11/2026  10:42"),
            ("Location", "Hau Fook Street, Tsim Sha Tsui"),
            ("Contravention", "Parking in a restricted zone"),
            ("Fixed penalty", "HK$320"),
        ],
        "pay": "You must pay the fixed penalty within 21 days from the date of this notice, "
        "or notify that you wish to dispute liability.",
        "how": "How to pay: see the back of this notice - at any post office, by post, or "
        "through the official government online payment service. Quote the notice number.",
        "issued": "Issued by: Traffic Warden TW 2281",
    },
    "zh": {
        "title": "定額罰款通知書",
        "subtitle": "違例泊車",
        "number": "通知書號碼  4 0271 5593 6",
        "rows": [
            ("車輛登記號碼", "PK 4417"),
            ("日期／時間", "27/11/2026  10:42"),
            ("地點", "尖沙咀厚福街"),
            ("違例事項", "在限制區內停泊"),
            ("定額罰款", "HK$320"),
        ],
        "pay": "你須於本通知書日期起計21天內繳付定額罰款，或通知當局你擬就法律責任提出爭議。",
        "how": "繳款方法：見本通知書背頁——可於任何郵政局、以郵寄方式，或透過政府官方網上"
        "繳款服務繳款。請註明通知書號碼。",
        "issued": "發出人：交通督導員 TW 2281",
    },
}


def genuine_notice(path: Path, *, zh: bool) -> None:
    words = NOTICE["zh" if zh else "en"]
    width, height = 600, 840
    size = (width, height)
    image = _windscreen(width, height)
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = 70, 60, 530, 790
    draw.rectangle((left + 5, top + 6, right + 5, bottom + 6), fill=(10, 10, 12))
    draw.rectangle((left, top, right, bottom), fill="#fbfbf7")
    draw.rectangle((left, top, right, top + 14), fill="#9c1c2c")
    draw.text(
        (left + 22, top + 34),
        words["title"],
        font=_font(28 if zh else 25, bold=True, zh=zh),
        fill=INK,
    )
    draw.text((left + 22, top + 76), words["subtitle"], font=_font(18, zh=zh), fill=GREY)
    draw.text((left + 22, top + 112), words["number"], font=_font(19, bold=True, zh=zh), fill=INK)
    _record(path.name, "number", size, (left + 16, top + 106, right - 16, top + 140))
    y = top + 160
    for label, value in words["rows"]:
        draw.line((left + 20, y - 8, right - 20, y - 8), fill="#d8d8d0", width=1)
        draw.text((left + 22, y), label, font=_font(15, zh=zh), fill=GREY)
        draw.text((left + 22, y + 20), value, font=_font(18, bold=True, zh=zh), fill=INK)
        y += 58
    draw.line((left + 20, y - 8, right - 20, y - 8), fill="#d8d8d0", width=1)
    y = _text(
        draw, (left + 22, y + 6), words["pay"], _font(17, bold=True, zh=zh), INK, right - left - 44
    )
    y = _text(
        draw, (left + 22, y + 10), words["how"], _font(16, zh=zh), "#33383d", right - left - 44
    )
    draw.text((left + 22, bottom - 60), words["issued"], font=_font(15, zh=zh), fill=GREY)
    draw.line((left + 260, bottom - 30, right - 24, bottom - 30), fill="#8a8a84", width=1)
    draw.line(
        [
            (left + 280, bottom - 40),
            (left + 320, bottom - 52),
            (left + 350, bottom - 36),
            (left + 400, bottom - 50),
        ],
        fill="#2a3b8f",
        width=2,
    )
    # A plastic sleeve: a faint sheen across the paper.
    sheen = Image.new("RGBA", size, (0, 0, 0, 0))
    ImageDraw.Draw(sheen).polygon(
        [(left, top + 300), (right, top + 120), (right, top + 180), (left, top + 360)],
        fill=(255, 255, 255, 40),
    )
    image.paste(sheen, (0, 0), sheen)
    kit.save_png(image, path, chinese=zh)


# --------------------------------------------------------------------------- entry point


def make(media_dir: Path) -> None:
    media_dir.mkdir(parents=True, exist_ok=True)
    for zh in (False, True):
        tail = "-zh" if zh else ""
        bank_logo(media_dir / f"fake-bank-login-logo{tail}.png", zh=zh, copied=False)
        bank_logo(media_dir / f"fake-bank-login-logo-copy{tail}.png", zh=zh, copied=True)
        search_ad(media_dir / f"fake-bank-login-search-ad{tail}.png", zh=zh)
        leaflet(media_dir / f"qr-parking-fine-leaflet{tail}.png", zh=zh)
        genuine_notice(media_dir / f"qr-parking-fine-notice{tail}.png", zh=zh)
    ai_profile(media_dir / "romance-ai-photos-profile.png")
    real_profile(media_dir / "romance-ai-photos-real-profile.png")
    call_audio(media_dir / "refund-scam-courier-call.ogg", CALL)


if __name__ == "__main__":
    import pprint

    make(Path(__file__).resolve().parent.parent / "media")
    pprint.pprint(REGIONS, width=100)
    pprint.pprint(TIMINGS)
