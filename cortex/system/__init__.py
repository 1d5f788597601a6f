"""System-facing I/O: files, subprocesses, hardware."""
