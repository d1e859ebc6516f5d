"""`localpack ui`: the whole tool on a page in the user's own browser, served on 127.0.0.1.

A floor beside `cli/` (neither imports the other): thin Starlette pages over the same code as the CLI
(config validation and init's file writer, the PakePlus import, doctor, build records, report, token).
Builds run as `python -m localpack build --json --events` child processes through `core.proc`, so a
build here is exactly a CLI build, and Cancel is the wrapper's tree kill.

- `guard.py`: who may talk to the server (per-run secret, Host, Origin, headers).
- `i18n.py`: English and Simplified Chinese, from Accept-Language or the page's switch.
- `form.py`: the New app form, generated from the config model, and its values → config overrides.
- `jobs.py`: the builds this server runs, their events and results.
- `pages/`: one module per page, and the routing table; `server.py`: starting and stopping uvicorn.
"""
