"""What to run for a process type: the final argv, its env, and whether the launcher stays as its
parent. Pure but for the `host`, which answers questions about the machine."""
import _signal  # see pywarp_init

from pywarp_args import LaunchError, ascii_digits, compose, config_settings, fill, join, native_args, user_args
import pywarp_bind
from pywarp_gate import VARIABLE as START_GATE
from pywarp_init import Stop
import pywarp_limits
import pywarp_messages as say

SERVER_CHOICE = ("PYWARP_SERVER_TYPE", "WARPDRIVE_SERVER_TYPE")
LOCALE_CHOICE = ("LC_ALL", "LC_CTYPE", "LANG")  # glibc's order
FALLBACK_LOCALE = "C.UTF-8"  # in every Debian and Ubuntu image, slim ones too
STOP_TIMEOUT = "PYWARP_STOP_TIMEOUT"


class Plan:
    """The final process: argv, env, and whether the launcher stays as its parent (see pywarp_init.supervise)."""

    def __init__(self, argv, env, supervise=False, stop=None, kill_after=None, kill_note="", note=""):
        self.argv, self.env, self.supervise = argv, env, supervise
        self.stop, self.kill_after, self.kill_note, self.note = stop or Stop(), kill_after, kill_note, note
        self.warnings = []
        self.watch = None  # for a web or server process: pywarp_watch.Watch's arguments but argv


class Values(dict):
    """Run-time placeholder values, each computed on first use."""

    def __init__(self, providers):
        super().__init__()
        self.providers = providers

    def __missing__(self, key):
        if key not in self.providers:
            raise LaunchError(say.unknown_placeholder(key))
        value = self[key] = self.providers[key]()
        return value


def plan(data, process_type, env, extra, host):
    process = data["processes"].get(process_type)
    if process is None:
        raise LaunchError(say.no_process_type(process_type, data["processes"]))
    if process["kind"] == "program":
        p = plan_program(data, process, env, extra, host)
        # Arguments replacing web's (`docker run IMAGE -c ...`) make it a one-off command, not a server.
        if process_type == "web" and not extra:
            bind = pywarp_bind.bind(env, data["defaults"])
            p.watch = {"process": process_type, "what": join(process["argv"]), "bind": bind}
        return p
    name = process["server"] or choose_server(data, env)
    p = plan_server(data, name, env, extra, host)
    p.watch = {"process": process_type, "what": name}
    return p


def choose_server(data, env):
    """The run-time choice, then the build's, then warpdrive's order among the installed."""
    installed = data["installed"]
    for variable in SERVER_CHOICE:
        name = env.get(variable, "").strip()
        if not name:
            continue
        other = data.get("other_servers", {}).get(name)
        if other:
            raise LaunchError(
                "%s=%s: %s runs %s apps and this app is %s; servers here that can run it: %s"
                % (variable, name, name, other.upper(), data["interface"].upper(), ", ".join(installed) or "none")
            )
        if name not in installed:
            raise LaunchError(say.not_installed("%s=%s" % (variable, name), installed))
        return name
    if data["build_server"]:
        return data["build_server"]["name"]
    if installed:
        return installed[0]
    raise LaunchError(say.no_server())


def plan_program(data, process, env, extra, host):
    argv = process["argv"] + list(extra)
    # Only PID 1 inherits orphans; elsewhere the real init reaps them.
    keep_init = process["init"] and host.pid() == 1
    timeout = stop_timeout(data, env)
    return Plan(argv, child_env(env), supervise=keep_init, kill_after=timeout, kill_note=STOP_TIMEOUT + "=%d" % timeout)


def plan_server(data, name, env, extra, host):
    spec = data["servers"][name]
    if spec["needs_apache"]:
        problem = host.apache_problem(data, env)
        if problem:
            raise LaunchError(problem)
    event_loops = spec.get("event_loops", False)
    processes, threads, why, warnings = worker_counts(env, host, event_loops)
    bind = pywarp_bind.bind(env, data["defaults"])
    spec = fit_bind(spec, name, bind)
    values = runtime_values(data, env, host, processes, threads, bind)
    user = user_args(spec, name, data["app_dir"], env, extra)
    detect = user + native_args(spec, env)
    settings = config_settings(spec, data.get("app_home") or data["app_dir"], detect)
    conditions = host.conditions() | ({"several_processes"} if processes > 1 else set())
    argv = compose(spec, user, detect, env, settings, conditions, values)
    note = say.worker_note(name, processes, threads, event_loops, why)
    # Always its parent: a SIGTERM waits until the server can take it, and nothing of it outlives us.
    stop, kill_after, kill_note = server_stop(data, spec, env, values)
    p = Plan(argv, server_env(env, spec), True, stop, kill_after, kill_note, note)
    p.warnings = warnings
    gate = host.start_gate(values["server_root"]) if spec.get("start_gate") else None
    if gate:
        p.env[START_GATE] = gate
    return p


def server_stop(data, spec, env, values):
    """(Stop, seconds after a stop signal before the group is killed, where they come from)."""
    timeout = stop_timeout(data, env)
    kill_after, kill_note = timeout, STOP_TIMEOUT + "=%d" % timeout
    if spec["stop_fifo"]:
        return Stop("fifo", fifo=fill([spec["stop_fifo"]], values)[0]), kill_after, kill_note
    signum = getattr(_signal, spec["stop_signal"])
    if signum != _signal.SIGTERM and values["graceful_timeout"] < timeout:
        # Apache's graceful stop waits for its requests without a bound of its own.
        kill_after, kill_note = values["graceful_timeout"], "the graceful timeout"
    return Stop("signal", signum), kill_after, kill_note


def stop_timeout(data, env):
    return positive_int(env, STOP_TIMEOUT, data["defaults"]["stop_timeout"])


def fit_bind(spec, name, bind):
    """The row as the server can take the host: a server that takes IPv6 only as every address
    (mod_wsgi-express, whose --host is also Apache's ServerName) gets no host option for `::`."""
    if not bind.ipv6 or spec.get("ipv6_hosts", "any") == "any":
        return spec
    if bind.host != pywarp_bind.ALL_IPV6:
        raise LaunchError(say.ipv6_not_supported(name, bind.host))
    return dict(spec, options=[o for o in spec["options"] if not any("{host}" in a for a in o["args"])])


def worker_counts(env, host, event_loops=False):
    """(processes, threads, where they came from, warnings)."""
    forced = positive_int(env, "WEB_CONCURRENCY", None)
    limits, cpus = host.limits(), host.host_cpus()
    warnings = []
    if forced:
        maximum = pywarp_limits.max_forced_processes(limits)
        if forced > maximum:
            warnings.append(say.concurrency_capped("WEB_CONCURRENCY", env["WEB_CONCURRENCY"].strip(), maximum))
            forced = maximum
    processes, threads = pywarp_limits.worker_counts(limits, cpus, forced, event_loops)
    return processes, threads, "WEB_CONCURRENCY" if forced else pywarp_limits.describe(limits, cpus), warnings


def server_locale(env, host):
    """The locale the user set when it is installed here, else C.UTF-8: mod_wsgi-express turns C.UTF-8
    (Python normalizes it to en_US.UTF-8) and C into en_US.UTF-8, which slim images lack."""
    value = next((env[n] for n in LOCALE_CHOICE if env.get(n)), "")
    if value.upper() in ("", "C", "POSIX") or not host.has_locale(value):
        return FALLBACK_LOCALE
    return value


def runtime_values(data, env, host, processes, threads, bind):
    defaults = data["defaults"]
    return Values(
        {
            "host": lambda: bind.host,
            "port": lambda: bind.port,
            "address": bind.address,
            "processes": lambda: processes,
            "threads": lambda: threads,
            "concurrency": lambda: processes * threads,
            "later_processes": lambda: "+" * (processes - 1),
            "graceful_timeout": lambda: defaults["graceful_timeout"],
            "server_root": host.server_root,
            "user": lambda: host.account(data)[0],
            "group": lambda: host.account(data)[1],
            "locale": lambda: server_locale(env, host),
        }
    )


def positive_int(env, name, default):
    text = env.get(name, "").strip()
    if not text:
        return default
    if not ascii_digits(text) or not text.strip("0"):
        raise LaunchError(say.not_a_whole_number(name, text))
    return int(text) if len(text) < 19 else 10**18  # int() refuses more than 4,300 digits


def child_env(env):
    child = dict(env)
    child.setdefault("PYTHONUNBUFFERED", "1")  # logs reach the container's log as they happen
    return child


def server_env(env, spec):
    child = child_env(env)
    child.update(spec["env"])
    if spec["pythonpath"]:
        child["PYTHONPATH"] = ":".join(spec["pythonpath"] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    return child


def check(data, name, env, host):
    """--check: why the server cannot start in this image, or None."""
    spec = data["servers"].get(name)
    if spec is None:
        raise LaunchError(say.not_installed(name, data["installed"]))
    return host.apache_problem(data, env) if spec["needs_apache"] else None
