"""pywarp's launcher: runs a process type with no shell.

Usage: python3 -I pywarp_launch.py <process type> [args...]   args go to the server or program
       python3 -I pywarp_launch.py --check <server>            build-time check: can it start here?

Reads launch.json next to this file (written by the build, see src/plan/launch-data.ts) and the run-time
environment, computes the final argv and execs it (or stays as its init, see pywarp_init).
"""
import grp
import json
import os
import pwd
import shlex
import shutil
import sys
import tempfile

# -I keeps this script's own directory off sys.path.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pywarp_apache import apache_problem  # noqa: E402
from pywarp_args import LaunchError  # noqa: E402
from pywarp_init import exec_process, supervise  # noqa: E402
import pywarp_limits  # noqa: E402
from pywarp_plan import check, plan  # noqa: E402

VERSION = 1
UNPRIVILEGED = "nobody"


class Host:
    """What the launcher asks of the machine; tests pass their own."""

    def __init__(self):
        self.temp_dirs = []

    def pid(self):
        return os.getpid()

    def conditions(self):
        found = set()
        if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
            found.add("dev_shm")
        if os.geteuid() == 0:
            found.add("root")
        return found

    def limits(self):
        return pywarp_limits.read_limits()

    def host_cpus(self):
        return pywarp_limits.host_cpus()

    def server_root(self):
        path = tempfile.mkdtemp(prefix="pywarp-server-")
        os.chmod(path, 0o755)  # Apache's workers, switched to another user, read the files in it
        self.temp_dirs.append(path)
        return path

    def account(self):
        try:
            entry = pwd.getpwnam(UNPRIVILEGED)
        except KeyError:
            raise LaunchError(
                "running as root, but there is no %r account for the server's workers; run the "
                "container as a non-root user, or give --user and --group in .warpdrive/server_args" % UNPRIVILEGED
            )
        try:
            return entry.pw_name, grp.getgrgid(entry.pw_gid).gr_name
        except KeyError:
            return entry.pw_name, "#%d" % entry.pw_gid

    def apache_problem(self, data, env):
        return apache_problem(data["venv_dir"], env, data["installed"])


def load(path):
    try:
        with open(path) as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        raise LaunchError("cannot read %s: %s" % (path, e))
    if data.get("version") != VERSION:
        raise LaunchError("%s has version %r; this launcher reads version %d" % (path, data.get("version"), VERSION))
    return data


def run(p, host):
    if p.note:
        print("pywarp: starting %s: %s" % (p.note, shlex.join(p.argv)), file=sys.stderr, flush=True)
    if p.supervise:
        # A translated signal must pass through the launcher, so the child does not get the terminal
        # (whose resize SIGWINCH would stop Apache).
        status = supervise(p.argv, p.env, p.translate, p.escalate_after, foreground=not p.translate)
        for path in host.temp_dirs:
            shutil.rmtree(path, ignore_errors=True)
        return status
    try:
        exec_process(p.argv, p.env)
    except OSError as e:
        raise LaunchError("cannot run %s: %s" % (p.argv[0], e.strerror))


def enter_home(data, env):
    """Processes start in the app's sub-directory (APP_HOME, backend/...), first on PYTHONPATH."""
    home = data.get("app_home")
    if home:
        os.chdir(home)
        env["PYTHONPATH"] = home + (":" + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")


def main(argv, env, host):
    data = load(os.path.join(os.path.dirname(os.path.abspath(__file__)), "launch.json"))
    if len(argv) < 1:
        raise LaunchError("usage: pywarp_launch.py <process type> [args...] | --check <server>")
    if argv[0] == "--check" and len(argv) == 2:
        problem = check(data, argv[1], env, host)
        if problem:
            print("pywarp: " + problem, file=sys.stderr)
        return 1 if problem else 0
    enter_home(data, env)
    return run(plan(data, argv[0], env, argv[1:], host), host)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:], dict(os.environ), Host()))
    except LaunchError as e:
        print("pywarp: %s" % e, file=sys.stderr)
        sys.exit(2)
