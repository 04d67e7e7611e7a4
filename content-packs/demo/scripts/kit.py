"""Drawing and sound helpers shared by the demo pack's media scripts.

Everything is made here, from code: pictures with Pillow, voices with espeak-ng, video with
ffmpeg. Each output carries a visible "AI-generated simulation" label and the same statement
in its metadata, as the platform promises for every synthetic medium.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

LABEL = "AI-generated simulation"
LABEL_ZH = "AI 生成的模擬"
STATEMENT = "AI-generated simulation made for scam-awareness training. Not a real person or event."
SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
SANS_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def font(size: int, *, bold: bool = False, cjk: bool = False) -> ImageFont.FreeTypeFont:
    """A TrueType font; the CJK face (index 2 is Traditional Chinese) also covers Latin."""
    if cjk and Path(CJK).exists():
        return ImageFont.truetype(CJK, size, index=2)
    return ImageFont.truetype(SANS_BOLD if bold else SANS, size)


def canvas(
    width: int, height: int, colour: str = "#ffffff"
) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (width, height), colour)
    return image, ImageDraw.Draw(image)


def stamp_label(image: Image.Image, *, chinese: bool = False) -> Image.Image:
    """Draw the visible simulation label in the top-left corner, on a dark band."""
    draw = ImageDraw.Draw(image)
    text = f"{LABEL} · {LABEL_ZH}" if chinese else LABEL
    size = max(12, image.width // 40)
    face = font(size, bold=True, cjk=chinese)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=face)
    pad = size // 2
    draw.rectangle((0, 0, right - left + 2 * pad, bottom - top + 2 * pad), fill="#1b1f24")
    draw.text((pad - left, pad - top), text, font=face, fill="#ffbf47")
    return image


def save_png(image: Image.Image, path: Path, *, chinese: bool = False) -> Path:
    """Save with the label drawn on and the same statement in the PNG text metadata."""
    stamp_label(image, chinese=chinese)
    info = PngInfo()
    info.add_text("Description", STATEMENT)
    info.add_text("Comment", LABEL)
    info.add_text("Software", "scam-awareness demo pack (Pillow)")
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "PNG", pnginfo=info, optimize=True)
    return path


def speak(
    text: str, path: Path, *, voice: str = "en-gb", speed: int = 165, pitch: int = 50
) -> Path:
    """Synthesise speech with espeak-ng to `path` (.ogg: small Opus; .wav: PCM), tagged."""
    if not shutil.which("espeak-ng"):
        raise RuntimeError("espeak-ng is not installed (apt-get install espeak-ng)")
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        raw = Path(work) / "raw.wav"
        subprocess.run(
            ["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-w", str(raw), text],
            check=True,
        )
        codec = ["-c:a", "libopus", "-b:a", "24k"] if path.suffix in {".ogg", ".opus"} else []
        _ffmpeg("-i", str(raw), "-ac", "1", "-ar", "16000", *codec, *_metadata(), str(path))
    return path


def frames_to_video(
    frames: list[Image.Image],
    path: Path,
    *,
    seconds_per_frame: float = 1.0,
    audio: Path | None = None,
) -> Path:
    """Encode labelled frames (and optional audio) as a small WebM (VP9 + Opus)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        for number, frame in enumerate(frames):
            stamp_label(frame.copy()).save(Path(work) / f"f{number:04d}.png")
        inputs = ["-framerate", f"1/{seconds_per_frame}", "-i", str(Path(work) / "f%04d.png")]
        if audio:
            inputs += ["-i", str(audio)]
        _ffmpeg(
            *inputs,
            "-c:v",
            "libvpx-vp9",
            "-b:v",
            "0",
            "-crf",
            "45",
            "-pix_fmt",
            "yuv420p",
            "-r",
            "10",
            *(["-c:a", "libopus", "-b:a", "24k", "-shortest"] if audio else []),
            *_metadata(),
            str(path),
        )
    return path


def _metadata() -> list[str]:
    return ["-metadata", f"comment={STATEMENT}", "-metadata", f"title={LABEL}"]


def _ffmpeg(*args: str) -> None:
    if not shutil.which("ffmpeg"):
        raise RuntimeError("ffmpeg is not installed (apt-get install ffmpeg)")
    subprocess.run(["ffmpeg", "-y", "-loglevel", "error", *args], check=True)
