"""Verified domains: an organisation proves it controls a mail domain (a DNS TXT record or a
link e-mailed to the domain's administrator) before simulations can reach addresses there.

DNS goes through the real dnspython resolver that production uses, pointed (DNS_NAMESERVERS)
at a tiny DNS server on loopback that answers from a dict: the stub is the network, not our
code. E-mail goes over real SMTP to the smtp_sink fixture.
"""

import re
import socket
import threading
import time

import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset
import pytest
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from awareness.safety.models import AuditEvent
from tests.people.factories import MembershipFactory, OrganizationFactory
from training.people.models import DomainMethod, Role, VerifiedDomain
from training.people.selectors import address_on_verified_domain, verified_domain_names
from training.people.services import add_domain, check_dns
from training.people.services.domains import make_link_token

pytestmark = pytest.mark.django_db

DOMAIN = "harbourbank.example"


class DnsServer:
    """A DNS server on a loopback UDP port. `records` maps names to TXT values; a name not in
    it is NXDOMAIN; names in `silent` get no answer (a timeout), in `broken` SERVFAIL."""

    def __init__(self):
        self.records: dict[str, list[str]] = {}
        self.silent: set[str] = set()
        self.broken: set[str] = set()
        self.queries: list[str] = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while not self.stopped.is_set():
            try:
                data, client = self.sock.recvfrom(4096)
            except TimeoutError:
                continue
            query = dns.message.from_wire(data)
            question = query.question[0]
            name = question.name.to_text(omit_final_dot=True).lower()
            self.queries.append(name)
            if name in self.silent:
                continue
            response = dns.message.make_response(query)
            if name in self.broken:
                response.set_rcode(dns.rcode.SERVFAIL)
            elif name not in self.records:
                response.set_rcode(dns.rcode.NXDOMAIN)
            elif question.rdtype == dns.rdatatype.TXT and self.records[name]:
                response.answer.append(
                    dns.rrset.from_text_list(
                        question.name, 60, "IN", "TXT", [f'"{v}"' for v in self.records[name]]
                    )
                )
            self.sock.sendto(response.to_wire(), client)

    def stop(self):
        self.stopped.set()
        self.thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def dns_server(settings):
    """Our resolver factory, unchanged, asks this server only."""
    server = DnsServer()
    settings.DNS_NAMESERVERS = [f"127.0.0.1:{server.port}"]
    settings.DNS_TIMEOUT = 1.0
    yield server
    server.stop()


def url(name, membership, *args):
    return reverse(name, args=[membership.organization.slug, *args])


def add(client, admin, domain=DOMAIN, method="dns"):
    return client.post(url("domain_list", admin), {"domain": domain, "method": method})


def test_an_admin_publishes_the_txt_record_and_check_now_verifies_the_domain(
    client, bank_admin, dns_server
):
    client.force_login(bank_admin.user)

    response = add(client, bank_admin, "HarbourBank.Example.")

    domain = VerifiedDomain.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("domain_detail", bank_admin, domain.pk)
    assert domain.domain == DOMAIN and domain.method == DomainMethod.DNS
    page = client.get(response["Location"]).content.decode()
    assert f"awareness-verification={domain.token}" in page
    assert verified_domain_names(bank_admin.organization) == set()

    dns_server.records[DOMAIN] = ["v=spf1 -all", f"awareness-verification={domain.token}"]
    response = client.post(url("domain_check", bank_admin, domain.pk), follow=True)

    domain.refresh_from_db()
    assert domain.verified_at is not None and domain.verified_by == bank_admin.user
    assert f"{DOMAIN} is verified" in response.content.decode()
    assert dns_server.queries == [DOMAIN]
    assert verified_domain_names(bank_admin.organization) == {DOMAIN}
    assert address_on_verified_domain(bank_admin.organization, "Wing.Chan@HARBOURBANK.example")
    assert address_on_verified_domain(bank_admin.organization.pk, "wing@harbourbank.example.")
    assert not address_on_verified_domain(bank_admin.organization, "wing@hk.harbourbank.example")
    assert not address_on_verified_domain(bank_admin.organization, "wing@harbourbank.example.com")
    assert not address_on_verified_domain(bank_admin.organization, "not an address")
    assert list(
        AuditEvent.objects.filter(organization=bank_admin.organization)
        .order_by("pk")
        .values_list("action", "details")
    ) == [
        ("domain.added", {"domain": DOMAIN, "method": "dns"}),
        ("domain.verified", {"domain": DOMAIN, "method": "dns"}),
    ]


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda server: None, "does not exist in DNS"),
        (lambda server: server.records.update({DOMAIN: []}), "has no TXT records yet"),
        (
            lambda server: server.records.update({DOMAIN: ["v=spf1 -all"]}),
            "but not the verification record yet",
        ),
        (
            lambda server: server.records.update({DOMAIN: ["awareness-verification=guess"]}),
            "its value is not this domain&#x27;s token",
        ),
        (lambda server: server.silent.add(DOMAIN), "did not answer in time"),
        (lambda server: server.broken.add(DOMAIN), "No DNS server could answer"),
    ],
    ids=["nxdomain", "no-txt", "other-txt", "wrong-token", "timeout", "servfail"],
)
def test_check_now_without_the_record_says_why_in_words_and_verifies_nothing(
    client, bank_admin, dns_server, setup, message
):
    client.force_login(bank_admin.user)
    add(client, bank_admin)
    domain = VerifiedDomain.objects.get()
    setup(dns_server)

    response = client.post(url("domain_check", bank_admin, domain.pk), follow=True)

    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert f"awareness-verification={domain.token}" in page  # the record to publish, again
    domain.refresh_from_db()
    assert domain.verified_at is None and domain.checked_at is not None
    assert verified_domain_names(bank_admin.organization) == set()


def test_the_resolver_comes_from_one_factory_that_tests_can_replace(bank_admin, settings):
    """DOMAIN_RESOLVER_FACTORY is the seam: any dnspython-style resolver will do."""

    class Rdata:
        def __init__(self, text):
            self.strings = [text.encode()[:10], text.encode()[10:]]  # long TXT: several strings

    class StubResolver:
        def resolve(self, name, rdtype, search=False):
            assert (name, rdtype, search) == (DOMAIN, "TXT", False)
            return [Rdata(f"awareness-verification={domain.token}")]

    settings.DOMAIN_RESOLVER_FACTORY = f"{__name__}.stub_factory"
    stub_factory.resolver = StubResolver()
    domain = add_domain(bank_admin, domain=DOMAIN, method="dns", now=timezone.now())

    assert check_dns(bank_admin, domain, timezone.now()) is True


def stub_factory():
    return stub_factory.resolver


@pytest.mark.parametrize(
    "webmail", ["gmail.com", "Outlook.com", "yahoo.com", "qq.com", "163.com", "mail.hotmail.com"]
)
def test_public_webmail_domains_are_refused(client, bank_admin, webmail):
    client.force_login(bank_admin.user)

    response = add(client, bank_admin, webmail)

    assert response.status_code == 400
    assert "is a public e-mail service" in response.content.decode()
    assert not VerifiedDomain.objects.exists()


@pytest.mark.parametrize(
    "malformed", ["", "localhost", "harbour bank.com", "https://harbourbank.com", "a@b.com",
                  "-bad.com", "bad..com", "192.168.1.1", "x" * 64 + ".com"],
)  # fmt: skip
def test_malformed_domains_are_refused_with_a_readable_message(client, bank_admin, malformed):
    client.force_login(bank_admin.user)

    response = add(client, bank_admin, malformed)

    assert response.status_code == 400
    page = response.content.decode()
    assert "domain name" in page or "This field is required" in page
    assert not VerifiedDomain.objects.exists()


def test_an_internationalised_domain_is_kept_in_its_dns_form_and_shown_in_its_own(
    client, bank_admin, dns_server
):
    client.force_login(bank_admin.user)
    add(client, bank_admin, "Bücher.Example")
    domain = VerifiedDomain.objects.get()
    assert domain.domain == "xn--bcher-kva.example"
    dns_server.records[domain.domain] = [domain.txt_record]

    client.post(url("domain_check", bank_admin, domain.pk))

    assert "bücher.example" in client.get(url("domain_list", bank_admin)).content.decode()
    assert address_on_verified_domain(bank_admin.organization, "anna@BÜCHER.example")


def test_a_domain_verified_by_one_organisation_cannot_be_verified_by_another(
    client, bank_admin, dns_server
):
    rival = MembershipFactory(organization=OrganizationFactory(name="Rival Bank"), role=Role.ADMIN)
    now = timezone.now()
    ours = add_domain(bank_admin, domain=DOMAIN, method="dns", now=now)
    theirs_pending = add_domain(rival, domain=DOMAIN, method="dns", now=now)  # both may try
    dns_server.records[DOMAIN] = [ours.txt_record, theirs_pending.txt_record]
    assert check_dns(bank_admin, ours, now)

    client.force_login(rival.user)
    refused_check = client.post(url("domain_check", rival, theirs_pending.pk), follow=True)
    client.post(url("domain_remove", rival, theirs_pending.pk))
    refused_add = add(client, rival, DOMAIN.upper())

    for response in (refused_check, refused_add):
        page = response.content.decode()
        assert "already verified by another organisation" in page
        assert "Harbour City Bank" not in page  # who holds it is not revealed
    assert verified_domain_names(rival.organization) == set()
    assert not address_on_verified_domain(rival.organization, f"wing@{DOMAIN}")
    # The database holds the line even if the code above were bypassed.
    with pytest.raises(IntegrityError), transaction.atomic():
        VerifiedDomain.objects.create(
            organization=rival.organization,
            domain=DOMAIN,
            method="dns",
            requested_at=now,
            verified_at=now,
        )


def test_the_e_mail_method_sends_a_signed_link_that_whoever_holds_it_confirms(
    client, bank_admin, smtp_sink, django_capture_on_commit_callbacks
):
    client.force_login(bank_admin.user)
    add(client, bank_admin, method="email")
    domain = VerifiedDomain.objects.get()
    page = client.get(url("domain_detail", bank_admin, domain.pk)).content.decode()
    for mailbox in ("postmaster", "hostmaster", "webmaster", "admin", "administrator"):
        assert f"{mailbox}@{DOMAIN}" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("domain_send_link", bank_admin, domain.pk), {"mailbox": "hostmaster"}
        )

    assert response.status_code == 302
    assert len(smtp_sink) == 1
    message = smtp_sink[0]
    assert message["To"] == f"hostmaster@{DOMAIN}"
    assert DOMAIN in message["Subject"] and "Harbour City Bank" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    link = re.search(r"http://testserver(/domain-verification/[^/\s]+/)", text).group(1)
    assert f'href="http://testserver{link}"' in message.get_body(("html",)).get_content()

    client.logout()  # the domain's administrator is not a user of ours
    confirm_page = client.get(link)
    assert confirm_page.status_code == 200
    assert "Confirm harbourbank.example" in confirm_page.content.decode()
    domain.refresh_from_db()
    assert domain.verified_at is None  # a GET (a mail scanner's preview) changes nothing

    confirmed = client.post(link)

    assert confirmed.status_code == 200
    assert "harbourbank.example is verified" in confirmed.content.decode()
    domain.refresh_from_db()
    assert domain.verified_at is not None and domain.verified_by is None
    assert domain.admin_address == f"hostmaster@{DOMAIN}"
    assert address_on_verified_domain(bank_admin.organization, f"wing@{DOMAIN}")
    assert list(AuditEvent.objects.order_by("pk").values_list("action", flat=True)) == [
        "domain.added",
        "domain.link_sent",
        "domain.verified",
    ]
    assert client.post(link).status_code == 200  # a second click is harmless


def test_the_link_goes_only_to_an_administrator_mailbox_of_the_domain(
    client, bank_admin, smtp_sink, django_capture_on_commit_callbacks
):
    client.force_login(bank_admin.user)
    add(client, bank_admin, method="email")
    domain = VerifiedDomain.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        for mailbox in ("ceo", "postmaster@attacker.example", ""):
            response = client.post(
                url("domain_send_link", bank_admin, domain.pk), {"mailbox": mailbox}, follow=True
            )
            assert "Choose one of the administrator addresses" in response.content.decode()

    assert smtp_sink == []


def link_for(domain, *, hours_ago=0.0, monkeypatch=None):
    if hours_ago and monkeypatch:
        real = time.time
        with monkeypatch.context() as patched:
            patched.setattr(signing.time, "time", lambda: real() - hours_ago * 3600)
            token = make_link_token(domain)
    else:
        token = make_link_token(domain)
    return reverse("domain_confirm", args=[token])


def test_an_expired_or_tampered_link_verifies_nothing_and_says_why(
    client, bank_admin, settings, monkeypatch
):
    settings.DOMAIN_LINK_HOURS = 72
    domain = add_domain(bank_admin, domain=DOMAIN, method="email", now=timezone.now())
    expired = link_for(domain, hours_ago=73, monkeypatch=monkeypatch)
    good = link_for(domain)
    token = good.split("/")[-2]
    tampered = good.replace(token, token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"))

    for address, message in (
        (expired, "This verification link has expired: links work for 72 hours."),
        (tampered, "This verification link is not valid"),
    ):
        for method in ("get", "post"):
            response = getattr(client, method)(address)
            assert response.status_code == 410
            assert message in response.content.decode()
    domain.refresh_from_db()
    assert domain.verified_at is None
    assert client.get(link_for(domain, hours_ago=71, monkeypatch=monkeypatch)).status_code == 200


def test_a_link_stops_working_when_its_domain_is_removed_even_if_added_again(client, bank_admin):
    domain = add_domain(bank_admin, domain=DOMAIN, method="email", now=timezone.now())
    old_link = link_for(domain)
    client.force_login(bank_admin.user)
    client.post(url("domain_remove", bank_admin, domain.pk))
    add_domain(bank_admin, domain=DOMAIN, method="email", now=timezone.now())
    client.logout()

    response = client.post(old_link)

    assert response.status_code == 410
    assert "the domain was removed" in response.content.decode()
    assert verified_domain_names(bank_admin.organization) == set()


def test_removing_a_verified_domain_stops_targeting_it_and_is_audited(
    client, bank_admin, dns_server
):
    client.force_login(bank_admin.user)
    add(client, bank_admin)
    domain = VerifiedDomain.objects.get()
    dns_server.records[DOMAIN] = [domain.txt_record]
    client.post(url("domain_check", bank_admin, domain.pk))
    assert address_on_verified_domain(bank_admin.organization, f"wing@{DOMAIN}")

    response = client.post(url("domain_remove", bank_admin, domain.pk), follow=True)

    assert f"{DOMAIN} removed" in response.content.decode()
    assert not address_on_verified_domain(bank_admin.organization, f"wing@{DOMAIN}")
    event = AuditEvent.objects.get(action="domain.removed")
    assert event.actor == bank_admin.user
    assert event.details == {"domain": DOMAIN, "was_verified": True}
    assert client.get(url("domain_detail", bank_admin, domain.pk)).status_code == 404


def test_only_owners_and_administrators_manage_domains(client, bank_admin):
    domain = add_domain(bank_admin, domain=DOMAIN, method="dns", now=timezone.now())
    for role in (Role.MANAGER, Role.EDUCATOR, Role.LEARNER):
        member = MembershipFactory(organization=bank_admin.organization, role=role)
        client.force_login(member.user)
        assert client.get(url("domain_list", member)).status_code == 403
        assert client.post(url("domain_list", member), {"domain": "x.example"}).status_code == 403
        for name in ("domain_check", "domain_send_link", "domain_remove"):
            assert client.post(url(name, member, domain.pk)).status_code == 403
    owner = MembershipFactory(organization=bank_admin.organization, role=Role.OWNER)
    client.force_login(owner.user)
    assert client.get(url("domain_detail", owner, domain.pk)).status_code == 200
    assert VerifiedDomain.objects.count() == 1


def test_another_organisations_admin_gets_a_404_on_every_domain_page(
    client, bank_admin, other_org_admin
):
    domain = add_domain(bank_admin, domain=DOMAIN, method="dns", now=timezone.now())
    client.force_login(other_org_admin.user)

    for org in (bank_admin, other_org_admin):  # the victim's address, and smuggled into ours
        assert client.get(url("domain_detail", org, domain.pk)).status_code == 404
        for name in ("domain_check", "domain_send_link", "domain_remove"):
            assert client.post(url(name, org, domain.pk)).status_code == 404
    assert client.get(url("domain_list", bank_admin)).status_code == 404
    assert VerifiedDomain.objects.filter(pk=domain.pk).exists()


def test_the_domain_list_costs_the_same_queries_for_three_domains_or_thirty(
    client, bank_admin, django_assert_num_queries
):
    client.force_login(bank_admin.user)
    now = timezone.now()

    def make(count):
        start = VerifiedDomain.objects.count()
        for n in range(start, start + count):
            verifier = MembershipFactory(organization=bank_admin.organization, role=Role.ADMIN)
            VerifiedDomain.objects.create(
                organization=bank_admin.organization,
                domain=f"branch{n}.example",
                method="dns",
                requested_by=verifier.user,
                requested_at=now,
                verified_at=now if n % 2 else None,
                verified_by=verifier.user if n % 2 else None,
            )

    make(3)
    with django_assert_num_queries(3):  # user, membership, domains (the session is cached)
        assert client.get(url("domain_list", bank_admin)).status_code == 200
    make(27)
    with django_assert_num_queries(3):
        page = client.get(url("domain_list", bank_admin)).content.decode()
    assert page.count("branch") >= 30


def test_check_now_and_send_link_are_rate_limited(client, bank_admin, dns_server, settings):
    settings.RATELIMIT_DOMAIN_CHECK = "3/h"
    client.force_login(bank_admin.user)
    domain = add_domain(bank_admin, domain=DOMAIN, method="dns", now=timezone.now())

    statuses = [
        client.post(url("domain_check", bank_admin, domain.pk)).status_code for _ in range(4)
    ]

    assert statuses == [302, 302, 302, 429]
    assert client.post(url("domain_send_link", bank_admin, domain.pk)).status_code == 429
    assert len(dns_server.queries) == 3
