"""The compatibility site real apps are checked against: a page that drives web APIs (notifications,
permissions, storage, files, fullscreen, print, the badge, audio and video, WebGL, WebAssembly, WebSocket) and reports what it
saw back to the server. A test hands the page commands (`site.command("notify")`; the page polls `/cmd`),
and reads the reports (`site.wait_report("notify")`).

Two servers share the reports: HTTP on 127.0.0.1 (the app's site, with a Basic-auth area and a login that
sets a persistent cookie) and HTTPS on `localhost` with a self-signed certificate (`fingerprint`, the SHA-256
an app's `trusted_certificates` names)."""

from __future__ import annotations

import base64
import hashlib
import json
import queue
import ssl
import struct
import subprocess
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.testsite import free_port

USER, PASSWORD = "alice", "s3cret"
BLOCK = 100  # CSS px: the page's top blocks, each a thing a test clicks
WASM = b"\x00asm\x01\x00\x00\x00"  # the smallest valid WebAssembly module
WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

PAGE = """<!doctype html><html><head><meta charset='utf-8'><title>%(title)s</title></head>
<body style='margin:0;font:16px sans-serif'>
<div id='b0' style='height:%(block)dpx;background:#ddd'><button id='fs' style='width:100%%;height:100%%'>fullscreen</button></div>
<div id='b1' style='height:%(block)dpx'><input id='file' type='file' multiple style='width:100%%;height:100%%'></div>
<div id='b2' style='height:%(block)dpx;background:#ddd'><button id='print' style='width:100%%;height:100%%'>print</button></div>
<div id='b3' style='height:%(block)dpx'><input id='dir' type='file' webkitdirectory style='width:100%%;height:100%%'></div>
<div id='drop' style='height:%(block)dpx;background:#cfc'><span id='own' draggable='true' style='display:inline-block;width:120px;height:100%%;background:#fcc'>the page's own drag</span> drop files here</div>
<div id='b5' style='height:%(block)dpx;background:#ddd'><button id='ask' style='width:100%%;height:100%%'>notifications?</button></div>
<div id='b6' style='height:%(block)dpx'><button id='share' style='width:100%%;height:100%%'>share the screen</button></div>
<script>
var report = function (kind, extra) {
  var data = Object.assign({kind: kind, href: location.href, title: document.title,
    fullscreen: !!document.fullscreenElement}, extra || {});
  return fetch('/report/compat', {method: 'POST', body: JSON.stringify(data)});
};
var idb = function (mode, value) {
  return new Promise(function (ok) {
    var open = indexedDB.open('compat', 1);
    open.onupgradeneeded = function () { open.result.createObjectStore('kv'); };
    open.onerror = function () { ok('error ' + open.error); };
    open.onsuccess = function () {
      var tx = open.result.transaction('kv', mode), store = tx.objectStore('kv');
      var req = mode === 'readwrite' ? store.put(value, 'login') : store.get('login');
      req.onsuccess = function () { ok(mode === 'readwrite' ? 'stored' : (req.result || null)); };
      req.onerror = function () { ok('error ' + req.error); };
    };
  });
};
var cached = async function () {
  try { var r = await (await caches.open('compat')).match('/cached'); return r ? await r.text() : null; }
  catch (e) { return 'error ' + e; }
};
var fail = function (e) { return (e && (e.name || e.code)) + ': ' + (e && e.message); };
var files = function (list) {
  return Promise.all(Array.from(list).map(function (f) {
    return f.text().then(function (t) { return {name: f.name, path: f.webkitRelativePath || '', text: t.slice(0, 100)}; });
  }));
};
var state = async function () {
  var gl = document.createElement('canvas').getContext('webgl');
  var wasm;
  try { wasm = typeof (await WebAssembly.instantiateStreaming(fetch('/m.wasm'))).instance; }
  catch (e) { wasm = fail(e); }
  return {permission: typeof Notification === 'undefined' ? 'missing' : Notification.permission,
    badge: typeof navigator.setAppBadge, webgl: !!gl, wasm: wasm, media: typeof (navigator.mediaDevices || {}).getUserMedia,
    cookie: document.cookie, local: localStorage.getItem('login'), idb: await idb('readonly'), cache: await cached()};
};
var ws = function () {
  return new Promise(function (ok) {
    var sock = new WebSocket('ws://' + location.host + '/ws');
    sock.onopen = function () { sock.send('ping over a websocket'); };
    sock.onmessage = function (m) { ok(String(m.data)); sock.close(); };
    sock.onerror = function () { ok('error'); };
  });
};
var plays = function (tag, src) {
  return new Promise(function (ok) {
    var media = document.createElement(tag), over = false;
    var done = function (answer) {
      if (over) { return; }
      over = true;
      ok({answer: answer, time: media.currentTime, duration: media.duration, width: media.videoWidth || 0,
        height: media.videoHeight || 0, error: media.error ? media.error.code + ' ' + media.error.message : null});
    };
    media.onended = function () { done('ended'); };
    media.onerror = function () { done('error'); };
    media.src = src;
    document.body.appendChild(media);
    media.play().catch(function (e) { done(fail(e)); });
    setTimeout(function () { done('timeout'); }, 15000);
  });
};
var sleep = function (ms) { return new Promise(function (ok) { setTimeout(ok, ms); }); };
// getUserMedia, then what the stream carries, then the device let go, as a call ends
var capture = async function (constraints, look) {
  var stream;
  try { stream = await navigator.mediaDevices.getUserMedia(constraints); } catch (e) { return {answer: fail(e)}; }
  try {
    return Object.assign({answer: 'granted', label: stream.getTracks()[0].label}, await look(stream));
  } finally { stream.getTracks().forEach(function (t) { t.stop(); }); }
};
var listen = async function (stream) {  // the microphone's samples through Web Audio: the loudest one heard
  var ctx = new AudioContext();
  await ctx.resume();
  var analyser = ctx.createAnalyser(), samples = new Float32Array(analyser.fftSize), peak = 0;
  ctx.createMediaStreamSource(stream).connect(analyser);
  var heard = -1;  // once the tone is there, half a second more: the steady level, not the fade-in
  for (var i = 0; i < 100 && (heard < 0 || i - heard < 5); i++) {
    await sleep(100);
    analyser.getFloatTimeDomainData(samples);
    for (var j = 0; j < samples.length; j++) { peak = Math.max(peak, Math.abs(samples[j])); }
    if (heard < 0 && peak >= 0.1) { heard = i; }
  }
  await ctx.close();
  return {peak: peak};
};
var look = async function (stream) {  // the camera's picture: a frame drawn on a canvas, its centre pixel
  var video = document.createElement('video');
  video.muted = true;
  video.srcObject = stream;
  await video.play();
  for (var i = 0; i < 100 && !video.videoWidth; i++) { await sleep(100); }
  await sleep(300);  // a few frames in
  var canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  var ctx = canvas.getContext('2d');
  ctx.drawImage(video, 0, 0);
  var px = ctx.getImageData(canvas.width >> 1, canvas.height >> 1, 1, 1).data;
  video.srcObject = null;
  return {width: canvas.width, height: canvas.height, rgb: [px[0], px[1], px[2]]};
};
var actions = {
  audio: function () { return plays('audio', '/tone.wav'); },
  video: function () { return plays('video', '/clip.webm'); },
  permission: async function () { return {answer: await Notification.requestPermission()}; },
  notify: async function () {
    var n = new Notification('Hello from the page', {body: 'a message arrived', tag: 'compat', icon: '/icon.png'});
    n.onclick = function () { report('clicked', {hidden: document.hidden}); };
    n.onshow = function () { report('shown'); };
    n.onerror = function () { report('notify-error'); };
    return {made: true};
  },
  geolocation: function () {
    return new Promise(function (ok) {
      navigator.geolocation.getCurrentPosition(function () { ok({answer: 'position'}); },
        function (e) { ok({answer: e.code === 1 ? 'denied' : 'allowed-unavailable', code: e.code}); }, {timeout: 5000});
    });
  },
  camera: function () { return capture({video: true}, look); },
  microphone: function () { return capture({audio: true}, listen); },
  screen: function () { return navigator.mediaDevices.getDisplayMedia({video: true}).then(function () { return {answer: 'granted'}; }, function (e) { return {answer: fail(e)}; }); },
  clipboard: function () { return navigator.clipboard.readText().then(function (t) { return {answer: 'read', text: t}; }, function (e) { return {answer: fail(e)}; }); },
  storage: async function () {
    if (!navigator.storage) { return {answer: 'missing'}; }
    try {
      var estimate = await navigator.storage.estimate();
      return {answer: await navigator.storage.persist(), persisted: await navigator.storage.persisted(), quota: typeof estimate.quota};
    } catch (e) { return {answer: fail(e)}; }
  },
  badge: function () { return navigator.setAppBadge(7).then(function () { return {answer: 'set'}; }, function (e) { return {answer: fail(e)}; }); },
  login: async function () {
    await fetch('/login');
    localStorage.setItem('login', 'alice');
    var c = await caches.open('compat');
    await c.put('/cached', new Response('kept in the cache'));
    return {idb: await idb('readwrite', 'alice')};
  },
  state: state,
  websocket: async function () { return {answer: await ws()}; },
  hang: function () { report('hanging'); setTimeout(function () { for (;;) {} }, 200); return {}; },
  go: function (arg) { location.href = arg; return {}; }
};
var poll = async function () {
  try {
    var cmd = await (await fetch('/cmd', {cache: 'no-store'})).text();
    if (cmd) {
      var name = cmd.split(' ')[0], arg = cmd.slice(name.length + 1);
      var out;
      try { out = await actions[name](arg); } catch (e) { out = {error: fail(e)}; }
      await report(name, out);
    }
  } catch (e) {}
  setTimeout(poll, 300);
};
document.getElementById('fs').onclick = function () {
  if (document.fullscreenElement) { document.exitFullscreen(); } else { document.documentElement.requestFullscreen(); }
};
document.addEventListener('fullscreenchange', function () { report('fullscreenchange'); });
document.getElementById('ask').onclick = async function () { report('permission', await actions.permission()); };
// screen sharing, as a call site starts it: from a click; the stream let go at once
document.getElementById('share').onclick = async function () {
  try {
    var stream = await navigator.mediaDevices.getDisplayMedia({video: true});
    stream.getTracks().forEach(function (t) { t.stop(); });
    report('share', {answer: 'granted'});
  } catch (e) { report('share', {answer: fail(e)}); }
};
document.getElementById('print').onclick = function () { report('printing'); window.print(); report('printed'); };
document.getElementById('file').onchange = async function (e) { report('files', {files: await files(e.target.files)}); };
document.getElementById('dir').onchange = async function (e) { report('files', {files: await files(e.target.files)}); };
var drop = document.getElementById('drop');
// what a hostile page tries: its own drag naming a file of this machine, dropped back on itself
document.getElementById('own').ondragstart = function (e) {
  e.dataTransfer.setData('text/uri-list', 'file:///etc/hostname');
  e.dataTransfer.setData('text/plain', 'file:///etc/hostname');
};
var over = null;
drop.ondragover = function (e) {
  e.preventDefault();
  var f = e.dataTransfer.files;
  over = {files: f.length, name: f.length ? f[0].name : null, size: f.length ? f[0].size : null, types: Array.from(e.dataTransfer.types)};
};
drop.ondrop = async function (e) {
  e.preventDefault();
  var dt = e.dataTransfer;
  var sha256 = await Promise.all(Array.from(dt.files).map(async function (f) {
    var sum = new Uint8Array(await crypto.subtle.digest('SHA-256', await f.arrayBuffer()));
    return Array.from(sum).map(function (b) { return b.toString(16).padStart(2, '0'); }).join('');
  }));
  report('dropped', {files: await files(dt.files), type: dt.files.length ? dt.files[0].type : null,
    sizes: Array.from(dt.files).map(function (f) { return f.size; }), sha256: sha256, types: Array.from(dt.types), over: over});
};
window.addEventListener('load', async function () { report('load', await state()); poll(); });
</script></body></html>"""


def tone_wav(seconds: float = 1.0, rate: int = 8000) -> bytes:
    """A 440 Hz tone as 16-bit mono PCM in a WAV file."""
    import io
    import math
    import wave

    frames = b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * n / rate))) for n in range(int(seconds * rate))
    )
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(frames)
    return out.getvalue()


def clip_webm(frames: int = 20, fps: int = 10) -> bytes:
    """A 64x48 VP8 video in WebM, each frame a shade darker (PyAV, a test dependency, encodes it)."""
    import io

    import av

    out = io.BytesIO()
    with av.open(out, "w", format="webm") as container:
        stream = container.add_stream("libvpx", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(frames):
            frame = av.VideoFrame(64, 48, "yuv420p")
            for n, plane in enumerate(frame.planes):
                plane.update(bytes([(i * 12 + n * 80) % 256]) * plane.buffer_size)
            frame.pts = i
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return out.getvalue()


def self_signed(folder: Path, host: str = "localhost") -> tuple[Path, Path, str]:
    """A certificate for `host` signed by itself: (cert, key, its SHA-256 as `AB:CD:…`)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "2",
            "-subj",
            f"/CN={host}",
            "-addext",
            f"subjectAltName=DNS:{host}",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    der = ssl.PEM_cert_to_DER_cert(cert.read_text())
    digest = hashlib.sha256(der).hexdigest().upper()
    return cert, key, ":".join(digest[i : i + 2] for i in range(0, 64, 2))


class CompatSite:
    def __init__(self, folder: Path, title: str = "Compat Page") -> None:
        self.title = title
        self.port, self.tls_port = free_port(), free_port()
        self.cert, self.key, self.fingerprint = self_signed(folder)
        self.reports: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.commands: queue.Queue[str] = queue.Queue()
        self.auth_seen: list[str] = []
        self._cond = threading.Condition()
        self._servers: list[ThreadingHTTPServer] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def tls_url(self) -> str:
        return f"https://localhost:{self.tls_port}/tls"

    def command(self, cmd: str) -> None:
        self.commands.put(cmd)

    def start(self) -> None:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def send(
                self,
                status: int,
                body: bytes = b"",
                kind: str = "text/html; charset=utf-8",
                headers: dict[str, str] | None = None,
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                if path == "/cmd":
                    try:
                        cmd = site.commands.get_nowait()
                    except queue.Empty:
                        cmd = ""
                    self.send(200, cmd.encode(), "text/plain")
                elif path in ("/", "/tls"):
                    title = site.title if path == "/" else "Trusted Intranet"
                    self.send(200, (PAGE % {"title": title, "block": BLOCK}).encode())
                elif path == "/login":
                    self.send(
                        204, headers={"Set-Cookie": "session=alice-session; Max-Age=864000; Path=/; SameSite=Lax"}
                    )
                elif path == "/m.wasm":
                    self.send(200, WASM, "application/wasm")
                elif path == "/tone.wav":
                    self.send(200, tone_wav(), "audio/wav")
                elif path == "/clip.webm":
                    self.send(200, clip_webm(), "video/webm")
                elif path == "/private":
                    auth = self.headers.get("Authorization", "")
                    site.auth_seen.append(auth)
                    good = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
                    if auth != good:
                        self.send(401, b"<h1>401</h1>", headers={"WWW-Authenticate": 'Basic realm="Intranet"'})
                    else:
                        self.send(200, (PAGE % {"title": "Private Area", "block": BLOCK}).encode())
                elif path == "/ws":
                    self.websocket()
                else:
                    self.send(404, b"not here")

            def websocket(self) -> None:
                """A one-message echo over RFC 6455 (the handshake, one masked text frame in, one out)."""
                accept = base64.b64encode(
                    hashlib.sha1((self.headers["Sec-WebSocket-Key"] + WS_GUID).encode()).digest()
                ).decode()
                self.send_response(101)
                self.send_header("Upgrade", "websocket")
                self.send_header("Connection", "Upgrade")
                self.send_header("Sec-WebSocket-Accept", accept)
                self.end_headers()
                head = self.rfile.read(2)
                length = head[1] & 0x7F
                if length == 126:
                    length = struct.unpack(">H", self.rfile.read(2))[0]
                mask = self.rfile.read(4)
                data = bytes(b ^ mask[i % 4] for i, b in enumerate(self.rfile.read(length)))
                reply = b"echo: " + data
                self.wfile.write(bytes([0x81, len(reply)]) + reply)
                self.wfile.flush()
                self.close_connection = True

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                try:
                    data = json.loads(body)
                except ValueError:
                    data = {"raw": body.decode(errors="replace")}
                with site._cond:
                    site.reports[data.get("kind", "?")].append(data)
                    site._cond.notify_all()
                self.send(204)

        plain = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        tls = ThreadingHTTPServer(("127.0.0.1", self.tls_port), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        tls.socket = context.wrap_socket(tls.socket, server_side=True)
        for server in (plain, tls):
            server.daemon_threads = True
            self._servers.append(server)
            threading.Thread(target=server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        self._servers.clear()

    def clear(self) -> None:
        with self._cond:
            self.reports.clear()
        while not self.commands.empty():
            self.commands.get_nowait()

    def wait_report(self, kind: str, timeout: float = 30, after: int = 0) -> dict[str, Any]:
        """The first report of `kind` (the `after`-th and later)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.reports[kind]) <= after:
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = {k: v[-1] for k, v in self.reports.items() if v}
                    raise AssertionError(
                        f"no {kind!r} report in {timeout:.0f} s; last of each: {json.dumps(seen)[:2500]}"
                    )
                self._cond.wait(left)
            return self.reports[kind][after]

    def ask(self, cmd: str, timeout: float = 30) -> dict[str, Any]:
        """Hand the page a command and return its report."""
        kind = cmd.split(" ")[0]
        seen = len(self.reports[kind])
        self.command(cmd)
        return self.wait_report(kind, timeout, after=seen)
