import pytest
from django.core.management import call_command

from tests.content.builders import write_pack


@pytest.fixture
def loaded_pack(db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media-root"
    call_command("load_content", str(write_pack(tmp_path / "pack")))
    return tmp_path / "pack"
