"""A real IMAP server for the report-mailbox tests: Debian's dovecot on loopback, started
with a configuration of its own in a temporary folder (.ci/run installs dovecot-imapd)."""

import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from imap_tools import MailBoxUnencrypted

from tests.conftest import free_port, service_missing, wait_for_port

DOVECOT = "/usr/sbin/dovecot"
CONFIG = """
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
mail_location = maildir:{root}/mail/%u
default_internal_user = {internal}
default_login_user = {login}
first_valid_uid = {uid}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    port = {port}
  }}
}}
service anvil {{
  chroot =
}}
"""


@dataclass
class ImapServer:
    host: str
    port: int
    username: str
    password: str

    def deliver(self, message: bytes) -> None:
        """A message arrives in the mailbox, as the mail server would put it there."""
        with MailBoxUnencrypted(self.host, self.port).login(self.username, self.password) as box:
            box.append(message, "INBOX")


@pytest.fixture
def imap_server():
    if not Path(DOVECOT).exists():
        service_missing("dovecot is not installed (apt-get install dovecot-imapd)")
    # Short: dovecot's sockets live under base_dir, and a socket path has ~100 characters.
    root = Path(tempfile.mkdtemp(prefix="imap-"))
    root.chmod(0o755)  # dovecot's auth process reads the users file as its own user
    if os.geteuid() == 0:  # dovecot's own users, from the package, run its processes
        internal, login, mail_user = "dovecot", "dovenull", pwd.getpwnam("dovecot")
    else:
        me = pwd.getpwuid(os.geteuid())
        internal = login = me.pw_name
        mail_user = me
    for folder in ("mail", "home"):
        (root / folder).mkdir()
        os.chown(root / folder, mail_user.pw_uid, mail_user.pw_gid)
    server = ImapServer("127.0.0.1", free_port(), "reports@harbourbank.example", "s3cret-Mailbox")
    (root / "users").write_text(f"{server.username}:{{PLAIN}}{server.password}::::\n")
    (root / "dovecot.conf").write_text(CONFIG.format(
        root=root, port=server.port, internal=internal, login=login,
        uid=mail_user.pw_uid, gid=mail_user.pw_gid,
    ))  # fmt: skip
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(root / "dovecot.conf")])
    try:
        wait_for_port(server.port, process)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)
