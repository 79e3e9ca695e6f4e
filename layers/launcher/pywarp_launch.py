"""pywarp's launcher: runs a process type with no shell.

Usage: python3 -I pywarp_launch.py <process type> [args...]   args go to the server or program
       python3 -I pywarp_launch.py --check <server>            build-time check: can it start here?

Reads launch.json next to this file (written by the build, see src/plan/launch-data.ts) and the run-time
environment, computes the final argv and execs it, or stays as its parent: as its init (see pywarp_init)
and, for web and server processes, to watch it (see pywarp_watch).
"""
import grp
import json
import locale
import os
import pwd
import shlex
import shutil
import subprocess
import sys
import tempfile

# -I keeps this script's own directory off sys.path.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pywarp_apache import apache_problem  # noqa: E402
from pywarp_args import LaunchError  # noqa: E402
from pywarp_init import exec_process, supervise  # noqa: E402
import pywarp_limits  # noqa: E402
import pywarp_messages as say  # noqa: E402
from pywarp_plan import check, plan  # noqa: E402
from pywarp_watch import Watch  # noqa: E402

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
            raise LaunchError(say.no_account(UNPRIVILEGED))
        try:
            return entry.pw_name, grp.getgrgid(entry.pw_gid).gr_name
        except KeyError:
            return entry.pw_name, "#%d" % entry.pw_gid

    def apache_problem(self, data, env):
        return apache_problem(data["venv_dir"], env, data["installed"])

    def has_locale(self, name):
        previous = locale.setlocale(locale.LC_CTYPE)
        try:
            locale.setlocale(locale.LC_CTYPE, name)
        except locale.Error:
            return False
        locale.setlocale(locale.LC_CTYPE, previous)
        return True


def load(path):
    try:
        with open(path) as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        raise LaunchError(say.unreadable_data(path, e))
    if data.get("version") != VERSION:
        raise LaunchError(say.other_version(path, data.get("version"), VERSION))
    return data


def run(p, host):
    for line in p.warnings:
        print("pywarp: " + line, file=sys.stderr, flush=True)
    if p.note:
        print("pywarp: " + say.starting(p.note, shlex.join(p.argv)), file=sys.stderr, flush=True)
    if p.supervise or p.watch:
        # A translated signal must pass through the launcher, so the child does not get the terminal
        # (whose resize SIGWINCH would stop Apache). Web and server processes are watched: see pywarp_watch.
        watch = Watch(argv=p.argv, **p.watch) if p.watch else None
        status = supervise(p.argv, p.env, p.translate, p.escalate_after, foreground=not p.translate, watch=watch)
        for path in host.temp_dirs:
            shutil.rmtree(path, ignore_errors=True)
        return status
    try:
        exec_process(p.argv, p.env)
    except OSError as e:
        raise LaunchError(say.cannot_run(p.argv[0], e.strerror))


def enter_home(data, env):
    """Processes start in the app's sub-directory (APP_HOME, backend/...), first on PYTHONPATH."""
    home = data.get("app_home")
    if home:
        os.chdir(home)
        env["PYTHONPATH"] = home + (":" + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")


def source_env_hook(path, env):
    """warpdrive's deploy-env, sourced as warpdrive did (`set -a; . hook`): the variables it sets."""
    if not os.path.exists("/bin/sh"):
        raise LaunchError("%s must be sourced by a shell, and this image has no /bin/sh" % path)
    result = subprocess.run(["/bin/sh", "-c", 'set -a; . "$1" >&2 || exit; exec env -0', "sh", path],
                            env=env, stdout=subprocess.PIPE)
    if result.returncode != 0:
        raise LaunchError("%s exited with status %d" % (path, result.returncode))
    pairs = (entry.split("=", 1) for entry in result.stdout.decode("utf-8", "surrogateescape").split("\0") if "=" in entry)
    return {k: v for k, v in pairs if env.get(k) != v and k not in ("PWD", "SHLVL", "_", "OLDPWD")}


# Processes that are tasks, not the app's start: warpdrive ran its deploy hook only at start.
TASKS = ("migrate", "setup", "alive", "ready")


def start_actions(data, env, process_type):
    """warpdrive's start: .warpdrive/environment (the container's own variables win), deploy-env, deploy."""
    actions = data.get("at_start") or {}
    for name, value in (actions.get("environment") or {}).items():
        env.setdefault(name, value)
    if actions.get("deploy_env"):
        env.update(source_env_hook(actions["deploy_env"], env))
    if actions.get("deploy") and process_type not in TASKS:
        # Run with its own shebang: no shell needed in the image.
        status = subprocess.run([actions["deploy"]], env=env).returncode
        if status != 0:
            raise LaunchError("the deploy hook %s exited with status %d" % (actions["deploy"], status))


def main(argv, env, host):
    data = load(os.path.join(os.path.dirname(os.path.abspath(__file__)), "launch.json"))
    if len(argv) < 1:
        raise LaunchError(say.usage())
    if argv[0] == "--check" and len(argv) == 2:
        problem = check(data, argv[1], env, host)
        if problem:
            print("pywarp: " + problem, file=sys.stderr)
        return 1 if problem else 0
    enter_home(data, env)
    start_actions(data, env, argv[0])
    return run(plan(data, argv[0], env, argv[1:], host), host)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:], dict(os.environ), Host()))
    except LaunchError as e:
        print("pywarp: %s" % e, file=sys.stderr)
        sys.exit(2)
