"""Finding and verifying the external tools a build needs."""
