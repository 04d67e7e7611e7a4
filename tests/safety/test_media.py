"""Media hygiene: pictures lose what their camera and place said about them (EXIF, GPS, serial
numbers, text chunks) and keep our own "AI-generated simulation" statement; C2PA content
credentials are read first and shown to authors in the admin."""

import datetime
import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from PIL import Image, PngImagePlugin

from awareness.content.models import Example
from awareness.safety.media import SIMULATION_STATEMENT
from tests.content.builders import write_pack

pytestmark = pytest.mark.django_db

GPS_IFD, EXIF_IFD = 0x8825, 0x8769
MAKE, MODEL, SERIAL, DESCRIPTION, ORIENTATION = 0x010F, 0x0110, 0xA431, 0x010E, 0x0112


def camera_jpeg(orientation: int = 1) -> bytes:
    """A 40 × 20 photo as a phone would save it: make, model, serial number and position."""
    exif = Image.Exif()
    exif[MAKE], exif[MODEL], exif[ORIENTATION] = "PhoneCo", "Pocket 12", orientation
    exif[DESCRIPTION] = "Holiday at home"
    exif.get_ifd(EXIF_IFD)[SERIAL] = "SN-0042-7731"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (22.0, 17.0, 3.0), 3: "E", 4: (114.0, 10.0, 1.0)})
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "#cc3344").save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def load_with_picture(tmp_path, settings, content: bytes, *, synthetic: bool = True) -> Example:
    settings.MEDIA_ROOT = tmp_path / "media-root"
    pack = write_pack(tmp_path / "pack")
    (pack / "media" / "ad.png").write_bytes(content)  # named .png, but typed by content
    if not synthetic:
        path = pack / "examples" / "fake-ad-picture.yaml"
        path.write_text(path.read_text().replace("synthetic: true", "synthetic: false"))
    call_command("load_content", str(pack))
    return Example.objects.get(slug="fake-ad-picture")


def stored(example: Example) -> Image.Image:
    with default_storage.open(example.image.name) as file:
        return Image.open(io.BytesIO(file.read()))


def test_a_photo_loses_its_gps_and_camera_details_and_says_it_is_a_simulation(tmp_path, settings):
    original = Image.open(io.BytesIO(camera_jpeg()))
    assert original.getexif().get_ifd(GPS_IFD)  # the test photo really has a position

    example = load_with_picture(tmp_path, settings, camera_jpeg())

    picture = stored(example)
    exif = picture.getexif()
    assert picture.format == "JPEG" and example.image.name.endswith(".jpg")
    assert dict(exif) == {DESCRIPTION: SIMULATION_STATEMENT}
    assert not exif.get_ifd(GPS_IFD) and not exif.get_ifd(EXIF_IFD)
    with default_storage.open(example.image.name) as file:
        raw = file.read()
    assert b"PhoneCo" not in raw and b"SN-0042-7731" not in raw and b"Holiday" not in raw


def test_a_rotated_photo_keeps_the_way_up_its_camera_meant(tmp_path, settings):
    example = load_with_picture(tmp_path, settings, camera_jpeg(orientation=6))

    assert stored(example).size == (20, 40)
    assert (example.picture_width, example.picture_height) == (20, 40)


def test_png_text_chunks_are_replaced_by_our_statement(tmp_path, settings):
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Jane Doe, 12 Harbour Road")
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "#336699").save(buffer, "PNG", pnginfo=info)

    picture = stored(load_with_picture(tmp_path, settings, buffer.getvalue()))

    assert picture.text == {
        "Description": SIMULATION_STATEMENT,
        "Comment": "AI-generated simulation",
    }


def test_a_picture_that_is_not_synthetic_carries_no_statement(tmp_path, settings):
    example = load_with_picture(tmp_path, settings, camera_jpeg(), synthetic=False)

    assert dict(stored(example).getexif()) == {}


# --- C2PA content credentials ----------------------------------------------------------------


def signed_jpeg() -> bytes:
    """A JPEG with a C2PA manifest signed by a certificate made here (no network, no trust)."""
    import c2pa
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.datetime.now(datetime.UTC)

    def certificate(name, key, issuer, issuer_key, *, ca: bool):
        usage = dict.fromkeys(
            ("content_commitment", "key_encipherment", "data_encipherment", "key_agreement"),
            False,
        )
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name),
                                     x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test Studio")]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer),
                                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test Studio")]))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(digital_signature=not ca, key_cert_sign=ca, crl_sign=ca,
                              encipher_only=False, decipher_only=False, **usage),
                critical=True,
            )
        )  # fmt: skip
        if not ca:
            builder = builder.add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
            )
        builder = builder.add_extension(
            x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
        ).add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
        return builder.sign(issuer_key, hashes.SHA256())

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    chain = b"".join(
        cert.public_bytes(serialization.Encoding.PEM)
        for cert in (
            certificate("Studio signer", key, "Studio CA", ca_key, ca=False),
            certificate("Studio CA", ca_key, "Studio CA", ca_key, ca=True),
        )
    ).decode()

    def sign(data: bytes) -> bytes:
        r, s = decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")

    manifest = {
        "claim_generator_info": [{"name": "Test Studio", "version": "3.1"}],
        "title": "ad.jpg",
        "assertions": [
            {
                "label": "c2pa.actions",
                "data": {
                    "actions": [
                        {
                            "action": "c2pa.created",
                            "digitalSourceType": "http://cv.iptc.org/newscodes/"
                            "digitalsourcetype/trainedAlgorithmicMedia",
                        }
                    ]
                },
            }
        ],
    }
    source, signed = io.BytesIO(camera_jpeg()), io.BytesIO()
    signer = c2pa.Signer.from_callback(sign, c2pa.C2paSigningAlg.ES256, chain, None)
    with c2pa.Builder(manifest) as builder:
        builder.sign(signer, "image/jpeg", source, signed)
    return signed.getvalue()


def test_c2pa_credentials_are_kept_for_authors_and_stripped_from_the_published_picture(
    tmp_path, settings, admin_client
):
    example = load_with_picture(tmp_path, settings, signed_jpeg())

    credentials = example.content_credentials["image"]
    assert credentials["claim_generator"] == "Test Studio 3.1"
    assert credentials["title"] == "ad.jpg"
    assert credentials["signed_by"] == "Test Studio"
    assert "trainedAlgorithmicMedia" in str(credentials["manifest_store"])
    with default_storage.open(example.image.name) as file:
        assert b"c2pa" not in file.read()  # our copy carries only our own statement
    page = admin_client.get(reverse("admin:content_example_change", args=[example.pk]))
    assert "Test Studio 3.1" in page.content.decode()
    assert 'type="file"' not in page.content.decode()  # media come only through packs


def test_media_without_credentials_have_none(loaded_pack):
    assert Example.objects.get(slug="fake-ad-picture").content_credentials == {}
