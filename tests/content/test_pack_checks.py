"""What a pack's author is told: times past the end of the recording (measured with ffprobe),
a file that is not UTF-8 at the line it breaks, and one problem where one mistake would
otherwise repeat for every region."""

import shutil
import wave
from pathlib import Path

import pytest

from awareness.content.packs import PackError, read_pack
from tests.conftest import service_missing
from tests.content.builders import write_pack

CALL = """\
slug: parcel-call
language: en
title: A call about a parcel
channel: call
scam_type: parcel
is_scam: true
summary: A caller asks for a fee.
synthetic: true
provenance:
  generator: Python's wave module
  method: Two seconds of silence, written in a test.
  created: 2026-12-04
media:
  audio: media/call.wav
alt: An incoming call.
body:
  caller_name: Unknown
  caller_number: "+44 7700 900123"
  transcript:
    - {at: 0.5, speaker: Caller, text: "Your parcel is held."}
    - {at: 42.8, speaker: Caller, text: "Pay the fee now."}
red_flags:
  - id: pressure
    label: Pressure
    explanation: A deadline on the phone.
    where: {time: [1.0, 1.8]}
  - id: late
    label: Too late
    explanation: Past the end.
    where: {time: 900}
"""


def silence(path: Path, seconds: float) -> None:
    with wave.open(str(path), "wb") as recording:
        recording.setnchannels(1)
        recording.setsampwidth(2)
        recording.setframerate(8000)
        recording.writeframes(b"\0\0" * int(8000 * seconds))


def problems_of(pack: Path) -> list[str]:
    with pytest.raises(PackError) as raised:
        read_pack(pack)
    return raised.value.problems


def test_times_past_the_end_of_the_recording_are_refused_at_their_line(tmp_path):
    if shutil.which("ffprobe") is None:
        service_missing("ffprobe (Debian's ffmpeg) is not installed")
    pack = write_pack(tmp_path / "pack")
    silence(pack / "media" / "call.wav", 2.0)
    (pack / "examples" / "parcel-call.yaml").write_text(CALL)

    problems = problems_of(pack)

    assert problems == [
        "examples/parcel-call.yaml:30: time 900 s is past the end of media/call.wav (2.0 s long)",
        'examples/parcel-call.yaml:21: "at" 42.8 s is past the end of media/call.wav (2.0 s long)',
    ]


def test_a_file_that_is_not_utf8_is_reported_at_the_line_it_breaks(tmp_path):
    pack = write_pack(tmp_path / "pack")
    path = pack / "examples" / "parcel-real-sms.yaml"
    text = path.read_text().replace("title: Genuine delivery text", "title: Genuine café text")
    path.write_bytes(text.encode("latin-1"))

    # The modules that use the example then cannot find it: those lines follow.
    assert problems_of(pack)[0] == (
        "examples/parcel-real-sms.yaml:3: not UTF-8 text: byte 0xe9 at column 19"
        " (save the file as UTF-8)"
    )


def test_a_missing_picture_is_one_problem_however_many_regions_point_into_it(tmp_path):
    pack = write_pack(tmp_path / "pack")
    path = pack / "examples" / "fake-ad-picture.yaml"
    more = "".join(
        f"  - id: spot-{n}\n    label: Spot {n}\n    explanation: Here.\n"
        f"    where: {{region: [{n}0, 50, 5, 5]}}\n"
        for n in range(1, 4)
    )
    text = path.read_text().replace("media:\n  image: media/ad.png\n", "")
    path.write_text(text.replace("alt: An advert with a green badge.\n", "") + more)

    regions = [p for p in problems_of(pack) if "a region needs an image" in p]

    assert regions == [
        "examples/fake-ad-picture.yaml:20: a region needs an image or a video poster"
    ]
