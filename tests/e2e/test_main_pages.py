"""Every main page, in English and in Traditional Chinese, on a 360 px phone: axe-core finds no
serious or critical accessibility problem, nothing scrolls sideways, and the Chinese pages show
no English interface text."""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

import polib
import pytest
import yaml
from axe_playwright_python.base import AXE_SCRIPT
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import ROOT
from tests.e2e.conftest import ARTIFACTS, AXE_SUMMARY, new_context

NARROW = {"width": 360, "height": 740}
LANGUAGES = {"en": "en-GB", "zh-hant": "zh-HK"}
AXE_RUN = "axe.run({resultTypes: ['violations']})"
IMPACTS = ("critical", "serious", "moderate", "minor")
# Specimens and lessons are the pack's own text; addresses and file columns are not prose.
CONTENT = ".example, .lesson, .url, code"
# Addresses and domain names (gmail.com, https://lrs.example.com/xapi/) are not words.
ADDRESS = re.compile(r"(?:https?://)?[\w-]+(?:\.[\w-]+)+/?\S*")
ENGLISH_RUN = re.compile(r"[A-Za-z][a-z]+(?:[ ,'’.-]+[A-Za-z][a-z]+)+")
# Names people gave things in this walk's data, beside the content pack's own text.
DATA = ["Harbour City Bank", "Kowloon Primary", "Q1 awareness", "Mei Chan"]


@dataclass
class Walk:
    """Checks each page it is shown, and keeps what it found."""

    interface_strings: set[str]
    content_strings: list[str]
    rows: list[tuple[str, str, Counter]] = field(default_factory=list)
    serious: list[str] = field(default_factory=list)
    too_wide: list[str] = field(default_factory=list)
    english: list[str] = field(default_factory=list)

    def check(self, page, name: str, language: str) -> None:
        counts = Counter()
        if not page.evaluate("'axe' in window"):  # htmx swapped steps keep it
            page.evaluate(AXE_SCRIPT)
        for violation in page.evaluate(AXE_RUN)["violations"]:
            counts[violation["impact"]] += len(violation["nodes"])
            if violation["impact"] in ("serious", "critical"):
                targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
                self.serious.append(f"{name} [{language}] {violation['id']}: {targets[:3]}")
        self.rows.append((name, language, counts))
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > NARROW["width"]:
            self.too_wide.append(f"{name} [{language}] is {width} px wide")
        if language != "en":
            self.english += [f"{name}: {text!r}" for text in self.english_in(page)]

    def english_in(self, page) -> list[str]:
        """Interface text still in English: a catalogue string shown untranslated, or a run
        of two English words that is none of the content's own text."""
        found = []
        for text in page.evaluate(ENGLISH_IN_PAGE, [CONTENT]):
            text = " ".join(text.split())
            rest = text
            for content in self.content_strings:
                rest = rest.replace(content, " ")
            rest = ADDRESS.sub(" ", rest)
            if rest.strip() and (text in self.interface_strings or ENGLISH_RUN.search(rest)):
                found.append(text)
        return found

    def table(self) -> str:
        head = f"{'page':<28} {'language':<8} " + " ".join(f"{i:>8}" for i in IMPACTS)
        lines = [head, "-" * len(head)]
        for page, language, counts in self.rows:
            lines.append(
                f"{page:<28} {language:<8} " + " ".join(f"{counts[i]:>8}" for i in IMPACTS)
            )
        return "\n".join(lines) + "\n"


@pytest.fixture
def site(transactional_db, loaded_pack):
    """A bank with a launched campaign, a school class with assignments, a live quiz in its
    lobby with one player, and a certificate: every main page has something to show."""
    from awareness.celery import app
    from awareness.content.models import Module
    from tests.live.conftest import browser_with
    from tests.people.factories import GroupFactory, MembershipFactory, UserFactory
    from tests.site.test_player import play_to_the_end, start
    from training.campaigns import services as campaigns
    from training.campaigns.services.classes import assign_modules
    from training.live.services import join_live_session, start_live_session
    from training.people.models import Role
    from training.people.services.classes import create_group, create_students
    from training.people.services.organizations import create_organization
    from training.progress.models import Certificate

    now = timezone.now()
    user = UserFactory(username="mei", first_name="Mei", last_name="Chan", age_band="18+")
    module = Module.objects.get(slug="parcel-fees", language="en", is_current=True)
    bank = create_organization(user, name="Harbour City Bank", kind="bank").organization
    admin = bank.memberships.get(user=user)
    retail = GroupFactory(organization=bank, name="Retail", kind="department")
    retail.members.add(*(MembershipFactory(organization=bank, role=Role.LEARNER) for _ in range(3)))
    campaign = campaigns.create_campaign(
        admin, name="Q1 awareness", modules=[module], groups=[retail], starts_at=now, due_days=14
    )
    # The worker's part of the launch, run in this process: the walk needs the dashboard of a
    # launched campaign, not a worker.
    app.conf.task_always_eager = True
    try:
        campaigns.schedule_campaign(admin, campaign, now=now)
    finally:
        app.conf.task_always_eager = False

    teacher = create_organization(user, name="Kowloon Primary", kind="school")
    group = create_group(teacher, name="4B")
    students = create_students(teacher, group, count=3, age_band="under-13")
    assign_modules(teacher, group, modules=[module], starts_at=now, due_at=now + timedelta(7))

    client = Client()
    client.force_login(user)
    play_to_the_end(client, start(client))
    live = start_live_session(user, module, seconds=30, now=now)
    _player, token = join_live_session(live, nickname="Ann", user=None, max_age_rating=18, now=now)
    orgs = f"/orgs/{bank.slug}"
    return {
        "names": [student.user.username for student, _password in students],
        "member": client.cookies["sessionid"].value,
        "player": browser_with(live, token),
        "visitor_pages": {
            "home": "/",
            "catalogue": "/learn/",
            "module intro": "/learn/parcel-fees/",
            "museum": "/museum/",
            "museum example": "/museum/parcel-fee-sms/",
            "certificate check": f"/certificates/{Certificate.objects.get().code}/",
            "transparency": "/transparency/",
            "removal request": "/removal/",
            "log in": "/accounts/log-in/",
            "sign up": "/accounts/sign-up/",
            "join a class": "/join/",
            "join with a code": f"/join/{group.join_code}/",
            "live join": "/live/",
            "live nickname": f"/live/{live.pin}/",
        },
        "player_pages": {"live player": f"/live/s/{live.public_id}/"},
        "member_pages": {
            "organisations": "/orgs/",
            "org dashboard": f"{orgs}/",
            "org progress": f"{orgs}/progress/",
            "campaign list": f"{orgs}/campaigns/",
            "new campaign": f"{orgs}/campaigns/new/",
            "campaign dashboard": f"{orgs}/campaigns/{campaign.pk}/",
            "roster import": f"{orgs}/import/",
            "domains": f"{orgs}/domains/",
            "my membership": f"{orgs}/me/",
            "scam simulations": f"{orgs}/simulations/",
            "new simulation": f"{orgs}/simulations/new/",
            "api tokens": f"{orgs}/api-tokens/",
            "integrations": f"{orgs}/integrations/",
            "class": f"/orgs/{teacher.organization.slug}/groups/{group.pk}/",
            "class grid": f"/orgs/{teacher.organization.slug}/groups/{group.pk}/progress/",
            "assign modules": f"/orgs/{teacher.organization.slug}/groups/{group.pk}/assign/",
            "live host setup": "/live/host/",
            "live host": f"/live/s/{live.public_id}/host/",
            "certificate": f"/certificates/{Certificate.objects.get().code}/",
            "your data": "/privacy/",
        },
    }


def strings_in(value) -> list[str]:
    if isinstance(value, dict):
        return [text for item in value.values() for text in strings_in(item)]
    if isinstance(value, list):
        return [text for item in value for text in strings_in(item)]
    if isinstance(value, str):
        lines = (line.strip().lstrip("-").replace("**", "").strip() for line in value.splitlines())
        return [line for line in lines if line]
    return []


@pytest.fixture
def content_strings(loaded_pack, site) -> list[str]:
    """The content pack's own text (its Chinese module is written in English), the names in
    the walk's data and configured identifiers (the lure marker header), longest first."""
    texts = {text for path in loaded_pack.rglob("*.yaml") for text in strings_in(
        yaml.safe_load(path.read_text()))}  # fmt: skip
    names = set(DATA) | set(site["names"]) | {settings.SIMULATION_HEADER}
    return sorted(texts | names, key=len, reverse=True)


@pytest.fixture(scope="module")
def interface_strings() -> set[str]:
    """English interface strings that the Chinese catalogue translates."""
    catalogue = polib.pofile(str(ROOT / "locale/zh_Hant/LC_MESSAGES/django.po"))
    return {
        " ".join(e.msgid.split())
        for e in catalogue
        if e.msgstr and e.msgstr != e.msgid and "%" not in e.msgid and "{" not in e.msgid
    }


ENGLISH_IN_PAGE = """([content]) => {
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!element || element.closest(content) || element.closest("script, style")) continue;
    if (!element.checkVisibility() && !element.closest(".visually-hidden")) continue;
    texts.push(node.textContent);
  }
  for (const element of document.querySelectorAll("[aria-label], [title], [placeholder], [alt]")) {
    if (element.closest(content)) continue;
    for (const name of ["aria-label", "title", "placeholder", "alt"]) {
      if (element.getAttribute(name)) texts.push(element.getAttribute(name));
    }
  }
  texts.push(document.title);
  return texts;
}"""


def play_through(page, base: str, language: str, walk: Walk) -> None:
    """Every step of the test module, whatever the answers: each question kind and its
    feedback, then the results."""
    page.goto(f"{base}/learn/parcel-fees/")
    page.locator("form[action$='/start/'] button").click()
    for number in range(1, 30):
        page.wait_for_load_state()
        kind = page.evaluate(
            "document.querySelector('[name=verdict]') ? 'scam or legit'"
            " : document.querySelector('[name=real]') ? 'which is real'"
            " : document.querySelector('[name=spots]') ? 'spot the flags'"
            " : document.querySelector('[name=choice]') ? 'single choice'"
            " : document.querySelector('[name=choices]') ? 'multiple choice'"
            " : document.querySelector('.feedback') ? 'feedback'"
            " : document.querySelector('.score') ? 'results'"
            " : document.querySelector('#player .example') ? 'example' : 'lesson'"
        )
        walk.check(page, f"step {number}: {kind}", language)
        if "/results/" in page.url:
            return
        page.evaluate("document.querySelector('#player').dataset.seen = 'yes'")
        answer = page.locator("#player form[action$='/answer/']")
        if answer.count():
            page.evaluate(
                """() => {
                  const picked = new Set();
                  for (const input of document.querySelectorAll('#player form input')) {
                    const choice = input.type === 'radio' || input.type === 'checkbox';
                    if (choice && !picked.has(input.name)) {
                      input.checked = true; picked.add(input.name);
                    }
                  }
                }"""
            )
            answer.locator("button[type=submit]").click()
        else:
            page.locator("#player form.continue button").click()
        expect(page.locator("#player[data-seen]")).to_have_count(0)
    pytest.fail("the module never reached its results")


@pytest.mark.timeout(300)  # about 90 pages, each checked by axe-core: a minute on a quiet machine
def test_every_main_page_is_accessible_fits_a_phone_and_speaks_the_visitors_language(
    browser, live_server, site, interface_strings, content_strings, screenshot, request
):
    walk = Walk(interface_strings, content_strings)
    for language, locale in LANGUAGES.items():
        for who in ("visitor", "player", "member"):
            context = new_context(browser, viewport=NARROW, locale=locale)
            if who != "visitor":
                context.add_cookies(
                    [{"name": "sessionid", "value": site[who], "url": live_server.url}]
                )
            page = context.new_page()
            for name, path in site[f"{who}_pages"].items():
                page.goto(live_server.url + path)
                walk.check(page, name, language)
            if who == "visitor":
                play_through(page, live_server.url, language, walk)
                screenshot(page, f"results-{language}")
            context.close()

    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "axe-summary.txt").write_text(walk.table())
    request.config.stash[AXE_SUMMARY] = walk.table()
    assert not walk.serious, "\n".join(walk.serious)
    assert not walk.too_wide, "\n".join(walk.too_wide)
    assert not walk.english, "English on Chinese pages:\n" + "\n".join(walk.english)
