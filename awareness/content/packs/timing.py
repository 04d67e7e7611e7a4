"""Times in a pack (red flags' `time`, transcript lines' `at`) checked against the length of
the recording they point into, read with ffprobe (ffmpeg, which the media scripts use too)."""

import json
import shutil
import subprocess
from functools import cache
from pathlib import Path

FFPROBE_SECONDS = 30


@cache
def media_duration(path: Path) -> float | None:
    """Seconds of audio or video, or None when ffprobe is not installed or cannot tell."""
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        return None
    try:
        probe = subprocess.run(  # noqa: S603 -- our fixed arguments, the pack's own file
            [ffprobe, "-v", "error", "-show_entries", "format=duration", "-of", "json", path],
            capture_output=True,
            check=True,
            timeout=FFPROBE_SECONDS,
        )
        return float(json.loads(probe.stdout)["format"]["duration"])
    except (subprocess.SubprocessError, OSError, KeyError, ValueError):
        return None


def check_times(reader, path: Path, data, media: dict[str, Path]) -> None:
    """Every red flag's time and every transcript line's `at` must fall within the recording
    (PACKS.md: they follow it). Malformed times were reported already and are skipped."""
    recording = media.get("video") or media.get("audio")
    duration = media_duration(recording) if recording else None
    if duration is None:
        return
    where = f"{reader.name_of(recording)} ({duration:.1f} s long)"
    for key in ("red_flags", "safe_spots"):
        for item in _mappings(data.get(key)):
            spot_where = item.get("where")
            time = spot_where.get("time") if isinstance(spot_where, dict) else None
            for seconds in time if isinstance(time, list) else [time]:
                if _seconds(seconds) and seconds > duration:
                    line = spot_where.line_of("time")
                    reader.problem(path, line, f"time {seconds} s is past the end of {where}")
    body = data.get("body")
    for item in _mappings(body.get("transcript") if isinstance(body, dict) else None):
        at = item.get("at")
        if _seconds(at) and at >= duration:
            reader.problem(path, item.line_of("at"), f'"at" {at} s is past the end of {where}')


def _mappings(value) -> list:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _seconds(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0
