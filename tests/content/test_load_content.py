import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from awareness.content.models import Example, Module, Question, RedFlag, Step
from awareness.content.packs import PackError, read_pack
from tests.content.builders import write_pack

pytestmark = pytest.mark.django_db


@pytest.fixture
def pack(tmp_path, settings) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media-root"
    return write_pack(tmp_path / "pack")


def load(path: Path, capsys=None) -> str:
    call_command("load_content", str(path))
    return capsys.readouterr().out if capsys else ""


def test_a_valid_pack_loads_every_module_example_and_question(pack, capsys):
    output = load(pack, capsys)

    assert Module.objects.filter(is_current=True).count() == 3
    assert Example.objects.count() == 3
    assert Question.objects.count() == 11
    assert RedFlag.objects.filter(example__slug="parcel-fee-sms").count() == 3
    assert "3 new module version(s)" in output
    picture = Example.objects.get(slug="fake-ad-picture")
    assert picture.image.name.startswith("content/") and picture.image.name.endswith(".png")
    assert picture.synthetic and picture.provenance["created"] == "2026-11-27"


def test_loading_the_same_pack_twice_changes_nothing(pack, capsys):
    load(pack)
    before = list(Module.objects.values_list("pk", "version"))

    output = load(pack, capsys)

    assert list(Module.objects.values_list("pk", "version")) == before
    assert "0 new module version(s), 3 unchanged" in output
    assert "0 new example version(s), 3 unchanged" in output


def test_a_changed_module_becomes_a_new_version_and_the_old_one_stays(pack):
    load(pack)
    old = Module.objects.get(slug="parcel-fees", language="en")
    path = pack / "modules" / "parcel-fees.en.yaml"
    path.write_text(path.read_text().replace("Parcel fees", "Parcel fees, revised"))

    load(pack)

    current = Module.objects.get(slug="parcel-fees", language="en", is_current=True)
    old.refresh_from_db()
    assert (old.version, current.version) == (1, 2)
    assert not old.is_current and current.title == "Parcel fees, revised"
    assert Step.objects.filter(module=old).count() == 7  # what learners saw is kept


def test_a_changed_example_makes_new_versions_of_the_modules_that_use_it(pack):
    load(pack)
    path = pack / "examples" / "parcel-fee-sms.yaml"
    path.write_text(path.read_text().replace("HK$12 today", "HK$15 today"))
    path.write_text(path.read_text().replace("text: HK$12", "text: HK$15"))

    load(pack)

    assert Example.objects.filter(slug="parcel-fee-sms").count() == 2
    assert Module.objects.get(slug="parcel-fees", language="en", is_current=True).version == 2
    assert Module.objects.get(slug="adult-module", is_current=True).version == 1


def break_pack(pack: Path) -> None:
    examples, modules = pack / "examples", pack / "modules"
    sms = (examples / "parcel-fee-sms.yaml").read_text()
    (examples / "parcel-fee-sms.yaml").write_text(
        sms.replace("is_scam: true", "is_scam: true\ncolour: red").replace(  # unknown key, line 6
            "text: hkpost-redeliver.top", "text: hkpost.example"
        )  # span not in text
    )
    (examples / "copy.yaml").write_text(sms)  # duplicate slug
    real = (examples / "parcel-real-sms.yaml").read_text()
    (examples / "parcel-real-sms.yaml").write_text(real.replace("summary:", "summery:"))
    (pack / "media" / "ad.png").write_text("this is not a picture")
    module = (modules / "parcel-fees.en.yaml").read_text()
    (modules / "parcel-fees.en.yaml").write_text(
        module.replace("examples: [parcel-fee-sms, parcel-real-sms]", "examples: [a, b]").replace(
            "explanation: That is how", "correct: true\n          explanation: That is how"
        )
    )
    (modules / "broken.en.yaml").write_text("slug: broken\ntitle: [unclosed\n")


def test_a_broken_pack_reports_every_problem_with_file_and_line_and_loads_nothing(pack):
    break_pack(pack)

    with pytest.raises(PackError) as raised:
        read_pack(pack)
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_content", str(pack))

    problems = raised.value.problems
    expected = [
        'examples/parcel-fee-sms.yaml:7: unknown key "colour"',
        "examples/parcel-fee-sms.yaml:19: text 'hkpost.example' does not occur in messages.0",
        'examples/parcel-fee-sms.yaml:1: duplicate example slug "parcel-fee-sms" in en',
        'examples/parcel-real-sms.yaml:1: missing required key "summary"',
        'examples/parcel-real-sms.yaml:7: unknown key "summery"',
        "examples/fake-ad-picture.yaml:15: unsupported media in 'media/ad.png'",
        'modules/parcel-fees.en.yaml:50: no example "a" in this pack',
        "modules/parcel-fees.en.yaml:29: a single-choice question needs exactly one correct",
        "modules/broken.en.yaml:3: not valid YAML",
    ]
    for message in expected:
        assert any(problem.startswith(message) for problem in problems), (message, problems)
    assert Module.objects.count() == Example.objects.count() == 0


def test_media_outside_the_pack_folder_is_refused(pack, tmp_path):
    shutil.copy(pack / "media" / "ad.png", tmp_path / "outside.png")
    path = pack / "examples" / "fake-ad-picture.yaml"
    path.write_text(path.read_text().replace("media/ad.png", "../outside.png"))

    with pytest.raises(PackError) as raised:
        read_pack(pack)

    assert any("leaves the pack folder" in problem for problem in raised.value.problems)


def test_check_validates_without_writing(pack, capsys):
    call_command("load_content", str(pack), "--check")

    assert "valid (3 modules, 3 examples)" in capsys.readouterr().out
    assert Module.objects.count() == 0


def test_a_missing_folder_is_a_clear_error(capsys):
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_content", "/no/such/pack")

    assert "/no/such/pack: not a folder" in capsys.readouterr().err


def test_the_documented_example_pack_loads(settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path
    example = settings.CONTENT_PACKS_DIR / "example"

    output = load(example, capsys)

    assert "1 new module version(s)" in output
    module = Module.objects.get(is_current=True)
    kinds = set(Question.objects.filter(step__module=module).values_list("kind", flat=True))
    assert kinds == {"single", "multiple", "scam_or_legit", "spot_flags", "which_is_real"}


def test_overlapping_spans_are_refused_because_both_could_not_be_ticked(pack):
    path = pack / "examples" / "parcel-fee-sms.yaml"
    path.write_text(path.read_text().replace("text: HK$12", "text: HK$12 today at hkpost"))

    with pytest.raises(PackError) as raised:
        read_pack(pack)

    assert any('"amount" overlaps "link" in messages.0' in p for p in raised.value.problems)


def test_close_ups_keep_the_pictures_proportions(pack):
    from awareness.content.templatetags.examples import zoom_view

    load(pack)
    picture = Example.objects.get(slug="fake-ad-picture")
    badge = picture.spots.get(key="badge")

    assert (picture.picture_width, picture.picture_height) == (20, 10)
    view = zoom_view(picture, badge)

    assert view["box"].split()[2:] == ["4.00", "2.00"]  # 20% of 20 px by 20% of 10 px
    assert (view["width"], view["height"]) == (20, 10)
