"""The demo pack that `make run` loads meets what the platform promises newcomers."""

from collections import Counter

import pytest
from django.conf import settings
from PIL import Image

from awareness.content.packs import read_pack

DEMO = settings.CONTENT_PACKS_DIR / "demo"
TOPICS = {
    "voice-clone",
    "deepfake-cfo",
    "celebrity-investment",
    "bank-smishing",
    "fake-bank-login",
    "romance-ai-photos",
    "refund-scam",
    "qr-parking-fine",
    "task-scam",
    "official-impersonation",
}
KINDS = {"single", "multiple", "scam_or_legit", "spot_flags", "which_is_real"}


@pytest.fixture(scope="module")
def pack():
    return read_pack(DEMO)  # raises, listing every problem, if the pack is invalid


def modules_in(pack, language: str) -> dict:
    return {m.data["slug"]: m for m in pack.modules if m.data["language"] == language}


def test_the_demo_pack_covers_the_ten_scams(pack):
    assert set(modules_in(pack, "en")) >= TOPICS


def test_every_module_has_three_examples_and_five_questions_of_every_kind(pack):
    for slug, module in modules_in(pack, "en").items():
        questions = [s for s in module.data["steps"] if s["kind"] == "question"]
        kinds = Counter(q["question_kind"] for q in questions)
        assert len(module.examples) >= 3, slug
        assert len(questions) >= 5, slug
        assert set(kinds) == KINDS, (slug, kinds)
        assert any(not e.data["is_scam"] for e in module.examples.values()), slug


def test_four_modules_are_fully_in_traditional_chinese(pack):
    english, chinese = modules_in(pack, "en"), modules_in(pack, "zh-hant")
    complete = [
        slug
        for slug, module in chinese.items()
        if len(module.data["steps"]) == len(english[slug].data["steps"])
        and all(e.data["language"] == "zh-hant" for e in module.examples.values())
    ]
    assert len(complete) >= 4, complete


def test_every_generated_medium_is_labelled_as_a_simulation(pack):
    for (slug, _language), example in pack.examples.items():
        if example.media:
            assert example.data["synthetic"] and example.data["provenance"]["generator"], slug
        for slot, path in example.media.items():
            if slot in ("image", "poster"):
                with Image.open(path) as picture:
                    assert "simulation" in picture.info.get("Description", ""), path


@pytest.fixture
def demo_loaded(db, settings, tmp_path):
    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path
    call_command("load_content", str(DEMO))


def test_every_demo_module_plays_to_the_end_in_both_languages(client, demo_loaded):
    """Every page of every module renders (every channel, in every mode) and right answers
    score 100%, whatever the language."""
    from awareness.content.models import Module
    from tests.site.test_player import answer_for

    client.post("/learn/age/", {"age_band": "18+"})
    for module in Module.objects.filter(is_current=True).order_by("slug", "language"):
        client.cookies["django_language"] = module.language
        play_url = client.post(f"/learn/{module.slug}/start/").url
        for step in module.steps.select_related("question").order_by("position"):
            assert client.get(play_url).status_code == 200, (module, step.position)
            if step.kind == "question":
                data = {"position": step.position, **answer_for(step.question, right=True)}
                assert client.post(f"{play_url}answer/", data).status_code == 302, (module, step)
                assert client.get(play_url).status_code == 200
            response = client.post(f"{play_url}continue/", {"position": step.position})
        results = client.get(response.url)
        assert results.context["score"] == 100, module
