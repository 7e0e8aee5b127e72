"""One job at a time per database.

`auditor run` holds an exclusive lock on ``<db>.lock`` for its whole length. An
OS-level flock is released by the kernel when the process dies, so a killed run
never leaves a stale lock behind for the next scheduled run to trip over.
"""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import AuditorError

# Exit status of a job that found the lock held: EX_TEMPFAIL, "try again later". Not a
# failure of the job (systemd: SuccessExitStatus=75), and distinct from usage errors (2).
EXIT_LOCK_HELD = 75


class LockHeld(AuditorError):
    """Another job holds the database's lock."""


@contextmanager
def job_lock(db_path: str | Path) -> Iterator[Path]:
    """Hold the lock of ``db_path`` or raise `LockHeld` at once (never wait)."""
    path = Path(f"{db_path}.lock")
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "another process"
            raise LockHeld(f"another auditor job (pid {holder}) is running on this database; try again when it ends",
                           str(db_path)) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield path
    finally:
        os.close(fd)
