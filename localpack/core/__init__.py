"""What several layers use: the subprocess wrapper and its progress line, secret masking, the host platform,
installer targets, build records, log diagnosis, the templates and their escaping. Imports only the top-level modules."""
