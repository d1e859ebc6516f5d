"""CI files that build an app's installers on every OS in the user's own CI: `.github/workflows/localpack.yml`
or `.gitlab-ci.yml`, from the app's config (`workflow.py`) and the pinned actions and runners (`pins.py`).
Uses config/ and core/; only the CLI calls it."""
