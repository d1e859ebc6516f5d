"""A stand-in desktop notification service for the real tier, run on a test desktop's session bus.

It owns `org.freedesktop.Notifications` (the freedesktop notification spec: Notify, CloseNotification,
GetCapabilities, GetServerInformation, the ActionInvoked and NotificationClosed signals) and also listens
for the launcher-entry count (`com.canonical.Unity.LauncherEntry.Update`), as a dock would. Everything it
sees is one JSON line on stdout; a line `click ID` on stdin clicks notification ID (ActionInvoked
"default"), as a user clicking the bubble. Built on dbus-fast (pure Python, asyncio).

    python -m tests.notify_service          # DBUS_SESSION_BUS_ADDRESS names the bus
"""

import asyncio
import itertools
import json
import os
import sys
import threading
from typing import Any

from dbus_fast import BusType, Message, MessageType, Variant
from dbus_fast.aio import MessageBus
from dbus_fast.service import ServiceInterface, method, signal

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"


def plain(value: Any) -> Any:
    if isinstance(value, Variant):
        return plain(value.value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, bytes):
        return len(value)
    return value


def say(event: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


class Notifications(ServiceInterface):
    def __init__(self) -> None:
        super().__init__(NAME)
        self._ids = itertools.count(1)

    @method()
    def Notify(
        self,
        app_name: "s",
        replaces_id: "u",
        app_icon: "s",
        summary: "s",
        body: "s",
        actions: "as",
        hints: "a{sv}",
        expire_timeout: "i",
    ) -> "u":
        nid = replaces_id or next(self._ids)
        say(
            {
                "event": "notify",
                "id": nid,
                "app_name": app_name,
                "app_icon": app_icon,
                "summary": summary,
                "body": body,
                "actions": actions,
                "hints": plain(hints),
                "expire_timeout": expire_timeout,
            }
        )
        return nid

    @method()
    def CloseNotification(self, nid: "u"):
        say({"event": "close", "id": nid})
        self.NotificationClosed(nid, 3)

    @method()
    def GetCapabilities(self) -> "as":
        return ["actions", "body", "icon-static"]

    @method()
    def GetServerInformation(self) -> "ssss":
        return ["localpack-test", "localpack", "1", "1.2"]

    @signal()
    def ActionInvoked(self, nid: int, key: str) -> "us":
        return [nid, key]

    @signal()
    def NotificationClosed(self, nid: int, reason: int) -> "uu":
        return [nid, reason]


async def main() -> None:
    bus = await MessageBus(bus_type=BusType.SESSION, bus_address=os.environ["DBUS_SESSION_BUS_ADDRESS"]).connect()
    service = Notifications()
    bus.export(PATH, service)
    await bus.request_name(NAME)

    def on_message(msg: Message) -> None:
        if msg.message_type == MessageType.SIGNAL and msg.interface == "com.canonical.Unity.LauncherEntry":
            say({"event": "launcher", "member": msg.member, "path": msg.path, "body": plain(msg.body)})

    bus.add_message_handler(on_message)
    await bus.call(
        Message(
            destination="org.freedesktop.DBus",
            path="/org/freedesktop/DBus",
            interface="org.freedesktop.DBus",
            member="AddMatch",
            signature="s",
            body=["type='signal',interface='com.canonical.Unity.LauncherEntry'"],
        )
    )
    loop = asyncio.get_running_loop()
    done = asyncio.Event()

    def read_commands() -> None:
        for line in sys.stdin:
            words = line.split()
            if len(words) == 2 and words[0] == "click":
                loop.call_soon_threadsafe(service.ActionInvoked, int(words[1]), "default")
        loop.call_soon_threadsafe(done.set)

    threading.Thread(target=read_commands, daemon=True).start()
    say({"event": "ready"})
    await done.wait()


if __name__ == "__main__":
    asyncio.run(main())
