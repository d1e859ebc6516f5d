"""Import a PakePlus project (`ppconfig.json`) as localpack config values.

Every field, at every depth PakePlus writes settings (the top level, `desktop.*`, `more.*`,
`more.windows.*`), ends in exactly one of four places, recorded in `Imported.fates`:

- mapped to a localpack key (with a note when the value had to change);
- a repeat of another field (`desktop.showName` of `showName`, `more.windows.title`…), checked
  for agreement; a disagreement is a note;
- named in the warning: a setting localpack has no equivalent for, or an unknown field;
- named in the "not imported" line: PakePlus's own bookkeeping (repository names, build-script
  paths, a GitHub error reply it saved into the file) and settings left at PakePlus's default.

Which copy wins where PakePlus keeps two: PakePlus 2.x builds the desktop app from the `desktop`
section (its GUI edits `desktop.single`, `state`, `debug`, `tauriApi`, `desc` there and copies name,
title, version and URL into it when it publishes) and from `more.windows` (the window as built). So
`desktop.*` wins over the stale top-level copies, `more.windows.width/height` over `width/height`,
and the top level wins for name, title, version and URL. A `desktop` section whose `name` is not
the project's belongs to another project (PakePlus's template) and is not used.

A field of the wrong type stops the import (exit 2) with the file and the field. The base64 icon,
`customJs` and a converted icon come back as file contents (`Imported.files`): the caller writes them
(next to the new localpack.toml for `init`, in the cache for `--from-pakeplus` on render/build, see
`project/pakeplus_files.py`). The messages for the user come back as data (`Imported.messages()`): the
caller prints them.

The modules: `files` reads the file and its icons; `fields` is the field map (a row per field: its type,
its localpack key, its fate; the plain copies come from `keys.KEYS`' `pakeplus`); `importer` applies the
map and holds the special cases (`identity` those of the names, version and description); `result` is what
an import gives.
"""

from localpack.config.pakeplus.fields import (
    FATES,
    FIELDS,
    IGNORED,
    MAPPED,
    NAMED,
    SAME,
    Field,
)
from localpack.config.pakeplus.files import MAX_BYTES, as_png, image_kind, read
from localpack.config.pakeplus.identity import kebab_name, semver
from localpack.config.pakeplus.importer import convert
from localpack.config.pakeplus.result import INFO, WARNING, Imported, Message, tell

__all__ = [
    "FATES",
    "FIELDS",
    "IGNORED",
    "INFO",
    "MAPPED",
    "MAX_BYTES",
    "NAMED",
    "SAME",
    "WARNING",
    "Field",
    "Imported",
    "Message",
    "as_png",
    "convert",
    "image_kind",
    "kebab_name",
    "read",
    "semver",
    "tell",
]
