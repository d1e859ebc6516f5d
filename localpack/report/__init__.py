"""A failed build → a GitHub issue: composed from the build record and its log, redacted, sent with the optional
token (or kept for a retry). Sits above build/ but uses only core/ and the top-level modules."""
