import subprocess
import sys

import pytest

from auditor.lock import LockHeld, job_lock

HOLD = """
import sys, time
from auditor.lock import job_lock
with job_lock(sys.argv[1]):
    print("held", flush=True)
    time.sleep(60)
"""


def test_second_job_on_the_same_db_refuses_with_a_clear_message(tmp_path):
    db = tmp_path / "audit.db"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(LockHeld) as err:
            with job_lock(db):
                pass
        assert f"pid {holder.pid}" in str(err.value) and str(db) in str(err.value)
    finally:
        holder.kill()
        holder.wait()
    # the kernel drops a dead process's lock: the next run goes ahead
    with job_lock(db):
        pass


def test_lock_is_released_after_each_job(tmp_path):
    db = tmp_path / "audit.db"
    for _ in range(2):
        with job_lock(db) as path:
            assert path.exists()
