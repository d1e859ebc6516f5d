#!/usr/bin/python3
"""Test-only stand-in for xdg-desktop-portal's Camera and ScreenCast portals.

It imitates exactly the part of ``org.freedesktop.portal.Desktop`` that
WebKitGTK 2.50's PipeWireCaptureDeviceManager / DesktopPortalCamera and
GStreamerDisplayCaptureDeviceManager / DesktopPortalScreenCast use
(Source/WebCore/platform/mediastream/gstreamer/DesktopPortal.cpp and
GStreamerDisplayCaptureDeviceManager.cpp):

* object ``/org/freedesktop/portal/desktop``, interface
  ``org.freedesktop.portal.Camera`` with the properties ``IsCameraPresent``
  (b, always true) and ``version`` (u, 1), read through
  ``org.freedesktop.DBus.Properties.Get``;
* ``AccessCamera(a{sv} options) -> o handle``: returns the request object
  path ``/org/freedesktop/portal/desktop/request/<sender>/<handle_token>``
  (sender = caller's unique name without ':' and with '.' -> '_'), exports a
  ``org.freedesktop.portal.Request`` object there and, right after the
  method reply, emits ``Request.Response(u 0, a{sv} {})`` on it, addressed
  to the caller (unicast, like the real portal: WebKit subscribes with
  G_DBUS_SIGNAL_FLAGS_NO_MATCH_RULE, so a broadcast would never reach it);
  the user is never asked, access is always granted;
* ``OpenPipeWireRemote(a{sv} options) -> h fd``: a fresh AF_UNIX stream
  socket connected to the given PipeWire daemon socket, passed as a unix fd;
* interface ``org.freedesktop.portal.ScreenCast`` (property ``version`` u 4):
  ``CreateSession(a{sv}) -> o``, ``SelectSources(o session, a{sv}) -> o``,
  ``Start(o session, s parent, a{sv}) -> o`` (its Response carries
  ``streams = [(node, {...})]``, the node given by ``--screen-node``) and
  ``OpenPipeWireRemote(o session, a{sv}) -> h``; the session object
  (``.../session/<sender>/<session_handle_token>``, interface
  ``org.freedesktop.portal.Session``) answers ``Close``.  WebKit subscribes
  to a ScreenCast request's Response only after the method returned, so
  those Responses come 200 ms later, as a real picker's would (after the
  user chose); the user always picks the one screen.

WebKit calls Properties.Get, the ScreenCast methods and OpenPipeWireRemote
with a 10 ms timeout (s_dbusCallTimeout), so every handler answers at once.
With ``--events FILE`` every portal call is appended to FILE as a JSON line
(``{"method": ..., "sender": ...}``): what a user would see as the system's
camera question or screen picker.

Usage: portal_standin.py --pipewire-socket PATH [--screen-node ID]
[--events FILE] [--bus-address ADDR]
(default bus: $DBUS_SESSION_BUS_ADDRESS).  Prints ``READY <unique-name>`` on
stdout once it owns org.freedesktop.portal.Desktop, and exits with status 3
if the name is already taken.  Runs with /usr/bin/python3 + python3-gi.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import sys

import gi

gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

BUS_NAME = "org.freedesktop.portal.Desktop"
OBJECT_PATH = "/org/freedesktop/portal/desktop"
REQUEST_PREFIX = OBJECT_PATH + "/request/"
SESSION_PREFIX = OBJECT_PATH + "/session/"

INTROSPECTION = """
<node>
  <interface name="org.freedesktop.portal.Camera">
    <method name="AccessCamera">
      <arg type="a{sv}" name="options" direction="in"/>
      <arg type="o" name="handle" direction="out"/>
    </method>
    <method name="OpenPipeWireRemote">
      <arg type="a{sv}" name="options" direction="in"/>
      <arg type="h" name="fd" direction="out"/>
    </method>
    <property name="IsCameraPresent" type="b" access="read"/>
    <property name="version" type="u" access="read"/>
  </interface>
  <interface name="org.freedesktop.portal.ScreenCast">
    <method name="CreateSession">
      <arg type="a{sv}" name="options" direction="in"/>
      <arg type="o" name="handle" direction="out"/>
    </method>
    <method name="SelectSources">
      <arg type="o" name="session_handle" direction="in"/>
      <arg type="a{sv}" name="options" direction="in"/>
      <arg type="o" name="handle" direction="out"/>
    </method>
    <method name="Start">
      <arg type="o" name="session_handle" direction="in"/>
      <arg type="s" name="parent_window" direction="in"/>
      <arg type="a{sv}" name="options" direction="in"/>
      <arg type="o" name="handle" direction="out"/>
    </method>
    <method name="OpenPipeWireRemote">
      <arg type="o" name="session_handle" direction="in"/>
      <arg type="a{sv}" name="options" direction="in"/>
      <arg type="h" name="fd" direction="out"/>
    </method>
    <property name="AvailableSourceTypes" type="u" access="read"/>
    <property name="AvailableCursorModes" type="u" access="read"/>
    <property name="version" type="u" access="read"/>
  </interface>
  <interface name="org.freedesktop.portal.Session">
    <method name="Close"/>
    <signal name="Closed">
      <arg type="a{sv}" name="details"/>
    </signal>
  </interface>
  <interface name="org.freedesktop.portal.Request">
    <method name="Close"/>
    <signal name="Response">
      <arg type="u" name="response"/>
      <arg type="a{sv}" name="results"/>
    </signal>
  </interface>
</node>
"""


def log(message: str) -> None:
    if os.environ.get("PORTAL_STANDIN_VERBOSE"):
        print(f"portal-standin: {message}", file=sys.stderr, flush=True)


SCREEN_DELAY_MS = 200  # a ScreenCast Response comes after WebKit subscribed to it (see the docstring)


class DesktopPortal:
    def __init__(
        self, connection: Gio.DBusConnection, pipewire_socket: str, screen_node: int | None, events: str | None
    ) -> None:
        self.connection = connection
        self.pipewire_socket = pipewire_socket
        self.screen_node = screen_node
        self.events = events
        node = Gio.DBusNodeInfo.new_for_xml(INTROSPECTION)
        self.request_iface = node.lookup_interface("org.freedesktop.portal.Request")
        self.session_iface = node.lookup_interface("org.freedesktop.portal.Session")
        self.objects: dict[str, int] = {}
        for name in ("org.freedesktop.portal.Camera", "org.freedesktop.portal.ScreenCast"):
            connection.register_object(
                OBJECT_PATH, node.lookup_interface(name), self.on_call, self.on_get_property, None
            )

    def record(self, method: str, sender: str, **details: object) -> None:
        log(f"{method} from {sender} {details}")
        if self.events:
            with open(self.events, "a", encoding="utf-8") as out:
                out.write(json.dumps({"method": method, "sender": sender, **details}) + "\n")

    def on_get_property(self, _conn, sender, _path, iface, name):
        log(f"Get {iface}.{name} from {sender}")
        if iface.endswith(".Camera"):
            return {"IsCameraPresent": GLib.Variant("b", True), "version": GLib.Variant("u", 1)}.get(name)
        # ScreenCast: monitors and windows, cursor hidden/embedded/metadata, version 4
        return {
            "AvailableSourceTypes": GLib.Variant("u", 3),
            "AvailableCursorModes": GLib.Variant("u", 7),
            "version": GLib.Variant("u", 4),
        }.get(name)

    def on_call(self, _conn, sender, _path, iface, method, params, invocation):
        args = params.unpack()
        kind = iface.rsplit(".", 1)[-1]
        if kind == "Camera" and method == "AccessCamera":
            self.record("AccessCamera", sender)
            path = self.request(sender, args[0])
            invocation.return_value(GLib.Variant("(o)", (path,)))
            self.respond(sender, path, {})  # the reply is queued before the signal: the caller sees them in order
        elif method == "OpenPipeWireRemote":
            self.record(f"{kind}.OpenPipeWireRemote", sender)
            self.open_pipewire_remote(invocation)
        elif kind == "ScreenCast" and method in ("CreateSession", "SelectSources", "Start"):
            self.screen_cast(sender, method, args, invocation)
        else:
            invocation.return_dbus_error("org.freedesktop.DBus.Error.UnknownMethod", method)

    def screen_cast(self, sender: str, method: str, args: tuple, invocation: Gio.DBusMethodInvocation) -> None:
        options = args[-1]
        if method == "CreateSession":
            session = SESSION_PREFIX + sender[1:].replace(".", "_") + "/" + options.get("session_handle_token", "s")
            self.export(session, self.session_iface)
            results = {"session_handle": GLib.Variant("s", session)}
            self.record(method, sender, session=session)
        elif method == "SelectSources":
            results = {}
            self.record(method, sender, session=args[0], types=options.get("types"), multiple=options.get("multiple"))
        else:  # Start: the user picked the one screen
            if self.screen_node is None:
                results = None
            else:
                stream = (self.screen_node, {"source_type": GLib.Variant("u", 1)})
                results = {"streams": GLib.Variant("a(ua{sv})", [stream])}
            self.record(method, sender, session=args[0], node=self.screen_node)
        path = self.request(sender, options)
        invocation.return_value(GLib.Variant("(o)", (path,)))
        GLib.timeout_add(SCREEN_DELAY_MS, self.respond, sender, path, results)

    def request(self, sender: str, options: dict) -> str:
        token = options.get("handle_token") or f"t{GLib.random_int()}"
        path = REQUEST_PREFIX + sender[1:].replace(".", "_") + "/" + token
        self.export(path, self.request_iface)
        return path

    def respond(self, sender: str, path: str, results: dict | None) -> bool:
        """Request.Response to the caller only: 0 and `results`, or 2 (ended) when there is nothing to give."""
        answer = (0, results) if results is not None else (2, {})
        self.connection.emit_signal(
            sender, path, "org.freedesktop.portal.Request", "Response", GLib.Variant("(ua{sv})", answer)
        )
        self.connection.flush_sync(None)
        log(f"Response {answer[0]} sent to {sender} on {path}")
        self.unexport(path)
        return False  # once, as a GLib timeout

    def open_pipewire_remote(self, invocation: Gio.DBusMethodInvocation) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC)
        try:
            sock.connect(self.pipewire_socket)
        except OSError as error:
            sock.close()
            invocation.return_dbus_error("org.freedesktop.portal.Error.Failed", f"cannot connect to PipeWire: {error}")
            return
        fd_list = Gio.UnixFDList.new()
        index = fd_list.append(sock.fileno())  # duplicates the fd
        sock.close()
        invocation.return_value_with_unix_fd_list(GLib.Variant("(h)", (index,)), fd_list)
        log(f"handed out a PipeWire fd for {self.pipewire_socket}")

    # request and session objects: Close ends them ----------------------------------------------
    def export(self, path: str, iface: Gio.DBusInterfaceInfo) -> None:
        if path not in self.objects:
            self.objects[path] = self.connection.register_object(path, iface, self.on_close, None, None)

    def on_close(self, _conn, sender, path, iface, method, _params, invocation):
        if method != "Close":
            invocation.return_dbus_error("org.freedesktop.DBus.Error.UnknownMethod", method)
            return
        if iface.endswith(".Session"):
            self.record("Session.Close", sender, session=path)
        self.unexport(path)
        invocation.return_value(None)

    def unexport(self, path: str) -> None:
        registration = self.objects.pop(path, None)
        if registration is not None:
            self.connection.unregister_object(registration)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pipewire-socket", required=True, help="path of the PipeWire daemon socket")
    parser.add_argument("--screen-node", type=int, help="PipeWire node the ScreenCast picker hands out")
    parser.add_argument("--events", help="append each portal call to this file, a JSON line each")
    parser.add_argument("--bus-address", default=os.environ.get("DBUS_SESSION_BUS_ADDRESS"))
    args = parser.parse_args()
    if not args.bus_address:
        print("portal-standin: no bus address (DBUS_SESSION_BUS_ADDRESS)", file=sys.stderr)
        return 2

    connection = Gio.DBusConnection.new_for_address_sync(
        args.bus_address,
        Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
        None,
        None,
    )
    portal = DesktopPortal(connection, args.pipewire_socket, args.screen_node, args.events)
    # Export the object first, then take the name: whoever sees the name sees a complete portal.
    reply = connection.call_sync(
        "org.freedesktop.DBus",
        "/org/freedesktop/DBus",
        "org.freedesktop.DBus",
        "RequestName",
        GLib.Variant("(su)", (BUS_NAME, 4)),  # DBUS_NAME_FLAG_DO_NOT_QUEUE
        GLib.VariantType("(u)"),
        Gio.DBusCallFlags.NONE,
        -1,
        None,
    )
    if reply.unpack()[0] != 1:  # DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER
        print(f"portal-standin: {BUS_NAME} is already owned", file=sys.stderr)
        return 3

    loop = GLib.MainLoop()
    connection.connect("closed", lambda *_: loop.quit())
    for signum in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signum, loop.quit)
    print(f"READY {connection.get_unique_name()}", flush=True)
    loop.run()
    del portal
    return 0


if __name__ == "__main__":
    sys.exit(main())
