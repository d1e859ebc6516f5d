"""The web engine's keys (notifications, permissions, trusted certificates): what the config accepts and
what the runtime is told in app.json."""

from __future__ import annotations

from pathlib import Path

import pytest

from localpack.config import model as config
from localpack.errors import ConfigError
from localpack.project.app_settings import settings, window_config
from tests.conftest import write_config

FP = ":".join(["ab"] * 31 + ["CD"])


def load(tmp_path: Path, behavior: str):
    text = f'[app]\nname = "a"\nurl = "https://intranet.example"\n[behavior]\n{behavior}\n'
    return config.load(write_config(tmp_path, text), {}, require_file=True)


def test_the_defaults_deny_devices_and_ask_for_notifications(tmp_path: Path) -> None:
    cfg = load(tmp_path, "")
    web = settings(cfg, [])["web"]
    assert web == {"notifications": "ask", "allow": [], "trusted_certificates": []}
    assert window_config(cfg)["dragDropEnabled"] is False  # dropped files reach the page


def test_the_runtime_gets_the_policy_and_fingerprints(tmp_path: Path) -> None:
    cfg = load(
        tmp_path,
        f'notifications = "allow"\npermissions = ["microphone", "camera"]\n'
        f'trusted_certificates = ["Bücher.example={FP}"]',
    )
    web = settings(cfg, [])["web"]
    assert web["notifications"] == "allow" and web["allow"] == ["microphone", "camera"]
    assert web["trusted_certificates"] == [{"host": "xn--bcher-kva.example", "sha256": FP.upper()}]


@pytest.mark.parametrize(
    "line",
    [
        'notifications = "always"',
        'permissions = ["camera", "usb"]',
        'trusted_certificates = ["intranet.example"]',  # no fingerprint
        f'trusted_certificates = ["*.example={FP}"]',  # one host, no glob
        f'trusted_certificates = ["intranet.example:8443={FP}"]',  # no port
        'trusted_certificates = ["intranet.example=AB:CD"]',  # too short
        f'trusted_certificates = ["intranet.example={FP}:EF"]',  # too long
        f'trusted_certificates = ["={FP}"]',
        'trusted_certificates = ["intranet.example=' + "ZZ:" * 31 + 'ZZ"]',
    ],
)
def test_bad_values_are_refused(tmp_path: Path, line: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, line)
    assert caught.value.exit_code == 2
