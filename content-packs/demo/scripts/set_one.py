"""Media of the modules voice-clone, deepfake-cfo, celebrity-investment and bank-smishing.

Call and video sound tracks are spoken from the transcripts in the examples' YAML files, each
line starting at its `at` time, so the transcript shown to learners and the audio always agree.
Pictures are drawn with Pillow; nothing here depicts a real person, brand or logo.
"""

import math
import tempfile
import wave
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFilter

from . import kit

PACK = Path(__file__).resolve().parent.parent
RATE = 16000

# Speaker name in a transcript -> (espeak-ng voice, speed, pitch)
VOICES = {
    # voice-clone, English: the clone and the real Jason share one voice, as they would.
    "Caller": ("en-gb+m3", 165, 48),
    "Jason": ("en-gb+m3", 165, 48),
    "You": ("en-gb+f3", 140, 62),
    # voice-clone, Cantonese
    "來電者": ("yue", 160, 48),
    "阿俊": ("yue", 160, 48),
    "你": ("yue+f3", 140, 66),
    # deepfake-cfo
    "Martin Kerr": ("en-gb-x-rp", 158, 36),
    "Grace Lau": ("en-gb+f2", 160, 58),
    "Tom Ridley": ("en-us+m1", 160, 42),
}
# In the video meeting the learner ("You") speaks with a different voice from the grandmother.
MEETING_YOU = ("en-gb+m4", 165, 50)

# Written forms a speech synthesiser would misread, and how to say them, per language.
SAY = {
    "en": {"HK$80,000": "eighty thousand dollars", "HK$300": "three hundred dollars"},
    "zh-hant": {"HK$80,000": "八萬蚊", "HK$300": "三百蚊"},
}


def make(media_dir: Path) -> None:
    media_dir.mkdir(parents=True, exist_ok=True)
    for slug in ("voice-clone-grandson-accident", "voice-clone-grandson-real-call"):
        for language, suffix in (("en", ""), ("zh-hant", ".zh-hant")):
            transcript = _transcript(slug, language)
            _compose(
                transcript,
                media_dir / f"{slug}{suffix}.ogg",
                voices=VOICES,
                phone=True,
                language=language,
            )
    _meeting(media_dir)
    _celebrity_ad(media_dir / "celebrity-investment-deepfake-ad.png")
    _celebrity_real_post(media_dir / "celebrity-investment-real-post.png")
    _dashboard(media_dir / "celebrity-investment-fake-dashboard.png")


# --------------------------------------------------------------------------------------------
# Sound


def _transcript(slug: str, language: str) -> list[dict]:
    data = yaml.safe_load((PACK / "examples" / f"{slug}.{language}.yaml").read_text("utf-8"))
    return data["body"]["transcript"]


def _spoken(text: str, language: str) -> str:
    for written, said in SAY[language].items():
        text = text.replace(written, said)
    return text


def _line_samples(text: str, voice: tuple[str, int, int], work: Path, language: str) -> bytes:
    name, speed, pitch = voice
    path = work / "line.wav"
    kit.speak(_spoken(text, language), path, voice=name, speed=speed, pitch=pitch)
    with wave.open(str(path)) as sound:
        assert sound.getframerate() == RATE and sound.getsampwidth() == 2
        return sound.readframes(sound.getnframes())


def _compose(
    transcript: list[dict],
    out: Path,
    *,
    voices: dict,
    phone: bool,
    language: str = "en",
    tail: float = 1.0,
) -> float:
    """Speak each line at its `at` time into one mono track; returns its length in seconds.

    Fails if a line would still be playing when the next one starts, so that the timings in the
    YAML stay true."""
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        track = bytearray()
        for number, line in enumerate(transcript):
            start = int(line["at"] * RATE) * 2
            if len(track) > start:
                raise ValueError(
                    f"line {number} ({line['text'][:30]}…) starts at {line['at']} s but the "
                    f"previous line ends at {len(track) / 2 / RATE:.2f} s"
                )
            track.extend(b"\0" * (start - len(track)))
            track.extend(_line_samples(line["text"], voices[line["speaker"]], work, language))
        track.extend(b"\0" * int(tail * RATE) * 2)
        raw = work / "track.wav"
        with wave.open(str(raw), "wb") as sound:
            sound.setnchannels(1)
            sound.setsampwidth(2)
            sound.setframerate(RATE)
            sound.writeframes(bytes(track))
        filters = ["-af", "highpass=f=300,lowpass=f=3400,volume=1.6"] if phone else []
        codec = ["-c:a", "libopus", "-b:a", "24k"] if out.suffix == ".ogg" else []
        kit._ffmpeg(
            "-i",
            str(raw),
            *filters,
            "-ac",
            "1",
            "-ar",
            str(RATE),
            *codec,
            *kit._metadata(),
            # the same input gives the same bytes, so reloading the pack changes nothing
            "-fflags",
            "+bitexact",
            "-flags:a",
            "+bitexact",
            str(out),
        )
    return len(track) / 2 / RATE


def timings(slug: str, language: str = "en") -> None:
    """Print when each line of an example would end (a help for writing the `at` times)."""
    voices = {**VOICES, "You": MEETING_YOU} if slug.startswith("deepfake-cfo") else VOICES
    with tempfile.TemporaryDirectory() as work:
        for line in _transcript(slug, language):
            samples = _line_samples(line["text"], voices[line["speaker"]], Path(work), language)
            start, length = line["at"], len(samples) / 2 / RATE
            print(f"{start:6.1f} +{length:5.2f} = {start + length:6.2f}  {line['text'][:50]}")


# --------------------------------------------------------------------------------------------
# Drawing: everything is drawn at twice the size and scaled down, for smooth edges.

K = 2


def _k(*values: float) -> tuple[int, ...]:
    return tuple(round(v * K) for v in values)


def _finish(image: Image.Image) -> Image.Image:
    return image.resize((image.width // K, image.height // K), Image.LANCZOS)


def _text(draw, xy, text, size, fill, *, bold=False, anchor="la", cjk=False):
    draw.text(_k(*xy), text, font=kit.font(size * K, bold=bold, cjk=cjk), fill=fill, anchor=anchor)


def _person(
    image: Image.Image,
    cx: float,
    cy: float,
    s: float,
    *,
    skin: str,
    hair: str,
    suit: str,
    shirt: str = "#f4f4f4",
    tie: str | None = None,
    long_hair: bool = False,
    glasses: bool = False,
    mouth_open: float = 0.0,
    blur_mouth: bool = False,
    lit_from: str | None = None,
    halo: bool = False,
) -> tuple[float, float, float, float]:
    """A stylised head and shoulders; (cx, cy) is the centre of the face. Returns the mouth box."""
    draw = ImageDraw.Draw(image)
    head = (cx - 38 * s, cy - 48 * s, cx + 38 * s, cy + 48 * s)
    if long_hair:
        draw.rounded_rectangle(
            _k(cx - 50 * s, cy - 58 * s, cx + 50 * s, cy + 70 * s), radius=40 * s * K, fill=hair
        )
    # shoulders and body
    draw.ellipse(_k(cx - 95 * s, cy + 62 * s, cx + 95 * s, cy + 230 * s), fill=suit)
    draw.polygon(
        _k(cx - 22 * s, cy + 60 * s, cx + 22 * s, cy + 60 * s, cx, cy + 110 * s), fill=shirt
    )
    if tie:
        draw.polygon(
            _k(
                cx - 7 * s,
                cy + 66 * s,
                cx + 7 * s,
                cy + 66 * s,
                cx + 10 * s,
                cy + 112 * s,
                cx,
                cy + 122 * s,
                cx - 10 * s,
                cy + 112 * s,
            ),
            fill=tie,
        )
    draw.rectangle(_k(cx - 15 * s, cy + 30 * s, cx + 15 * s, cy + 64 * s), fill=_shade(skin, 0.85))
    # ears, face
    for side in (-1, 1):
        draw.ellipse(
            _k(cx + side * 38 * s - 8 * s, cy - 10 * s, cx + side * 38 * s + 8 * s, cy + 14 * s),
            fill=_shade(skin, 0.93),
        )
    draw.ellipse(_k(*head), fill=skin)
    if halo:  # a face-swap seam: a lighter rim around the jaw that does not match the neck
        draw.arc(
            _k(cx - 39 * s, cy - 46 * s, cx + 39 * s, cy + 50 * s),
            20,
            160,
            fill=_shade(skin, 1.18),
            width=max(1, round(3 * s * K)),
        )
    # hair
    if long_hair:
        draw.chord(_k(cx - 40 * s, cy - 54 * s, cx + 40 * s, cy + 6 * s), 180, 360, fill=hair)
        draw.polygon(
            _k(cx - 40 * s, cy - 24 * s, cx - 5 * s, cy - 40 * s, cx - 36 * s, cy + 10 * s),
            fill=hair,
        )
    else:
        draw.chord(_k(cx - 40 * s, cy - 56 * s, cx + 40 * s, cy - 4 * s), 180, 360, fill=hair)
        draw.rectangle(_k(cx - 40 * s, cy - 30 * s, cx - 33 * s, cy - 4 * s), fill=hair)
        draw.rectangle(_k(cx + 33 * s, cy - 30 * s, cx + 40 * s, cy - 4 * s), fill=hair)
    # eyes, brows, nose
    for side in (-1, 1):
        ex = cx + side * 15 * s
        draw.ellipse(_k(ex - 6 * s, cy - 6 * s, ex + 6 * s, cy + 2 * s), fill="#ffffff")
        draw.ellipse(_k(ex - 3 * s, cy - 5 * s, ex + 3 * s, cy + 1 * s), fill="#3a2a20")
        draw.line(
            _k(ex - 8 * s, cy - 14 * s, ex + 8 * s, cy - 15 * s),
            fill=_shade(hair, 0.9),
            width=max(1, round(3 * s * K)),
        )
        if glasses:
            draw.rounded_rectangle(
                _k(ex - 11 * s, cy - 11 * s, ex + 11 * s, cy + 7 * s),
                radius=4 * s * K,
                outline="#2b2b2b",
                width=max(1, round(2 * s * K)),
            )
    if glasses:
        draw.line(
            _k(cx - 4 * s, cy - 4 * s, cx + 4 * s, cy - 4 * s),
            fill="#2b2b2b",
            width=max(1, round(2 * s * K)),
        )
    draw.line(
        _k(cx, cy + 2 * s, cx - 4 * s, cy + 16 * s, cx + 3 * s, cy + 17 * s),
        fill=_shade(skin, 0.75),
        width=max(1, round(2 * s * K)),
    )
    # mouth
    mouth = (cx - 14 * s, cy + 22 * s, cx + 14 * s, cy + 36 * s)
    if mouth_open > 0:
        h = 3 * s + mouth_open * 9 * s
        draw.ellipse(
            _k(cx - 11 * s, cy + 28 * s - h / 2, cx + 11 * s, cy + 28 * s + h / 2), fill="#7a2630"
        )
        draw.rectangle(
            _k(cx - 8 * s, cy + 28 * s - h / 2, cx + 8 * s, cy + 28 * s - h / 2 + 2.5 * s),
            fill="#f4efe6",
        )
    else:
        draw.arc(
            _k(cx - 11 * s, cy + 20 * s, cx + 11 * s, cy + 32 * s),
            20,
            160,
            fill="#8a3a40",
            width=max(1, round(3 * s * K)),
        )
    if lit_from:  # light falling from one side: darken the other half of the face
        mask = Image.new("L", image.size, 0)
        mdraw = ImageDraw.Draw(mask)
        mdraw.ellipse(_k(*head), fill=150)
        if lit_from == "right":
            mdraw.rectangle(_k(cx - 6 * s, head[1] - 2, head[2] + 2, head[3] + 2), fill=0)
        else:
            mdraw.rectangle(_k(head[0] - 2, head[1] - 2, cx + 6 * s, head[3] + 2), fill=0)
        mask = mask.filter(ImageFilter.GaussianBlur(6 * s * K))
        image.paste(Image.new("RGB", image.size, "#1c1410"), (0, 0), mask)
    if blur_mouth:  # the face-swap artefact: a smeared, soft mouth on an otherwise sharp face
        box = _k(cx - 20 * s, cy + 16 * s, cx + 20 * s, cy + 42 * s)
        region = image.crop(box).filter(ImageFilter.GaussianBlur(4 * s * K))
        region = region.resize((region.width, max(1, region.height - round(3 * s * K)))).resize(
            region.size
        )
        image.paste(region, box[:2])
        mouth = (cx - 20 * s, cy + 16 * s, cx + 20 * s, cy + 42 * s)
    return mouth


def _shade(colour: str, factor: float) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{max(0, min(255, round(c * factor))):02x}" for c in (r, g, b))


def _pct(box: tuple[float, float, float, float], width: int, height: int) -> list[float]:
    x0, y0, x1, y1 = box
    return [
        round(100 * x0 / width, 1),
        round(100 * y0 / height, 1),
        round(100 * (x1 - x0) / width, 1),
        round(100 * (y1 - y0) / height, 1),
    ]


# --------------------------------------------------------------------------------------------
# deepfake-cfo: the video meeting

W, H = 800, 450
TILES = {  # final-pixel boxes of the four tiles
    "Martin Kerr": (10, 44, 396, 220),
    "Grace Lau": (404, 44, 790, 220),
    "Tom Ridley": (10, 226, 396, 402),
    "You": (404, 226, 790, 402),
}
PLATES = {
    "Martin Kerr": "Martin Kerr · CFO, London",
    "Grace Lau": "Grace Lau · Financial Controller",
    "Tom Ridley": "Tom Ridley · External Counsel",
    "You": "Alex Wong (you)",
}
TITLE = "Project Falcon · confidential"


def _tile_scene(draw, name: str, box) -> None:
    x0, y0, x1, y1 = box
    if name == "Martin Kerr":  # a London office: panelled wall, bookshelf
        draw.rectangle(_k(*box), fill="#5b4a3c")
        for i in range(6):
            draw.rectangle(
                _k(x0 + 20 + i * 16, y0 + 20, x0 + 32 + i * 16, y0 + 70),
                fill=("#8c2f2f", "#2f5d8c", "#c9a227", "#3d6b3d", "#6b3d6b", "#9a6a3a")[i],
            )
        draw.rectangle(_k(x0 + 14, y0 + 70, x0 + 118, y0 + 76), fill="#3b2e24")
        draw.rectangle(
            _k(x1 - 90, y0 + 24, x1 - 30, y0 + 84), fill="#d9cdb4", outline="#3b2e24", width=6
        )
    elif name == "Grace Lau":  # open-plan office, soft daylight
        draw.rectangle(_k(*box), fill="#dfe6ea")
        draw.rectangle(_k(x0, y1 - 50, x1, y1), fill="#c4ced4")
        for i in range(4):
            draw.rectangle(
                _k(x0 + 250 + i * 30, y0 + 30, x0 + 270 + i * 30, y1 - 50), fill="#eef2f4"
            )
        draw.ellipse(_k(x0 + 30, y0 + 70, x0 + 90, y0 + 130), fill="#5f8f5a")
        draw.rectangle(_k(x0 + 52, y0 + 125, x0 + 68, y1 - 50), fill="#7a5a3a")
    elif name == "Tom Ridley":  # a bright window on HIS LEFT (the viewer's left)
        draw.rectangle(_k(*box), fill="#8d8778")
        draw.rectangle(_k(x0 + 16, y0 + 14, x0 + 120, y1 - 20), fill="#fbf6dc")
        draw.line(_k(x0 + 68, y0 + 14, x0 + 68, y1 - 20), fill="#8d8778", width=8)
        draw.line(_k(x0 + 16, y0 + 80, x0 + 120, y0 + 80), fill="#8d8778", width=8)
    else:  # you: Hong Kong office cubicle
        draw.rectangle(_k(*box), fill="#b9c4cf")
        draw.rectangle(_k(x0, y0, x1, y0 + 40), fill="#9fadbb")
        draw.rectangle(_k(x1 - 110, y0 + 60, x1 - 30, y0 + 120), fill="#2f3e4d")
        _text(draw, (x1 - 100, y0 + 70), "Q4", 16, "#9fdcff", bold=True)


def _meeting_frame(
    speaking: str | None, phase: int, *, ended: bool = False
) -> tuple[Image.Image, dict]:
    image, draw = kit.canvas(W * K, H * K, "#1e2227")
    boxes: dict[str, tuple] = {}
    _text(draw, (330, 11), TITLE, 15, "#e8eaed", bold=True)
    boxes["title"] = (
        326,
        4,
        326 + draw.textlength(TITLE, font=kit.font(15 * K, bold=True)) / K + 8,
        34,
    )
    _text(draw, (790, 12), "15:02 · 4 participants", 13, "#9aa0a6", anchor="ra")
    if ended:
        _text(
            draw,
            (W / 2, 190),
            "The host has ended this meeting",
            24,
            "#ffffff",
            bold=True,
            anchor="mm",
        )
        _text(
            draw,
            (W / 2, 232),
            "Martin Kerr, Grace Lau and Tom Ridley have left.",
            15,
            "#bdc1c6",
            anchor="mm",
        )
        return _finish(image), boxes
    openness = (0.9, 0.4, 1.0, 0.6)[phase % 4]
    people = {
        "Martin Kerr": dict(
            skin="#e8c4a8",
            hair="#b9b4ad",
            suit="#2b3440",
            tie="#7b1e2b",
            blur_mouth=True,
            halo=True,
        ),
        "Grace Lau": dict(
            skin="#f0cfb4", hair="#1f1a17", suit="#46505e", shirt="#f7e9ea", long_hair=True
        ),
        "Tom Ridley": dict(
            skin="#e3b896", hair="#6b4b2f", suit="#1f2a38", tie="#2d5a88", lit_from="right"
        ),
        "You": dict(skin="#eac8a6", hair="#1b1714", suit="#5a6b7d", shirt="#ffffff", glasses=True),
    }
    for name, box in TILES.items():
        x0, y0, x1, y1 = box
        tile = Image.new("RGB", _k(x1, y1), "#000000")
        tdraw = ImageDraw.Draw(tile)
        _tile_scene(tdraw, name, box)
        cx, cy = (x0 + x1) / 2, y0 + 82
        mouth = _person(
            tile, cx, cy, 0.95, mouth_open=openness if speaking == name else 0.0, **people[name]
        )
        boxes[f"{name} mouth"] = mouth
        boxes[f"{name} face"] = (cx - 40, cy - 52, cx + 40, cy + 52)
        image.paste(tile.crop(_k(*box)), _k(x0, y0))
        plate = PLATES[name]
        width = draw.textlength(plate, font=kit.font(12 * K)) / K
        draw.rectangle(_k(x0 + 6, y1 - 26, x0 + 16 + width + 22, y1 - 6), fill="#000000")
        _text(draw, (x0 + 12, y1 - 23), "●", 11, "#34a853" if speaking == name else "#9aa0a6")
        _text(draw, (x0 + 26, y1 - 23), plate, 12, "#ffffff")
        if speaking == name:
            draw.rectangle(_k(*box), outline="#34a853", width=3 * K)
    # toolbar
    draw.rectangle(_k(0, 410, W, H), fill="#15181c")
    for i, label in enumerate(("Mute", "Stop video", "Share", "Participants (4)", "Chat")):
        _text(draw, (40 + i * 120, 430), label, 13, "#e8eaed", anchor="lm")
    draw.rounded_rectangle(_k(700, 418, 785, 442), radius=8 * K, fill="#d93025")
    _text(draw, (742, 430), "Leave", 13, "#ffffff", bold=True, anchor="mm")
    return _finish(image), boxes


def _meeting(media_dir: Path) -> None:
    slug = "deepfake-cfo-video-meeting"
    transcript = _transcript(slug, "en")
    voices = {**VOICES, "You": MEETING_YOU}
    step = 0.5
    with tempfile.TemporaryDirectory() as work:
        sound = Path(work) / "meeting.wav"
        spans, total = (
            _spans(transcript, voices),
            _compose(transcript, sound, voices=voices, phone=False, tail=3.0),
        )
        last_end = max(end for _, end, _ in spans)
        frames = []
        for number in range(math.ceil(total / step)):
            t = number * step
            speaking = next((who for start, end, who in spans if start <= t < end), None)
            frames.append(_meeting_frame(speaking, number, ended=t >= last_end + 0.5)[0])
        kit.frames_to_video(frames, media_dir / f"{slug}.webm", seconds_per_frame=step, audio=sound)
    poster, _ = _meeting_frame("Martin Kerr", 0)
    kit.save_png(poster, media_dir / f"{slug}-poster.png")


def _spans(transcript: list[dict], voices: dict) -> list[tuple[float, float, str]]:
    spans = []
    with tempfile.TemporaryDirectory() as work:
        for line in transcript:
            samples = _line_samples(line["text"], voices[line["speaker"]], Path(work), "en")
            spans.append((line["at"], line["at"] + len(samples) / 2 / RATE, line["speaker"]))
    return spans


# --------------------------------------------------------------------------------------------
# celebrity-investment: the deepfake advert, the genuine broadcaster's post, the fake dashboard

LORNE = dict(skin="#e2b48f", hair="#d9d6d0", suit="#1d2b4a", tie="#a3192b")


def _studio(draw, width: float, height: float, top: str, bottom: str) -> None:
    for y in range(0, round(height * K), 4):
        mix = y / (height * K)
        colour = tuple(
            round(a + (b - a) * mix) for a, b in zip(_rgb(top), _rgb(bottom), strict=True)
        )
        draw.rectangle((0, y, round(width * K), y + 4), fill=colour)


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def _celebrity_ad(out: Path) -> dict:
    width, height = 800, 800
    image, draw = kit.canvas(width * K, height * K)
    _studio(draw, width, 700, "#0c2340", "#1f5685")
    for i, (x, h) in enumerate(
        ((40, 180), (110, 260), (170, 210), (560, 240), (630, 300), (700, 200), (760, 260))
    ):
        draw.rectangle(_k(x, 520 - h, x + 50, 520), fill="#163a5f")
        for row in range(int(h / 24)):
            draw.rectangle(
                _k(x + 10, 520 - h + 12 + row * 24, x + 18, 520 - h + 20 + row * 24),
                fill="#e9c46a" if (row + i) % 3 else "#2d5f8a",
            )
    boxes = {}
    boxes["mouth"] = _person(image, 400, 300, 2.2, mouth_open=0.5, blur_mouth=True, **LORNE)
    draw = ImageDraw.Draw(image)
    draw.polygon(_k(90, 560, 710, 560, 760, 640, 40, 640), fill="#0a1628")
    # the channel bug the scammers copied
    draw.rounded_rectangle(_k(640, 50, 770, 90), radius=6 * K, fill="#c8102e")
    _text(draw, (705, 70), "HKN 24 · LIVE", 15, "#ffffff", bold=True, anchor="mm")
    # a fake seal of approval
    draw.rounded_rectangle(
        _k(24, 52, 330, 122), radius=14 * K, fill="#1e8e3e", outline="#ffffff", width=2 * K
    )
    draw.ellipse(_k(34, 62, 84, 112), fill="#ffffff")
    _text(draw, (59, 87), "✓", 32, "#1e8e3e", bold=True, anchor="mm")
    _text(draw, (96, 64), "REGULATOR APPROVED", 17, "#ffffff", bold=True)
    _text(draw, (96, 90), "100% guaranteed returns", 15, "#e6f4ea")
    boxes["seal"] = (24, 52, 330, 122)
    # play button
    draw.ellipse(_k(560, 380, 640, 460), fill="#ffffff")
    draw.polygon(_k(588, 398, 588, 442, 624, 420), fill="#0c2340")
    # lower third
    draw.rectangle(_k(0, 590, 150, 628), fill="#c8102e")
    _text(draw, (75, 609), "BREAKING", 18, "#ffffff", bold=True, anchor="mm")
    draw.rectangle(_k(0, 628, width, 700), fill="#ffffff")
    _text(draw, (20, 636), "VICTOR LORNE: “MY AI EARNS ME", 24, "#0c2340", bold=True)
    _text(draw, (20, 666), "HK$38,000 A MONTH. YOU CAN'T LOSE.”", 24, "#0c2340", bold=True)
    boxes["headline"] = (0, 628, width, 700)
    # the advert's call to action
    draw.rectangle(_k(0, 700, width, height), fill="#f0f2f5")
    _text(draw, (20, 716), "QUANTEDGE-AI.TOP", 13, "#65676b")
    _text(draw, (20, 738), "QuantEdge AI: start with HK$2,000", 20, "#050505", bold=True)
    _text(draw, (20, 768), "Only 27 places left today", 14, "#65676b")
    draw.rounded_rectangle(_k(640, 730, 780, 772), radius=8 * K, fill="#d8dadf")
    _text(draw, (710, 751), "Learn more", 16, "#050505", bold=True, anchor="mm")
    kit.save_png(_finish(image), out)
    return boxes


def _celebrity_real_post(out: Path) -> dict:
    width, height = 800, 450
    image, draw = kit.canvas(width * K, height * K)
    _studio(draw, width, height, "#2b2440", "#4a3b6b")
    for i in range(9):  # studio light panels
        draw.rounded_rectangle(_k(30 + i * 86, 60, 90 + i * 86, 200), radius=6 * K, fill="#5d4d86")
    _person(
        image,
        220,
        200,
        1.1,
        skin="#f1cfb0",
        hair="#3a2418",
        suit="#8c2f4a",
        shirt="#f6e7e9",
        long_hair=True,
    )
    _person(image, 580, 195, 1.1, **LORNE)
    draw = ImageDraw.Draw(image)
    draw.rectangle(_k(0, 300, width, height), fill="#3a2f57")
    draw.ellipse(_k(250, 280, 550, 340), fill="#d9c9a8")
    for x in (330, 460):
        draw.rounded_rectangle(_k(x, 286, x + 22, 312), radius=4 * K, fill="#ffffff")
    draw.rounded_rectangle(_k(676, 46, 772, 84), radius=6 * K, fill="#c8102e")
    _text(draw, (724, 65), "HKN", 18, "#ffffff", bold=True, anchor="mm")
    draw.rectangle(_k(0, 352, 240, 384), fill="#c8102e")
    _text(draw, (16, 368), "MONEY MATTERS", 16, "#ffffff", bold=True, anchor="lm")
    draw.rectangle(_k(0, 384, width, 436), fill="#ffffff")
    _text(
        draw, (16, 391), "VICTOR LORNE · Chairman, Lorne Harbour Shipping", 19, "#2b2440", bold=True
    )
    _text(
        draw,
        (16, 414),
        "“There is no such thing as a guaranteed return.”  Tonight 8 pm",
        15,
        "#4a4a4a",
    )
    kit.save_png(_finish(image), out)
    return {}


def _dashboard(out: Path) -> dict:
    width, height = 600, 1000
    image, draw = kit.canvas(width * K, height * K, "#0f1420")
    boxes = {}
    _text(draw, (560, 12), "10:41  ▮▮▮  92%", 14, "#c9d1d9", anchor="ra")
    # header
    draw.regular_polygon((_k(52)[0], _k(80)[0], 22 * K), 6, fill="#f2b705")
    _text(draw, (52, 80), "Q", 22, "#0f1420", bold=True, anchor="mm")
    _text(draw, (86, 66), "QuantEdge AI", 24, "#ffffff", bold=True)
    draw.rounded_rectangle(_k(470, 64, 560, 96), radius=14 * K, fill="#f2b705")
    _text(draw, (515, 80), "VIP 3", 15, "#0f1420", bold=True, anchor="mm")
    boxes["header"] = (24, 52, 570, 110)
    # balance card
    draw.rounded_rectangle(_k(24, 124, 576, 330), radius=18 * K, fill="#1b2333")
    _text(draw, (48, 146), "Total assets (HKD)", 16, "#8b98a9")
    _text(draw, (48, 176), "96,420.50", 46, "#ffffff", bold=True)
    _text(draw, (48, 244), "▲ +382.1% in 14 days", 24, "#2ecc71", bold=True)
    _text(draw, (48, 288), "Deposited: HK$20,000 · AI win rate 100%", 15, "#8b98a9")
    boxes["profit"] = (40, 238, 420, 320)
    # a chart that only ever goes up
    draw.rounded_rectangle(_k(24, 346, 576, 560), radius=18 * K, fill="#1b2333")
    points = [(48 + i * 25, 530 - 160 * (i / 20) ** 1.6 - 6 * math.sin(i)) for i in range(21)]
    draw.polygon(_k(*sum(points, ()), 548, 540, 48, 540), fill="#17402f")
    draw.line(_k(*sum(points, ())), fill="#2ecc71", width=4 * K, joint="curve")
    _text(draw, (48, 360), "Portfolio value", 15, "#8b98a9")
    # the withdrawal sheet
    draw.rectangle(_k(0, 580, width, height), fill="#000000")
    draw.rounded_rectangle(_k(0, 600, width, height + 30), radius=24 * K, fill="#ffffff")
    _text(draw, (300, 630), "Withdrawal on hold", 26, "#111111", bold=True, anchor="mm")
    lines = (
        "To release HK$96,420.50 you must first",
        "pay 20% capital gains tax: HK$19,284.10",
        "within 24 hours, or the account is frozen.",
    )
    for number, line in enumerate(lines):
        _text(
            draw,
            (36, 668 + number * 30),
            line,
            19,
            "#b3261e" if number == 1 else "#333333",
            bold=number == 1,
        )
    boxes["tax"] = (28, 660, 572, 760)
    draw.rounded_rectangle(_k(28, 774, 572, 852), radius=12 * K, fill="#f3f4f6")
    _text(draw, (44, 784), "Pay by FPS to:", 15, "#6b7280")
    _text(draw, (44, 810), "CHAN T** M**  ·  FPS ID 1093 8842", 20, "#111111", bold=True)
    boxes["payee"] = (28, 774, 572, 852)
    draw.rounded_rectangle(_k(28, 870, 572, 926), radius=28 * K, fill="#f2b705")
    _text(draw, (300, 898), "Pay tax now", 21, "#111111", bold=True, anchor="mm")
    _text(
        draw,
        (300, 950),
        "Questions? WhatsApp your account manager, Chloe",
        14,
        "#6b7280",
        anchor="mm",
    )
    kit.save_png(_finish(image), out)
    return boxes


def regions(media_dir: Path) -> None:
    """Print the boxes behind the region red flags, in percent, as the YAML files use them."""
    _, boxes = _meeting_frame("Martin Kerr", 0)
    for name, box in boxes.items():
        print("deepfake-cfo-video-meeting-poster", name, _pct(box, W, H))
    for name, box in _celebrity_ad(media_dir / "celebrity-investment-deepfake-ad.png").items():
        print("celebrity-investment-deepfake-ad", name, _pct(box, 800, 800))
    for name, box in _dashboard(media_dir / "celebrity-investment-fake-dashboard.png").items():
        print("celebrity-investment-fake-dashboard", name, _pct(box, 600, 1000))
