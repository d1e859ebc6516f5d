"""A file manager's drag source, for the real tier: a small GTK 3 window offering files as a file manager does.

Run with the system Python (PyGObject): `/usr/bin/python3 tests/drag_source.py FILE...`. Its window is titled
"drag source"; a drag started on it with the pointer (xdotool) offers the files as Nautilus does: as
`text/uri-list`, `x-special/gnome-copied-files` and GTK's text targets. It quits when a drag ends.
"""

from __future__ import annotations

import sys
from pathlib import Path

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("Gdk", "3.0")
from gi.repository import Gdk, GLib, Gtk  # noqa: E402

URI_LIST, GNOME_COPIED, TEXT = 0, 1, 2


def main(files: list[str]) -> int:
    uris = [Path(f).resolve().as_uri() for f in files]
    window = Gtk.Window(title="drag source")
    window.set_default_size(160, 120)
    window.move(0, 0)
    box = Gtk.EventBox()
    box.add(Gtk.Label(label="drag me"))
    window.add(box)
    box.drag_source_set(Gdk.ModifierType.BUTTON1_MASK, [], Gdk.DragAction.COPY)
    targets = Gtk.TargetList.new([Gtk.TargetEntry.new("x-special/gnome-copied-files", 0, GNOME_COPIED)])
    targets.add_uri_targets(URI_LIST)
    targets.add_text_targets(TEXT)  # UTF8_STRING, text/plain;charset=utf-8, … as a file manager offers them
    box.drag_source_set_target_list(targets)

    def data_get(_widget, _context, data: Gtk.SelectionData, info: int, _time: int) -> None:
        if info == URI_LIST:
            data.set_uris(uris)
        elif info == GNOME_COPIED:
            data.set(data.get_target(), 8, ("copy\n" + "\n".join(uris)).encode())
        else:
            data.set_text("\n".join(files), -1)

    box.connect("drag-data-get", data_get)
    box.connect("drag-end", lambda *_: GLib.timeout_add(200, Gtk.main_quit))
    window.connect("destroy", Gtk.main_quit)
    window.show_all()
    Gtk.main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
