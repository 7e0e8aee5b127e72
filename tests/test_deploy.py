"""The scheduling recipes in deploy/ run as written: the cron entry's and the systemd
service's command lines, with only their paths pointed at a temporary database and
the sample portal, produce a report; a run that finds the lock held is skipped with
one line and the exit status the service declares successful."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.lock import EXIT_LOCK_HELD
from sampleportal import SamplePortal

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
HOLD = """
import sys, time
from auditor.lock import job_lock
with job_lock(sys.argv[1]):
    print("held", flush=True)
    time.sleep(120)
"""


def cron_entry() -> tuple[dict[str, str], list[str], str]:
    """(environment, the job's schedule + user fields, its command) from deploy/cron/auditor.cron."""
    env, jobs = {}, []
    for line in (DEPLOY / "cron" / "auditor.cron").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if re.match(r"^[A-Z_]+=", line):
            name, _, value = line.partition("=")
            env[name] = value
        else:
            jobs.append(line.split(None, 6))
    assert len(jobs) == 1
    return env, jobs[0][:6], jobs[0][6]


def unit_file(name: str) -> dict[str, list[str]]:
    """A systemd unit's keys (each with every value given)."""
    keys: dict[str, list[str]] = {}
    for line in (DEPLOY / "systemd" / name).read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            keys.setdefault(key.strip(), []).append(value.strip())
    return keys


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The sample portal, an `auditor` executable on PATH, and the paths a job writes to."""
    tmp = tmp_path_factory.mktemp("deploy")
    bin_dir = tmp / "bin"
    bin_dir.mkdir()
    (bin_dir / "auditor").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m auditor "$@"\n')
    (bin_dir / "auditor").chmod(0o755)
    with SamplePortal(pages=600) as portal:
        yield {"portal": str(portal.config_path), "db": str(tmp / "audit.db"), "bin": str(bin_dir), "tmp": tmp,
               "as_of": portal.info.as_of.isoformat()}


def cron_command(site, out: Path) -> tuple[str, dict[str, str]]:
    env, fields, command = cron_entry()
    schedule, user = fields[:5], fields[5]
    assert len(schedule) == 5 and user == "auditor"
    assert env["AUDITOR_AS_OF"] == ""  # as written: the day of the run
    env.update(AUDITOR_PORTAL=site["portal"], AUDITOR_DB=site["db"], AUDITOR_OUT=str(out), AUDITOR_AS_OF=site["as_of"],
               AUDITOR_LOG=str(out.parent / "run.log"), PATH=f"{site['bin']}:{env['PATH']}")
    return command, env


def systemd_command(site, out: Path) -> tuple[list[str], dict[str, str]]:
    """The service's command line and, as systemd gives it, its environment."""
    service = unit_file("auditor.service")
    env = dict(e.split("=", 1) for e in service["Environment"])
    assert env["AUDITOR_AS_OF"] == ""  # as written: the day of the run
    env.update(AUDITOR_PORTAL=site["portal"], AUDITOR_DB=site["db"], AUDITOR_OUT=str(out), AUDITOR_AS_OF=site["as_of"])
    argv = shlex.split(re.sub(r"\$\{(\w+)\}", lambda m: env[m.group(1)], service["ExecStart"][0]))
    assert Path(argv[0]).name == "auditor"
    return [str(Path(site["bin"]) / "auditor"), *argv[1:]], {**os.environ, **env}


def assert_report(out: Path) -> None:
    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert (out / "index.html").exists() and findings["run"]["pages"] > 500 and findings["findings"]


def test_cron_entry_runs_the_job_as_written(site):
    out = site["tmp"] / "cron" / "report"
    out.parent.mkdir()
    command, env = cron_command(site, out)
    done = subprocess.run(["/bin/sh", "-c", command], env=env, cwd=site["tmp"])
    assert done.returncode == 0
    assert_report(out)
    assert str(out / "index.html") in (out.parent / "run.log").read_text(encoding="utf-8")


def test_systemd_timer_starts_the_service_whose_command_runs_as_written(site):
    timer = unit_file("auditor.timer")
    assert timer["Unit"] == ["auditor.service"] and timer["OnCalendar"] and timer["WantedBy"] == ["timers.target"]
    out = site["tmp"] / "systemd"
    argv, env = systemd_command(site, out)
    done = subprocess.run(argv, env=env, cwd=site["tmp"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert_report(out)


def test_a_run_finding_the_lock_held_is_skipped_with_one_line(site):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, site["db"]], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        out = site["tmp"] / "locked"
        argv, senv = systemd_command(site, out)
        done = subprocess.run(argv, env=senv, cwd=site["tmp"], capture_output=True, text=True)
        command, env = cron_command(site, site["tmp"] / "cron-locked" / "report")
        (site["tmp"] / "cron-locked").mkdir()
        cron = subprocess.run(["/bin/sh", "-c", command], env=env, cwd=site["tmp"])
    finally:
        holder.kill()
        holder.wait()
    # systemd counts the skipped run a success; nothing was crawled or written
    assert [str(EXIT_LOCK_HELD)] == unit_file("auditor.service")["SuccessExitStatus"]
    assert done.returncode == EXIT_LOCK_HELD and not out.exists()
    assert done.stderr == f"auditor: {site['db']}: another auditor job (pid {holder.pid}) is running on this " \
                          "database; try again when it ends\n"
    assert cron.returncode == EXIT_LOCK_HELD
    assert (site["tmp"] / "cron-locked" / "run.log").read_text(encoding="utf-8") == done.stderr
