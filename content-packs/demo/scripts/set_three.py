"""Media of the `task-scam` and `official-impersonation` modules of the demo pack.

    python content-packs/demo/make_media.py set_three

Everything is drawn or synthesised here: no photographs, no real people, no real emblems (the
emblems and stamps are made up). The lines below are the `transcript` of the examples' YAML
files, at the same times (the YAML writes numbers such as 18222 as digits; here they are spelt
out for the speech synthesiser). `make` checks that no spoken line runs into the next one, so
the times in the YAML stay true when a line is edited: change both together.

`regions()` lists the rectangles (in percent) that the YAML red flags point at.
"""

from __future__ import annotations

import math
import struct
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

from . import kit

RATE = 16000  # kit.speak writes 16 kHz mono 16-bit PCM when asked for a .wav


# --------------------------------------------------------------------------------------------
# Sound


@dataclass(frozen=True)
class Line:
    at: float  # start, in seconds, as in the YAML transcript
    text: str  # what is said (the YAML shows the same line, digits written as digits)
    voice: str = "en+m3"
    pitch: int = 35
    speed: int = 160


@dataclass(frozen=True)
class Tone:
    at: float
    seconds: float
    hertz: tuple[float, ...]  # one frequency for a ring, two for a keypad (DTMF) tone
    repeat: int = 1  # beeps separated by a gap as long as each beep


AGENT = {"voice": "en-us+f3", "pitch": 60}  # the recorded message
DESK = {"voice": "en-gb+f2", "pitch": 55}  # the "courier customer service"
OFFICER_HO = {"voice": "en-gb+m1", "pitch": 45}
YOU = {"voice": "en-us+f2", "pitch": 60}

ROBOCALL = [
    Line(
        0.0,
        "This is an automated message from Speedy Global Express. A parcel sent in your name "
        "has been held by customs because it contains prohibited items. To speak to our "
        "customer service, press 1 now.",
        **AGENT,
    ),
    Tone(13.2, 0.25, (697.0, 1209.0)),  # the learner presses 1
    Tone(14.0, 0.4, (440.0, 480.0), repeat=2),  # ringing while "connecting"
    Line(
        16.0,
        "Speedy Global Express, customer service. Your parcel to Shanghai contains eleven "
        "bank cards and two fake passports. The sender's identity card number is yours.",
        **DESK,
    ),
    Line(
        27.5,
        "This is a serious crime. I will transfer you now to the Shanghai Public Security "
        "Bureau to make a report.",
        **DESK,
    ),
    Tone(34.8, 0.4, (440.0, 480.0), repeat=2),
    Line(
        37.0,
        "This is Officer Zhang, Shanghai Public Security Bureau. Your identity was used in a "
        "money laundering case. A warrant has been issued for your arrest.",
    ),
    Line(
        47.0,
        "This case is confidential. Do not tell your family or your bank, or you will be "
        "charged with leaking state secrets.",
    ),
    Line(
        55.0,
        "To prove your money is clean, you must move your savings to a safe account for "
        "checking. It will be returned after the investigation.",
    ),
    Line(
        64.0,
        "Stay on the line. Add me on WhatsApp now for a video call, and I will show you the "
        "warrant.",
    ),
]

VIDEO_CALL = [
    Line(
        0.5,
        "Can you see me? I am Officer Zhang. Hold your identity card up to the camera, next "
        "to your face.",
    ),
    Line(
        8.0,
        "Look. This is the arrest warrant with your name on it. You are suspected of "
        "laundering three point eight million Hong Kong dollars.",
    ),
    Line(
        16.0,
        "Because you are cooperating, you may stay at home under secret supervision, instead "
        "of being detained.",
    ),
    Line(
        23.0,
        "Do not hang up, and do not tell anyone, not even your children. Go to a room alone "
        "and lock the door.",
    ),
    Line(
        30.5,
        "Now transfer all your savings to the safe account on the warrant, for asset "
        "verification. It will be returned in seven days.",
    ),
]
VIDEO_SECONDS = 40.0
WARRANT_SHOWN = [(8.0, 16.0), (30.5, 40.0)]  # when "Officer Zhang" holds the warrant up

REAL_POLICE = [
    Line(
        0.5,
        "Good afternoon. May I speak to Mr Chan Tai Man, please? This is Police Constable Ho "
        "from Mong Kok Police Station.",
        **OFFICER_HO,
    ),
    Line(9.5, "Yes, speaking.", **YOU),
    Line(
        11.8,
        "You reported a stolen bicycle last Tuesday. We have recovered a bicycle that may be "
        "yours.",
        **OFFICER_HO,
    ),
    Line(
        18.8,
        "When it suits you, please come to the report room at Mong Kok Police Station with "
        "your identity card and your report number, and we will check it with you.",
        **OFFICER_HO,
    ),
    Line(28.8, "How do I know this call is real?", **YOU),
    Line(
        31.8,
        "Good question. I won't ask for any money, bank details or passwords. You can hang up "
        "and call the station on the number listed on the Police website, or call the "
        "Anti-Scam Helpline on one eight two two two.",
        **OFFICER_HO,
    ),
]


def _tone(tone: Tone) -> bytes:
    samples = []
    count = int(tone.seconds * RATE)
    for beep in range(tone.repeat):
        if beep:
            samples += [0] * count
        for n in range(count):
            fade = min(1.0, n / 160, (count - n) / 160)  # no clicks
            value = sum(math.sin(2 * math.pi * f * n / RATE) for f in tone.hertz)
            samples.append(int(9000 * fade * value / len(tone.hertz)))
    return struct.pack(f"<{len(samples)}h", *samples)


def _track(parts: list[Line | Tone], path: Path, *, phone: bool, until: float = 0.0) -> Path:
    """Speak each line at its time, with silence between, and encode as a small Ogg/Opus."""
    with tempfile.TemporaryDirectory() as work:
        pcm = bytearray()
        for number, part in enumerate(parts):
            start = 2 * int(part.at * RATE)
            if len(pcm) > start:
                raise ValueError(
                    f"{path.name}: part {number} starts at {part.at}s but the one before "
                    f"ends at {len(pcm) / 2 / RATE:.2f}s; move the times here and in the YAML"
                )
            pcm.extend(bytes(start - len(pcm)))
            if isinstance(part, Tone):
                pcm.extend(_tone(part))
                continue
            spoken = kit.speak(
                part.text,
                Path(work) / f"{number}.wav",
                voice=part.voice,
                speed=part.speed,
                pitch=part.pitch,
            )
            with wave.open(str(spoken)) as audio:
                assert (audio.getframerate(), audio.getnchannels()) == (RATE, 1)
                pcm.extend(audio.readframes(audio.getnframes()))
        end = max(len(pcm), 2 * int(until * RATE)) + 2 * int(0.6 * RATE)
        pcm.extend(bytes(end - len(pcm)))
        raw = Path(work) / "track.wav"
        with wave.open(str(raw), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(RATE)
            out.writeframes(bytes(pcm))
        # A telephone line carries roughly 300-3400 Hz: it makes the call sound like one.
        band = ["-af", "highpass=f=300,lowpass=f=3400"] if phone else []
        kit._ffmpeg(
            "-i", str(raw), *band, "-c:a", "libopus", "-b:a", "24k", *kit._metadata(), str(path)
        )
    return path


# --------------------------------------------------------------------------------------------
# Pictures

REGIONS: dict[str, tuple[int, int, int, int, int, int]] = {}  # name: x, y, w, h, W, H


def _mark(name: str, box: tuple[float, float, float, float], size: tuple[int, int]) -> None:
    x0, y0, x1, y1 = box
    REGIONS[name] = (int(x0), int(y0), int(x1 - x0), int(y1 - y0), *size)


def regions() -> dict[str, list[int]]:
    """The marked rectangles in percent of their picture, rounded outwards, for the YAML."""
    if not REGIONS:
        with tempfile.TemporaryDirectory() as work:
            _platform(Path(work) / "a.png", chinese=False)
            _warrant()
            _call_frame(warrant=_warrant(), mouth_open=False, mark=True)
    out = {}
    for name, (x, y, w, h, width, height) in REGIONS.items():
        left, top = math.floor(100 * x / width), math.floor(100 * y / height)
        right = math.ceil(100 * (x + w) / width)
        bottom = math.ceil(100 * (y + h) / height)
        out[name] = [left, top, right - left, bottom - top]
    return out


def _centred(draw, xy, text, face, fill, *, anchor="mm"):
    draw.text(xy, text, font=face, fill=fill, anchor=anchor)


def _emblem(size: int, *, blur: float = 0.0) -> Image.Image:
    """A made-up emblem: a ring of dots around a shield with a key. Resembles no real one."""
    scale = 4
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((0, 0, big - 1, big - 1), fill="#c9a227")
    draw.ellipse((big * 0.08, big * 0.08, big * 0.92, big * 0.92), fill="#24539c")
    for n in range(12):
        angle = 2 * math.pi * n / 12
        cx, cy = big / 2 + big * 0.38 * math.cos(angle), big / 2 + big * 0.38 * math.sin(angle)
        r = big * 0.03
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill="#f2e6b0")
    shield = [
        (big * 0.32, big * 0.28),
        (big * 0.68, big * 0.28),
        (big * 0.68, big * 0.52),
        (big * 0.5, big * 0.74),
        (big * 0.32, big * 0.52),
    ]
    draw.polygon(shield, fill="#f2e6b0")
    draw.ellipse(
        (big * 0.44, big * 0.34, big * 0.56, big * 0.46), outline="#8a1c1c", width=scale * 3
    )
    draw.rectangle((big * 0.485, big * 0.45, big * 0.515, big * 0.64), fill="#8a1c1c")
    draw.rectangle((big * 0.515, big * 0.56, big * 0.56, big * 0.59), fill="#8a1c1c")
    image = image.resize((size, size), Image.LANCZOS)
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    return image


def _stamp(size: int) -> Image.Image:
    """A made-up red seal, slightly transparent, as if pressed on the paper."""
    scale = 3
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    red = (200, 30, 30, 190)
    draw.ellipse((0, 0, big - 1, big - 1), outline=red, width=scale * 5)
    draw.ellipse((big * 0.1, big * 0.1, big * 0.9, big * 0.9), outline=red, width=scale * 2)
    draw.regular_polygon((big / 2, big / 2, big * 0.14), 5, fill=red, rotation=0)
    face = kit.font(int(big * 0.09), bold=True)
    draw.text((big / 2, big * 0.27), "SPECIAL CASES UNIT", font=face, fill=red, anchor="mm")
    draw.text((big / 2, big * 0.74), "SEAL FOR INVESTIGATION", font=face, fill=red, anchor="mm")
    return image.resize((size, size), Image.LANCZOS).rotate(-12, resample=Image.BICUBIC)


def _warrant() -> Image.Image:
    """The fake "arrest warrant" (600 x 800) sent on WhatsApp and held up on the video call."""
    width, height = 600, 800
    image, draw = kit.canvas(width, height, "#f6f1e3")
    draw.rectangle((14, 14, width - 15, height - 15), outline="#8a1c1c", width=3)
    draw.rectangle((22, 22, width - 23, height - 23), outline="#8a1c1c", width=1)
    ink, red = "#1d1d1d", "#8a1c1c"

    emblem = _emblem(84, blur=1.6)  # pasted from somewhere, blurry
    image.paste(emblem, (width // 2 - 42, 44), emblem)
    _mark("warrant-emblem", (width / 2 - 46, 40, width / 2 + 46, 132), (width, height))

    _centred(draw, (width / 2, 152), "SHANGHAI MUNICIPAL", kit.font(21, bold=True), red)
    _centred(draw, (width / 2, 180), "PUBLIC SECURTY BUREAU", kit.font(21, bold=True), red)
    _mark("warrant-misspelt", (150, 166, 450, 194), (width, height))
    _centred(draw, (width / 2, 214), "Economic Crime Investigation Division", kit.font(15), ink)
    draw.line((60, 236, width - 60, 236), fill=red, width=2)
    _centred(draw, (width / 2, 274), "ARREST WARRANT", kit.font(36, bold=True), ink)
    _centred(draw, (width / 2, 310), "No. SH-2026-1127-0415", kit.font(16), ink)
    _mark("warrant-number", (190, 298, 410, 322), (width, height))

    body = kit.font(16)
    bold = kit.font(16, bold=True)
    rows = [
        ("Suspect:", "CHAN TAI MAN"),
        ("HKID:", "A123***(*)"),
        ("Offence:", "Money laundering (HK$3,800,000),"),
        ("", "identity fraud"),
        ("Issued:", "27 November 2026"),
    ]
    y = 346
    for label, value in rows:
        draw.text((60, y), label, font=bold, fill=ink)
        draw.text((160, y), value, font=body, fill=ink)
        y += 26
    _mark("warrant-date", (56, 346 + 4 * 26 - 2, 340, 346 + 5 * 26 - 4), (width, height))

    y = 486
    for text in [
        "The suspect must cooperate with the investigation by",
        "telephone and video call. Failure to cooperate within",
        "24 hours will result in immediate arrest and detention.",
    ]:
        draw.text((60, y), text, font=body, fill=ink)
        y += 23
    _mark("warrant-deadline", (56, 480, 544, 552), (width, height))

    box = (52, 556, width - 52, 656)
    draw.rectangle(box, outline=red, width=2, fill="#fbf7ec")
    draw.text((66, 564), "BAIL / ASSET VERIFICATION ACCOUNT", font=bold, fill=red)
    draw.text((66, 588), "Account name:  LIU JIAN", font=body, fill=ink)
    draw.text((66, 610), "Bank:  Harbour Union Bank", font=body, fill=ink)
    draw.text((66, 632), "Account no.:  018-552-40917-3", font=body, fill=ink)
    _mark("warrant-account", box, (width, height))

    for y, text in [
        (676, "STRICTLY CONFIDENTIAL: telling family,"),
        (698, "friends or bank staff about this case"),
        (720, "is a criminal offence."),
    ]:
        draw.text((60, y), text, font=bold, fill=red)
    _mark("warrant-secret", (56, 672, 420, 742), (width, height))

    draw.line((420, 748, 540, 738), fill="#2a3f8f", width=2)  # a scrawled signature
    draw.text((420, 754), "Director: Wang Jun", font=kit.font(14), fill=ink)
    seal = _stamp(120)
    image.paste(seal, (434, 650), seal)
    return image


def _platform(path: Path, *, chinese: bool) -> Path:
    """The task platform's member page (400 x 760): a negative balance and a locked withdraw."""
    width, height = 400, 760
    image, draw = kit.canvas(width, height, "#f3f1f8")
    cjk = chinese

    def face(size, bold=False):
        return kit.font(size, bold=bold, cjk=cjk)

    t = {
        "brand": "BrightPeak" if not chinese else "BrightPeak 光峰",
        "sub": "Task Centre" if not chinese else "任務中心",
        "member": "VIP2 member 88-10472" if not chinese else "VIP2 會員 88-10472",
        "balance": "Account balance" if not chinese else "帳戶結餘",
        "amount": "-HK$4,800.00",
        "commission": "Commission earned: HK$1,386.00"
        if not chinese
        else "已賺取佣金：HK$1,386.00",
        "tasks": "Today's tasks 28 / 30" if not chinese else "今日任務 28 / 30",
        "combo": "LUCKY COMBINATION ORDER" if not chinese else "幸運組合訂單",
        "combo2": "Hotel package x3 - commission x5" if not chinese else "酒店套票 x3 － 佣金 x5",
        "combo3": "Commission: HK$2,160.00" if not chinese else "佣金：HK$2,160.00",
        "timer": "Complete within  01:59:32" if not chinese else "請於 01:59:32 內完成",
        "topup": "Top up now" if not chinese else "立即充值",
        "withdraw": "Withdraw  (locked)" if not chinese else "提款（已鎖定）",
        "mentor": "Your mentor: Amy (Telegram)" if not chinese else "你的導師：Amy（Telegram）",
        "mentor2": "Ask her for today's receiving account"
        if not chinese
        else "向導師索取今日收款帳戶",
    }
    # Header with a polished logo.
    draw.rectangle((0, 0, width, 112), fill="#4b2a86")
    draw.regular_polygon((44, 66, 20), 5, rotation=0, fill="#ffcc33")
    draw.text((74, 44), t["brand"], font=face(24, True), fill="#ffffff")
    draw.text((76, 76), t["sub"], font=face(15), fill="#e3d6ff")
    _mark("platform-logo", (18, 38, 240, 100), (width, height))
    draw.rounded_rectangle((270, 58, 388, 82), 12, fill="#ffcc33")
    _centred(draw, (329, 70), "VIP2", face(14, True), "#4b2a86")

    draw.text((20, 126), t["member"], font=face(14), fill="#555555")

    card = (16, 152, width - 16, 300)
    draw.rounded_rectangle(card, 14, fill="#ffffff", outline="#ddd6ea")
    draw.text((34, 168), t["balance"], font=face(16), fill="#555555")
    draw.text((34, 194), t["amount"], font=kit.font(38, bold=True), fill="#d11f1f")
    _mark("platform-balance", (28, 188, 330, 246), (width, height))
    draw.text((34, 258), t["commission"], font=face(15), fill="#1f7a3a")

    draw.text((20, 318), t["tasks"], font=face(15, True), fill="#333333")
    draw.rounded_rectangle((20, 344, width - 20, 358), 7, fill="#ddd6ea")
    draw.rounded_rectangle((20, 344, 20 + int((width - 40) * 28 / 30), 358), 7, fill="#7b4fd0")

    combo = (16, 378, width - 16, 530)
    draw.rounded_rectangle(combo, 14, fill="#fff4d6", outline="#f0b400", width=2)
    draw.text((32, 392), t["combo"], font=face(18, True), fill="#a15c00")
    draw.text((32, 424), t["combo2"], font=face(15), fill="#333333")
    draw.text((32, 450), t["combo3"], font=face(15, True), fill="#1f7a3a")
    draw.text((32, 484), t["timer"], font=face(17, True), fill="#d11f1f")
    _mark("platform-timer", (26, 478, 300, 512), (width, height))

    draw.rounded_rectangle((16, 550, width - 16, 600), 25, fill="#ff7a1a")
    _centred(draw, (width / 2, 575), t["topup"], face(19, True), "#ffffff")
    draw.rounded_rectangle((16, 612, width - 16, 662), 25, fill="#c9c6d1")
    _centred(draw, (width / 2, 637), t["withdraw"], face(19, True), "#6d6a75")
    _mark("platform-withdraw", (16, 612, width - 16, 662), (width, height))

    draw.rounded_rectangle((16, 680, width - 16, 744), 12, fill="#e8f1fb")
    draw.ellipse((28, 692, 68, 732), fill="#2a9df4")
    _centred(draw, (48, 712), "A", kit.font(20, bold=True), "#ffffff")
    draw.text((80, 692), t["mentor"], font=face(15, True), fill="#1b4f80")
    draw.text((80, 716), t["mentor2"], font=face(13), fill="#1b4f80")
    _mark("platform-mentor", (16, 680, width - 16, 744), (width, height))
    return kit.save_png(image, path, chinese=chinese)


# --------------------------------------------------------------------------------------------
# The video call

CALL_W, CALL_H = 432, 768


def _officer(image: Image.Image, *, mouth_open: bool) -> None:
    """A cartoon figure in a made-up uniform. Drawn, not a real person."""
    draw = ImageDraw.Draw(image)
    cx = CALL_W // 2
    skin, navy = "#e2b48c", "#1f2d4d"
    # Shoulders and uniform.
    draw.polygon(
        [
            (cx - 170, 768),
            (cx - 150, 520),
            (cx - 60, 478),
            (cx + 60, 478),
            (cx + 150, 520),
            (cx + 170, 768),
        ],
        fill=navy,
    )
    draw.polygon([(cx - 34, 478), (cx + 34, 478), (cx, 540)], fill="#cfe0f3")  # shirt
    draw.polygon(
        [(cx - 8, 490), (cx + 8, 490), (cx + 12, 580), (cx, 596), (cx - 12, 580)], fill="#101826"
    )
    for side in (-1, 1):  # epaulettes with made-up pips
        x = cx + side * 115
        draw.rectangle((x - 34, 500, x + 34, 518), fill="#2c3d63")
        draw.ellipse((x - 6, 503, x + 6, 515), fill="#c9a227")
    # Neck and head.
    draw.rectangle((cx - 26, 430, cx + 26, 490), fill="#d4a47c")
    draw.ellipse((cx - 78, 268, cx + 78, 450), fill=skin)
    draw.ellipse((cx - 88, 340, cx - 66, 384), fill=skin)  # ears
    draw.ellipse((cx + 66, 340, cx + 88, 384), fill=skin)
    # Cap with a made-up badge.
    draw.chord((cx - 84, 226, cx + 84, 330), 180, 360, fill=navy)
    draw.rectangle((cx - 84, 276, cx + 84, 306), fill=navy)
    draw.rectangle((cx - 84, 298, cx + 84, 306), fill="#101826")
    draw.pieslice((cx - 96, 292, cx + 96, 330), 0, 180, fill="#101826")  # peak
    badge = _emblem(34)
    image.paste(badge, (cx - 17, 252), badge)
    # Face.
    for side in (-1, 1):
        ex = cx + side * 30
        draw.line((ex - 14, 338 - 2 * side, ex + 14, 338 + 2 * side), fill="#3a2a1e", width=4)
        draw.ellipse((ex - 7, 352, ex + 7, 366), fill="#2a1d14")
    draw.line((cx, 362, cx - 6, 396), fill="#b88963", width=3)
    draw.line((cx - 6, 396, cx + 6, 396), fill="#b88963", width=3)
    if mouth_open:
        draw.ellipse((cx - 20, 410, cx + 20, 430), fill="#7a2e2e")
    else:
        draw.line((cx - 22, 418, cx + 22, 418), fill="#7a2e2e", width=4)


def _call_frame(
    *, warrant: Image.Image | None, mouth_open: bool, mark: bool = False
) -> Image.Image:
    image, draw = kit.canvas(CALL_W, CALL_H, "#c7d3de")
    # The "office": a wall, a made-up emblem and a filing cabinet.
    draw.rectangle((0, 0, CALL_W, 600), fill="#cdd8e2")
    draw.rectangle((0, 600, CALL_W, CALL_H), fill="#9fb0bf")
    emblem = _emblem(96)
    image.paste(emblem, (16, 150), emblem)
    if mark:
        _mark("call-office", (12, 146, 116, 250), (CALL_W, CALL_H))
    draw.rectangle((CALL_W - 70, 300, CALL_W - 10, 600), fill="#8794a3")
    for y in (330, 420, 510):
        draw.rectangle((CALL_W - 52, y, CALL_W - 28, y + 8), fill="#5c6775")
    _officer(image, mouth_open=mouth_open)
    if warrant is not None:
        held = warrant.resize((210, 280), Image.LANCZOS).rotate(4, expand=True, fillcolor="#1f2d4d")
        x, y = CALL_W // 2 - held.width // 2, 470
        image.paste(held, (x, y))
        for hx in (x - 6, x + held.width - 30):  # fingers over the edges
            draw.rounded_rectangle((hx, y + 120, hx + 36, y + 170), 14, fill="#e2b48c")
        if mark:
            _mark("call-warrant", (x - 6, y, x + held.width + 6, CALL_H), (CALL_W, CALL_H))
    # Messaging-app call chrome: caller name, number and timer on top.
    draw.rectangle((0, 36, CALL_W, 124), fill="#0b3d2e")
    draw.text(
        (CALL_W / 2, 62),
        "Officer Zhang - Shanghai PSB",
        font=kit.font(19, bold=True),
        fill="#ffffff",
        anchor="mm",
    )
    draw.text(
        (CALL_W / 2, 92),
        "+86 171 6082 5510  -  video call  04:12",
        font=kit.font(13),
        fill="#c8e6da",
        anchor="mm",
    )
    if mark:
        _mark("call-app", (0, 36, CALL_W, 124), (CALL_W, CALL_H))
    # Your own picture, small, top-right (a grey silhouette).
    top = 136
    draw.rounded_rectangle((CALL_W - 104, top, CALL_W - 14, top + 130), 10, fill="#55606b")
    draw.ellipse((CALL_W - 78, top + 20, CALL_W - 40, top + 58), fill="#8f9aa5")
    draw.pieslice((CALL_W - 96, top + 64, CALL_W - 22, top + 136), 180, 360, fill="#8f9aa5")
    draw.text((CALL_W - 59, top + 118), "You", font=kit.font(11), fill="#ffffff", anchor="mm")
    # Buttons.
    for x, colour in (
        (CALL_W / 2 - 110, "#3c4650"),
        (CALL_W / 2, "#e0352b"),
        (CALL_W / 2 + 110, "#3c4650"),
    ):
        draw.ellipse((x - 28, CALL_H - 86, x + 28, CALL_H - 30), fill=colour)
    draw.line((CALL_W / 2 - 14, CALL_H - 58, CALL_W / 2 + 14, CALL_H - 58), fill="#ffffff", width=6)
    return image


def _video_call(media_dir: Path, warrant: Image.Image) -> None:
    step = 0.5
    frames = []
    for n in range(int(VIDEO_SECONDS / step)):
        t = n * step
        speaking = any(line.at <= t < line.at + 6.0 for line in VIDEO_CALL)
        shown = any(a <= t < b for a, b in WARRANT_SHOWN)
        frames.append(
            _call_frame(warrant=warrant if shown else None, mouth_open=speaking and n % 2 == 1)
        )
    with tempfile.TemporaryDirectory() as work:
        audio = _track(VIDEO_CALL, Path(work) / "voice.ogg", phone=False, until=VIDEO_SECONDS)
        kit.frames_to_video(
            frames,
            media_dir / "official-impersonation-video-call.webm",
            seconds_per_frame=step,
            audio=audio,
        )
    kit.save_png(
        _call_frame(warrant=warrant, mouth_open=False),
        media_dir / "official-impersonation-video-call.png",
    )


def make(media_dir: Path) -> None:
    media_dir.mkdir(parents=True, exist_ok=True)
    _platform(media_dir / "task-scam-platform.png", chinese=False)
    _platform(media_dir / "task-scam-platform.zh-hant.png", chinese=True)
    warrant = _warrant()
    kit.save_png(warrant.copy(), media_dir / "official-impersonation-warrant.png")
    _track(ROBOCALL, media_dir / "official-impersonation-robocall.ogg", phone=True)
    _track(REAL_POLICE, media_dir / "official-impersonation-real-police.ogg", phone=True)
    _video_call(media_dir, warrant)
