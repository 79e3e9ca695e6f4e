"""pywarp's launcher, run by pywarp_launch.py (see there): reads launch.json next to this file (written by
the build, see src/plan/launch-data.ts) and the run-time environment, computes the final argv and execs
it, or stays as its parent (every server; a program as PID 1), see pywarp_init; for web and server
processes, also to watch it (see pywarp_watch).
"""
# What only some starts need (Apache's account and server root, warpdrive's hooks, a locale check) is
# imported where it is used: every module imported here is on the path to the server's first instant.
# Nor are json, re, signal and threading imported on that path (see pywarp_init).
import _signal
import marshal
import os
import sys

from pywarp_args import LaunchError, join
from pywarp_init import exec_process, restore_signals, supervise
import pywarp_limits
import pywarp_messages as say
from pywarp_plan import check, plan
from pywarp_watch import Watch

VERSION = 1
# Beside launch.json, written by the build (src/effects/pyc.ts): (its bytes, its data) in marshal's format,
# which Python reads without an import; json imports re, about 8 ms of every start.
COMPILED = ".marshal"
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
        """A new directory in $TMPDIR or /tmp, made as tempfile.mkdtemp would: importing tempfile (random,
        hashlib, shutil) costs every uWSGI and Apache start ~12 ms; tempfile only when that fails."""
        try:
            path = _new_dir(os.environ.get("TMPDIR") or "/tmp", "pywarp-server-")
        except OSError:
            import tempfile

            path = tempfile.mkdtemp(prefix="pywarp-server-")
        os.chmod(path, 0o755)  # Apache's workers, switched to another user, read the files in it
        self.temp_dirs.append(path)
        return path

    def start_gate(self, root):
        """The file a server's processes lock at start (pywarp_wsgi), readable by Apache's workers; None
        when it cannot be made (they start without the gate)."""
        path = os.path.join(root, "pywarp-start.lock")
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        except OSError:
            return None
        return path

    def account(self, data):
        """The account Apache's workers run under when started as root: nobody, or else the owner of what
        they read when nobody cannot read it (a venv under root's 0700 home would crash them in a loop)."""
        import grp
        import pwd

        paths = [data["app_dir"], data["venv_dir"]] + _python_home(data["venv_dir"])
        try:
            entry = pwd.getpwnam(UNPRIVILEGED)
        except KeyError:
            raise LaunchError(say.no_account(UNPRIVILEGED))
        blocked = _blocking(paths, entry)
        if blocked:
            owner = _owner(blocked[0])
            if owner is None or _blocking(paths, owner):
                raise LaunchError(say.unreadable_for_workers(UNPRIVILEGED, blocked[0], blocked[1]))
            entry = owner
        try:
            return entry.pw_name, grp.getgrgid(entry.pw_gid).gr_name
        except KeyError:
            return entry.pw_name, "#%d" % entry.pw_gid

    def apache_problem(self, data, env):
        from pywarp_apache import apache_problem

        return apache_problem(data["venv_dir"], env, data["installed"])

    def has_locale(self, name):
        import _locale  # locale's C core: locale itself imports re, enum and functools (see pywarp_apache)

        previous = _locale.setlocale(_locale.LC_CTYPE)
        try:
            _locale.setlocale(_locale.LC_CTYPE, name)
        except _locale.Error:
            return False
        _locale.setlocale(_locale.LC_CTYPE, previous)
        return True


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
    import grp

    from pywarp_access import blocking_path

    gids = {entry.pw_gid} | {g.gr_gid for g in grp.getgrall() if entry.pw_name in g.gr_mem}
    for path in paths:
        blocked = blocking_path(path, entry.pw_uid, gids)
        if blocked:
            return blocked, path
    return None


def _owner(path):
    """The account owning path, unless root (whom Apache refuses as its workers' user)."""
    import pwd

    try:
        uid = os.stat(path).st_uid
        return pwd.getpwuid(uid) if uid != 0 else None
    except (OSError, KeyError):
        return None


def load(path):
    try:
        with open(path, "rb") as f:
            raw = f.read()
        data = _compiled(path + COMPILED, raw)
        if data is None:
            import json

            data = json.loads(raw)
    except (OSError, ValueError) as e:
        raise LaunchError(say.unreadable_data(path, e))
    if data.get("version") != VERSION:
        raise LaunchError(say.other_version(path, data.get("version"), VERSION))
    return data


def _new_dir(parent, prefix, attempts=100):
    """parent/prefix + 12 random hex digits, made by this call (mode 0700); OSError when it cannot be."""
    for _ in range(attempts):
        path = os.path.join(parent, prefix + os.urandom(6).hex())
        try:
            os.mkdir(path, 0o700)
            return path
        except FileExistsError:
            continue
    raise FileExistsError("no new name in %s" % parent)


def _compiled(path, raw):
    """What the build's marshal copy of launch.json holds, if it is a copy of these very bytes."""
    try:
        with open(path, "rb") as f:
            copied, data = marshal.loads(f.read())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return data if copied == raw else None


def run(p, host):
    for line in p.warnings:
        print("pywarp: " + line, file=sys.stderr, flush=True)
    if p.note:
        print("pywarp: " + say.starting(p.note, join(p.argv)), file=sys.stderr, flush=True)
    if p.supervise or p.watch:
        # A translated signal must pass through the launcher, so the child does not get the terminal
        # (whose resize SIGWINCH would stop Apache). Web and server processes are watched: see pywarp_watch.
        watch = Watch(argv=p.argv, **p.watch) if p.watch else None
        foreground = p.stop.signum == _signal.SIGTERM
        status = supervise(p.argv, p.env, p.stop, p.kill_after, p.kill_note, foreground, watch)
        if host.temp_dirs:
            import shutil

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
    import subprocess

    if not os.path.exists("/bin/sh"):
        raise LaunchError("%s must be sourced by a shell, and this image has no /bin/sh" % path)
    result = subprocess.run(["/bin/sh", "-c", 'set -a; . "$1" >&2 || exit; exec env -0', "sh", path],
                            env=env, stdout=subprocess.PIPE, preexec_fn=restore_signals)
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
        import subprocess

        # Run with its own shebang: no shell needed in the image; with its signals unblocked (pywarp_init).
        status = subprocess.run([actions["deploy"]], env=env, preexec_fn=restore_signals).returncode
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


def cli():
    try:
        sys.exit(main(sys.argv[1:], dict(os.environ), Host()))
    except LaunchError as e:
        print("pywarp: %s" % e, file=sys.stderr)
        sys.exit(2)
