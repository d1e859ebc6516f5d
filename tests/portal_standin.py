#!/usr/bin/python3
"""Test-only stand-in for xdg-desktop-portal's Camera portal.

It imitates exactly the part of ``org.freedesktop.portal.Desktop`` that
WebKitGTK 2.50's PipeWireCaptureDeviceManager / DesktopPortalCamera use
(Source/WebCore/platform/mediastream/gstreamer/DesktopPortal.cpp):

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
  socket connected to the given PipeWire daemon socket, passed as a unix fd.

WebKit calls Properties.Get and OpenPipeWireRemote with a 10 ms timeout
(s_dbusCallTimeout), so every handler answers synchronously and at once.

Usage: portal_standin.py --pipewire-socket PATH [--bus-address ADDR]
(default bus: $DBUS_SESSION_BUS_ADDRESS).  Prints ``READY <unique-name>`` on
stdout once it owns org.freedesktop.portal.Desktop, and exits with status 3
if the name is already taken.  Runs with /usr/bin/python3 + python3-gi.
"""

from __future__ import annotations

import argparse
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


class CameraPortal:
    def __init__(self, connection: Gio.DBusConnection, pipewire_socket: str) -> None:
        self.connection = connection
        self.pipewire_socket = pipewire_socket
        node = Gio.DBusNodeInfo.new_for_xml(INTROSPECTION)
        self.camera_iface = node.lookup_interface("org.freedesktop.portal.Camera")
        self.request_iface = node.lookup_interface("org.freedesktop.portal.Request")
        self.requests: dict[str, int] = {}
        connection.register_object(OBJECT_PATH, self.camera_iface, self.on_camera_call, self.on_get_property, None)

    # org.freedesktop.portal.Camera -------------------------------------------------
    def on_get_property(self, _conn, sender, _path, _iface, name):
        log(f"Get {name} from {sender}")
        if name == "IsCameraPresent":
            return GLib.Variant("b", True)
        if name == "version":
            return GLib.Variant("u", 1)
        return None

    def on_camera_call(self, _conn, sender, _path, _iface, method, params, invocation):
        log(f"{method} from {sender}")
        if method == "AccessCamera":
            self.access_camera(sender, params.unpack()[0], invocation)
        elif method == "OpenPipeWireRemote":
            self.open_pipewire_remote(invocation)
        else:
            invocation.return_dbus_error("org.freedesktop.DBus.Error.UnknownMethod", method)

    def access_camera(self, sender: str, options: dict, invocation: Gio.DBusMethodInvocation) -> None:
        token = options.get("handle_token") or f"t{GLib.random_int()}"
        path = REQUEST_PREFIX + sender[1:].replace(".", "_") + "/" + token
        if path not in self.requests:
            self.requests[path] = self.connection.register_object(
                path, self.request_iface, self.on_request_call, None, None
            )
        invocation.return_value(GLib.Variant("(o)", (path,)))
        # The reply is queued before the signal, so the caller sees them in order.
        self.connection.emit_signal(
            sender,
            path,
            "org.freedesktop.portal.Request",
            "Response",
            GLib.Variant("(ua{sv})", (0, {})),
        )
        self.connection.flush_sync(None)
        log(f"Response 0 sent to {sender} on {path}")
        self.drop_request(path)

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

    # org.freedesktop.portal.Request --------------------------------------------------
    def on_request_call(self, _conn, _sender, path, _iface, method, _params, invocation):
        if method == "Close":
            self.drop_request(path)
            invocation.return_value(None)
        else:
            invocation.return_dbus_error("org.freedesktop.DBus.Error.UnknownMethod", method)

    def drop_request(self, path: str) -> None:
        registration = self.requests.pop(path, None)
        if registration is not None:
            self.connection.unregister_object(registration)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pipewire-socket", required=True, help="path of the PipeWire daemon socket")
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
    portal = CameraPortal(connection, args.pipewire_socket)
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
