"""The app config: localpack.toml (or a PakePlus ppconfig.json) plus flags → one validated `AppConfig`, and the
commented file `init` writes. Imports only core/ and the top-level modules; the layers above trust what it returns."""
