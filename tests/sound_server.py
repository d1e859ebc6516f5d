"""A sound server for the real tier, with a microphone where this machine has none: PulseAudio with a source that
plays a 440 Hz sine (`module-sine-source`) and a sink the apps' audio plays into. An app's WebKitGTK finds the
source through GStreamer's pulse device provider, as it finds a headset on a desktop (PulseAudio, or PipeWire's
pulse server). It runs in a folder of its own; `env` is what an app needs to find it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.desktop import wait_for

MICROPHONE = "test-microphone"
MICROPHONE_PEAK = 0.5  # the sine's amplitude (module-sine-source's)


@dataclass
class SoundServer:
    folder: Path
    proc: subprocess.Popen

    @property
    def env(self) -> dict[str, str]:
        """Where an app finds the server (its own XDG_RUNTIME_DIR stays its own)."""
        return {"PULSE_SERVER": f"unix:{self.folder / 'native'}"}

    @classmethod
    def start(cls, log: Path, desktop_env: dict[str, str]) -> SoundServer:
        log.parent.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix="sound-"))
        env = {**os.environ, **desktop_env, "HOME": str(folder), "PULSE_RUNTIME_PATH": str(folder)}
        argv = [
            "pulseaudio",
            "--daemonize=no",
            "--exit-idle-time=-1",
            "-n",  # not the system's default.pa: only these modules
            "--load=module-native-protocol-unix",
            f"--load=module-sine-source source_name={MICROPHONE} frequency=440",
            "--load=module-null-sink sink_name=speakers",
        ]
        server = cls(folder, subprocess.Popen(argv, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT))
        try:
            wait_for(
                lambda: MICROPHONE in _sources(env),
                20,
                "the sound server's microphone",
                lambda: log.read_text(errors="replace")[-500:],
            )
        except BaseException:
            server.stop()
            raise
        return server

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


def _sources(env: dict[str, str]) -> str:
    return subprocess.run(["pactl", "list", "short", "sources"], env=env, capture_output=True, text=True).stdout
