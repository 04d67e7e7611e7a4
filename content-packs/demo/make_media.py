"""Regenerate every medium of the demo pack: python content-packs/demo/make_media.py

Needs Pillow (a project dependency), espeak-ng and ffmpeg (Debian packages) and, for Chinese
text in pictures, fonts-noto-cjk. Each script in scripts/ has a make(media_dir) function.
"""

import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    sys.path.insert(0, str(HERE))
    only = set(sys.argv[1:])
    for script in sorted((HERE / "scripts").glob("*.py")):
        if script.stem in {"__init__", "kit"} or (only and script.stem not in only):
            continue
        module = importlib.import_module(f"scripts.{script.stem}")
        module.make(HERE / "media")
        print(f"made the media of {script.stem}")


if __name__ == "__main__":
    main()
