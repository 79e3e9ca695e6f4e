"""pywarp's launcher: runs a process type with no shell.

Usage: python3 -I pywarp_launch.py <process type> [args...]   args go to the server or program
       python3 -I pywarp_launch.py --check <server>            build-time check: can it start here?

Reads launch.json next to this file (written by the build, see src/plan/launch-data.ts) and the run-time
environment, computes the final argv and execs it, or stays as its parent (every server; a program as
PID 1), see pywarp_init.
"""
import os
import sys

# -I keeps this script's own directory off sys.path.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pywarp_init import block_signals, exec_process, supervise  # noqa: E402

if __name__ == "__main__":
    block_signals()  # first of all: from here on a SIGTERM waits until the server can take it (pywarp_init)

import grp  # noqa: E402
import json  # noqa: E402
import pwd  # noqa: E402
import shlex  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import tempfile  # noqa: E402

from pywarp_access import blocking_path  # noqa: E402
from pywarp_apache import apache_problem  # noqa: E402
from pywarp_args import LaunchError  # noqa: E402
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

    def account(self, data):
        """The account Apache's workers run under when started as root: nobody, or else the owner of what
        they read when nobody cannot read it (a venv under root's 0700 home would crash them in a loop)."""
        paths = [data["app_dir"], data["venv_dir"]] + _python_home(data["venv_dir"])
        try:
            entry = pwd.getpwnam(UNPRIVILEGED)
        except KeyError:
            raise LaunchError(
                "running as root, but there is no %r account for the server's workers; run the "
                "container as a non-root user, or give --user and --group in .warpdrive/server_args" % UNPRIVILEGED
            )
        blocked = _blocking(paths, entry)
        if blocked:
            owner = _owner(blocked[0])
            if owner is None or _blocking(paths, owner):
                raise LaunchError(
                    "running as root, Apache's workers run as %r, which cannot read %s (needed: %s); run as a "
                    "non-root user, make it readable (chmod o+rx on the directories), or give --user and --group "
                    "in .warpdrive/server_args" % (UNPRIVILEGED, blocked[0], blocked[1])
                )
            entry = owner
        try:
            return entry.pw_name, grp.getgrgid(entry.pw_gid).gr_name
        except KeyError:
            return entry.pw_name, "#%d" % entry.pw_gid

    def apache_problem(self, data, env):
        return apache_problem(data["venv_dir"], env, data["installed"])


def _python_home(venv_dir):
    """The Python the venv was made from (its pyvenv.cfg `home` is that Python's bin directory)."""
    try:
        with open(os.path.join(venv_dir, "pyvenv.cfg")) as f:
            homes = [line.split("=", 1)[1].strip() for line in f if line.split("=", 1)[0].strip() == "home"]
    except OSError:
        return []
    return [os.path.dirname(h) for h in homes[:1]]


def _blocking(paths, entry):
    """(the directory entry cannot enter or read, the path it is on), or None."""
    gids = {entry.pw_gid} | {g.gr_gid for g in grp.getgrall() if entry.pw_name in g.gr_mem}
    for path in paths:
        blocked = blocking_path(path, entry.pw_uid, gids)
        if blocked:
            return blocked, path
    return None


def _owner(path):
    """The account owning path, unless root (whom Apache refuses as its workers' user)."""
    try:
        uid = os.stat(path).st_uid
        return pwd.getpwuid(uid) if uid != 0 else None
    except (OSError, KeyError):
        return None


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
        foreground = p.stop.signum == signal.SIGTERM
        status = supervise(p.argv, p.env, p.stop, p.kill_after, p.kill_note, foreground)
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
