"""Media hygiene for what packs bring in: pictures are re-encoded so nothing of the camera or
the place survives (EXIF, GPS, serial numbers, XMP), with our own statement written back for
synthetic ones; C2PA content credentials are read first, for authors to see."""

import io
import json
import logging
from pathlib import Path

from PIL import Image, ImageOps
from PIL.PngImagePlugin import PngInfo

logger = logging.getLogger(__name__)

SIMULATION_LABEL = "AI-generated simulation"
SIMULATION_STATEMENT = (
    "AI-generated simulation made for scam-awareness training. Not a real person or event."
)
EXIF_IMAGE_DESCRIPTION = 0x010E
# What C2PA can read, by the extension packs.media_extension gives each format.
C2PA_FORMATS = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "webp": "image/webp",
    "wav": "audio/wav",
    "mp3": "audio/mpeg",
    "mp4": "video/mp4",
}


def clean_picture(content: bytes, *, synthetic: bool) -> bytes:
    """The same picture with no metadata but the simulation statement (when synthetic), in
    its own format. Deterministic: the same input always gives the same bytes."""
    with Image.open(io.BytesIO(content)) as original:
        kind = original.format
        picture = ImageOps.exif_transpose(original)  # keep the orientation the EXIF gave
        picture.load()
        icc_profile = original.info.get("icc_profile")
        transparency = original.info.get("transparency")
    out = io.BytesIO()
    options: dict = {"icc_profile": icc_profile} if icc_profile else {}
    if kind == "PNG":
        info = PngInfo()
        if synthetic:
            info.add_text("Description", SIMULATION_STATEMENT)
            info.add_text("Comment", SIMULATION_LABEL)
        if transparency is not None:
            options["transparency"] = transparency
        picture.save(out, "PNG", pnginfo=info, **options)
    else:
        exif = Image.Exif()
        if synthetic:
            exif[EXIF_IMAGE_DESCRIPTION] = SIMULATION_STATEMENT
        if kind == "JPEG":
            picture = picture.convert("RGB") if picture.mode not in ("RGB", "L") else picture
            picture.save(out, "JPEG", quality=92, exif=exif.tobytes(), **options)
        else:
            picture.save(out, "WEBP", quality=90, exif=exif.tobytes(), **options)
    return out.getvalue()


def content_credentials(path: Path, extension: str) -> dict:
    """The C2PA manifest store of a medium, as JSON, with what an author checks first; {} when
    it has none. Read offline: validity is reported against no trust list."""
    mime = C2PA_FORMATS.get(extension)
    if mime is None:
        return {}
    import c2pa  # a large native library: loaded only when a pack is loaded

    try:
        with path.open("rb") as stream, c2pa.Reader(mime, stream) as reader:
            store = json.loads(reader.json())
            state = reader.get_validation_state()
    except c2pa.C2paError.ManifestNotFound:
        return {}
    except c2pa.C2paError as error:
        logger.warning("Unreadable content credentials in %s: %s", path, error)
        return {"error": str(error)[:500]}
    active = store.get("manifests", {}).get(store.get("active_manifest", ""), {})
    generators = [
        " ".join(filter(None, (info.get("name"), info.get("version"))))
        for info in active.get("claim_generator_info", [])
    ] or [active.get("claim_generator", "")]
    return {
        "title": active.get("title", ""),
        "claim_generator": ", ".join(filter(None, generators)),
        "signed_by": (active.get("signature_info") or {}).get("issuer", ""),
        "signed_at": (active.get("signature_info") or {}).get("time", ""),
        "validation_state": str(state),
        "manifest_store": store,
    }
