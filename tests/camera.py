"""Test-only stand-in camera for WebKitGTK's getUserMedia (no /dev/video*, no kernel modules).

WebKitGTK 2.50 lists cameras only through the xdg-desktop-portal Camera interface plus
PipeWire.  This module builds the PipeWire half, all inside one private folder:

* a private ``pipewire`` daemon (own config, socket ``<folder>/run/pipewire-0``), kept off
  every D-Bus bus and away from $HOME/$XDG_RUNTIME_DIR of the caller;
* ``wireplumber`` as session manager (it links WebKit's capture stream to the camera node;
  without it the stream is never linked), with hardware monitors, bluetooth/logind and the
  flatpak permission store switched off;
* a GStreamer producer ``videotestsrc pattern=solid-color ! pipewiresink mode=provide``
  that PipeWire lists as a ``media.class = Video/Source`` node showing one solid colour.

``start_portal`` starts the other half, ``portal_standin.py``, on a D-Bus bus the caller
chooses; it hands WebKit an fd connected to the daemon's socket.

Typical use::

    camera = Camera.start(folder / "camera")
    portal = start_portal({"DBUS_SESSION_BUS_ADDRESS": address}, camera.socket_path)
    ...  # run the app on that bus (and DISPLAY)
    stop(portal); camera.stop()

Needs the Debian packages pipewire, pipewire-bin, wireplumber, gstreamer1.0-pipewire,
gstreamer1.0-tools, gstreamer1.0-plugins-base (and python3-gi for the portal).  Python 3.11+,
standard library only.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PORTAL_SCRIPT = HERE / "portal_standin.py"
SYSTEM_PYTHON = "/usr/bin/python3"  # has python3-gi; a pyenv/venv python usually has not

PIPEWIRE_CONF = """\
# Private PipeWire daemon for the stand-in camera: no rt/portal/x11 modules, no devices.
context.properties = {
    link.max-buffers = 16
    core.daemon      = true
    core.name        = pipewire-0
    mem.allow-mlock  = false
    log.level        = 2
}
context.spa-libs = {
    audio.convert.* = audioconvert/libspa-audioconvert
    support.*       = support/libspa-support
}
context.modules = [
    { name = libpipewire-module-protocol-native }
    { name = libpipewire-module-metadata }
    { name = libpipewire-module-spa-device-factory }
    { name = libpipewire-module-spa-node-factory }
    { name = libpipewire-module-client-node }
    { name = libpipewire-module-client-device }
    { name = libpipewire-module-access args = { } }
    { name = libpipewire-module-adapter }
    { name = libpipewire-module-link-factory }
    { name = libpipewire-module-session-manager }
]
context.objects = [
    { factory = spa-node-factory
      args = { factory.name = support.node.driver node.name = Dummy-Driver
               node.group = pipewire.dummy priority.driver = 20000 } }
    { factory = spa-node-factory
      args = { factory.name = support.node.driver node.name = Freewheel-Driver
               priority.driver = 19000 node.group = pipewire.freewheel node.freewheel = true } }
]
"""

# Found in $XDG_CONFIG_HOME/wireplumber/ before /usr/share/wireplumber/.  The stock file also
# loads bluetooth.lua, whose logind plugin makes WirePlumber quit without a system bus.
WIREPLUMBER_CONF = """\
context.properties = {
  log.level = 2
  wireplumber.script-engine = lua-scripting
}
context.spa-libs = {
  audio.convert.* = audioconvert/libspa-audioconvert
  support.*       = support/libspa-support
}
context.modules = [
  { name = libpipewire-module-protocol-native }
  { name = libpipewire-module-client-node }
  { name = libpipewire-module-client-device }
  { name = libpipewire-module-adapter }
  { name = libpipewire-module-metadata }
  { name = libpipewire-module-session-manager }
]
wireplumber.components = [
  { name = libwireplumber-module-lua-scripting, type = module }
  { name = main.lua, type = config/lua }
  { name = policy.lua, type = config/lua }
]
"""

# Replaces /usr/share/wireplumber/main.lua.d/90-enable-all.lua: no alsa/v4l2/libcamera
# monitors, no flatpak permission store, no saved stream/device state.  policy.lua (the
# part that links streams to nodes) stays as shipped.
WIREPLUMBER_MAIN_LUA = """\
load_module("metadata")
default_access.properties["enable-flatpak-portal"] = false
default_access.enable()
-- Suspends a node once it is idle (no links) for session.suspend-timeout-seconds.  Needed:
-- in PipeWire 0.3.65 every consumer that disconnects keeps the buffers it held, so the
-- producer runs out after ~16-20 sessions; a suspend clears the format and all buffers.
load_script("suspend-node.lua")
"""


class CameraError(RuntimeError):
    """A part of the stand-in camera did not come up."""


def _base_env(folder: Path) -> dict[str, str]:
    """Environment for the daemons: everything points into *folder*, no bus, no display."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(folder / "home"),
        "XDG_RUNTIME_DIR": str(folder / "run"),
        "PIPEWIRE_RUNTIME_DIR": str(folder / "run"),
        "XDG_CONFIG_HOME": str(folder / "config"),
        "XDG_STATE_HOME": str(folder / "state"),
        "XDG_CACHE_HOME": str(folder / "cache"),
        "GST_REGISTRY": str(folder / "cache" / "gst-registry.bin"),
        # A bus address that cannot work: keeps libdbus from autolaunching a bus, and keeps
        # PipeWire's module-portal / WirePlumber off the portal's bus.
        "DBUS_SESSION_BUS_ADDRESS": f"unix:path={folder / 'no-bus'}",
    }


def _spawn(argv: list[str], env: Mapping[str, str], log: Path) -> subprocess.Popen[bytes]:
    with open(log, "wb") as out:
        return subprocess.Popen(
            argv,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _wait(
    what: str,
    check: Callable[[], bool],
    deadline: float,
    procs: list[subprocess.Popen[bytes]],
    poll: float = 0.02,
) -> None:
    """Poll *check()* until it returns something truthy; fail early if a process died."""
    while True:
        if check():
            return
        for proc in procs:
            if proc.poll() is not None:
                raise CameraError(f"{what}: {proc.args[0]} exited with {proc.returncode}")
        if time.monotonic() > deadline:
            raise CameraError(f"{what}: timed out")
        time.sleep(poll)


def stop(proc: subprocess.Popen, timeout: float = 3.0) -> None:
    """SIGTERM, then SIGKILL."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout)


@dataclass
class Camera:
    """A running private PipeWire daemon + WirePlumber + one solid-colour Video/Source node."""

    folder: Path
    node_name: str
    colour: tuple[int, int, int]
    width: int
    height: int
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def socket_path(self) -> Path:
        """The PipeWire daemon's socket; hand it to ``start_portal``."""
        return self.folder / "run" / "pipewire-0"

    @property
    def env(self) -> dict[str, str]:
        """What a plain PipeWire client (pw-cli, pw-dump, gst pipewiresrc) needs to reach the
        private daemon.  WebKit itself needs none of it: it gets its fd from the portal."""
        return {"PIPEWIRE_REMOTE": str(self.socket_path)}

    @classmethod
    def start(
        cls,
        folder: Path,
        *,
        colour: tuple[int, int, int] = (224, 96, 32),
        width: int = 320,
        height: int = 240,
        framerate: int = 30,
        node_name: str = "standin-camera",
        description: str = "Stand-in Camera",
        timeout: float = 20.0,
        debug: bool = False,
        suspend_timeout: float = 1.0,
    ) -> Camera:
        """Start everything in *folder* (created; must not hold a running camera) and return
        once the node is listed and a test consumer has received a frame of *colour*."""
        folder = Path(folder).resolve()
        for sub in ("run", "home", "state", "cache", "config/wireplumber/main.lua.d"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        (folder / "run").chmod(0o700)
        if (folder / "run" / "pipewire-0").exists():
            (folder / "run" / "pipewire-0").unlink()
        (folder / "pipewire.conf").write_text(PIPEWIRE_CONF)
        (folder / "config/wireplumber/wireplumber.conf").write_text(WIREPLUMBER_CONF)
        (folder / "config/wireplumber/main.lua.d/90-enable-all.lua").write_text(WIREPLUMBER_MAIN_LUA)

        camera = cls(folder, node_name, colour, width, height)
        env = _base_env(folder)
        if debug:  # verbose logs in <folder>/{pipewire,wireplumber,producer}.log
            env.update(
                PIPEWIRE_DEBUG="3",
                WIREPLUMBER_DEBUG="3",
                GST_DEBUG="pipewiresink:6,pipewirepool:6,basesink:5",
                GST_DEBUG_NO_COLOR="1",
            )
        deadline = time.monotonic() + timeout
        try:
            pw = _spawn(["pipewire", "-c", str(folder / "pipewire.conf")], env, folder / "pipewire.log")
            camera.processes["pipewire"] = pw
            _wait("pipewire socket", camera._socket_accepts, deadline, [pw])

            wp = _spawn(["wireplumber"], env, folder / "wireplumber.log")
            camera.processes["wireplumber"] = wp
            r, g, b = colour
            fields = {
                "media.class": "Video/Source",
                "media.type": "Video",
                "media.role": "Camera",
                "node.name": node_name,
                "node.description": description,
                "session.suspend-timeout-seconds": f"{suspend_timeout:g}",
            }
            # gst-launch syntax: the whole GstStructure in "...", its string values in \"...\"
            stream_props = "props," + ",".join(f'{k}=(string)\\"{v}\\"' for k, v in fields.items())
            producer = _spawn(
                [
                    "gst-launch-1.0",
                    "-q",
                    "--no-fault",
                    "videotestsrc",
                    "is-live=true",
                    "pattern=solid-color",
                    f"foreground-color={0xFF000000 | r << 16 | g << 8 | b:#010x}",
                    "!",
                    f"video/x-raw,format=RGBx,width={width},height={height},framerate={framerate}/1",
                    "!",
                    # Without drop-allocation videotestsrc renders into pipewiresink's own pool;
                    # in PipeWire 0.3.65 that pool runs dry once a consumer has come and gone
                    # (frames rendered while no one listens are never given back), and the
                    # producer never sends a frame again.  With it, pipewiresink copies each
                    # frame into a PipeWire buffer only while a consumer is streaming.
                    "identity",
                    "drop-allocation=true",
                    "!",
                    "pipewiresink",
                    "mode=provide",
                    f"client-name={node_name}",
                    f'stream-properties="{stream_props}"',
                ],
                env,
                folder / "producer.log",
            )
            camera.processes["producer"] = producer
            _wait("Video/Source node listed with buffers", camera._node_listed, deadline, [pw, wp, producer], 0.05)
            camera._probe_frame(deadline)
        except BaseException:
            camera.stop()
            raise
        return camera

    # readiness checks -------------------------------------------------------------------
    def _socket_accepts(self) -> bool:
        if not self.socket_path.exists():
            return False
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            try:
                sock.connect(str(self.socket_path))
            except OSError:
                return False
        return True

    def pw_dump(self) -> list[dict[str, Any]]:
        out = subprocess.run(
            ["pw-dump"],
            env={**_base_env(self.folder), **self.env},
            capture_output=True,
            timeout=10,
        )
        if out.returncode != 0 or not out.stdout.strip():
            return []
        return json.loads(out.stdout)

    def node_id(self) -> int:
        """The Video/Source node's PipeWire id (what a ScreenCast portal hands out as a stream)."""
        for obj in self.pw_dump():
            props = (obj.get("info") or {}).get("props") or {}
            if obj.get("type", "").endswith(":Node") and props.get("node.name") == self.node_name:
                return obj["id"]
        raise CameraError(f"no node named {self.node_name}")

    def _node_listed(self) -> bool:
        """The node is listed as Video/Source AND its output port already advertises a
        Buffers param.  pipewiresink creates the node when it gets caps but activates its
        buffer pool (which publishes Buffers) only at the first frame; a consumer that links
        in between makes it crash (gst_buffer_extract: assertion 'dest != NULL')."""
        objects = self.pw_dump()
        node_ids = {
            obj["id"]
            for obj in objects
            if obj.get("type", "").endswith(":Node")
            and obj.get("info", {}).get("props", {}).get("node.name") == self.node_name
            and obj["info"]["props"].get("media.class") == "Video/Source"
        }
        for obj in objects:
            info = obj.get("info") or {}
            if (
                obj.get("type", "").endswith(":Port")
                and info.get("direction") == "output"
                and info.get("props", {}).get("node.id") in node_ids
                and (info.get("params") or {}).get("Buffers")
            ):
                return True
        return False

    def _probe_frame(self, deadline: float) -> None:
        """Connect one throw-away consumer the way WebKit does (autoconnect, target-object):
        succeeds only once WirePlumber links streams and the producer delivers frames."""
        env = {**_base_env(self.folder), **self.env}
        argv = [
            "gst-launch-1.0",
            "-q",
            "pipewiresrc",
            f"target-object={self.node_name}",
            "client-name=standin-probe",
            "num-buffers=1",
            "!",
            "video/x-raw,format=RGBx",
            "!",
            "fakesink",
            "dump=true",
        ]
        last = ""
        while time.monotonic() < deadline:
            try:
                out = subprocess.run(
                    argv,
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=max(0.5, min(4.0, deadline - time.monotonic())),
                )
            except subprocess.TimeoutExpired:
                last = "no frame (stream not linked yet?)"
                continue
            first = out.stdout.split("\n", 1)[0]
            hexbytes = first.split(":", 1)[-1].split()[:3]
            try:
                got = tuple(int(x, 16) for x in hexbytes)
            except ValueError:
                got = ()
            if got == self.colour:
                return
            last = f"unexpected probe output {first!r} {out.stderr[-300:]!r}"
            time.sleep(0.1)
        raise CameraError(f"frame probe failed: {last}")

    # teardown -----------------------------------------------------------------------------
    def stop(self) -> None:
        for name in ("producer", "wireplumber", "pipewire"):
            proc = self.processes.pop(name, None)
            if proc is not None:
                stop(proc)


def start_portal(
    bus_env: Mapping[str, str],
    pipewire_socket: Path | str,
    *,
    screen_node: int | None = None,
    events: Path | None = None,
    log: Path | None = None,
    timeout: float = 10.0,
    verbose: bool = False,
) -> subprocess.Popen[bytes]:
    """Start portal_standin.py on the bus named by ``bus_env["DBUS_SESSION_BUS_ADDRESS"]`` and
    return once it owns org.freedesktop.portal.Desktop (it prints ``READY`` after RequestName
    answered PRIMARY_OWNER).  Its ScreenCast picker hands out ``screen_node``; ``events`` gets a
    JSON line per portal call.  Stop it with ``terminate()``."""
    address = bus_env.get("DBUS_SESSION_BUS_ADDRESS")
    if not address:
        raise CameraError("bus_env needs DBUS_SESSION_BUS_ADDRESS")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **bus_env}
    if verbose:
        env["PORTAL_STANDIN_VERBOSE"] = "1"
    stderr = open(log, "wb") if log else subprocess.DEVNULL
    try:
        proc = subprocess.Popen(
            [SYSTEM_PYTHON, str(PORTAL_SCRIPT), "--pipewire-socket", str(pipewire_socket)]
            + (["--screen-node", str(screen_node)] if screen_node is not None else [])
            + (["--events", str(events)] if events else []),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=stderr,
            start_new_session=True,
        )
    finally:
        if log:
            stderr.close()
    assert proc.stdout is not None
    line = b""
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        while not line.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not sel.select(remaining):
                stop(proc)
                raise CameraError("portal stand-in: timed out waiting for READY")
            chunk = os.read(proc.stdout.fileno(), 256)
            if not chunk:
                proc.wait()
                raise CameraError(f"portal stand-in exited with {proc.returncode}")
            line += chunk
    if not line.startswith(b"READY"):
        stop(proc)
        raise CameraError(f"portal stand-in said {line!r}")
    return proc
