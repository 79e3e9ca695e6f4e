"""What to run for a process type: the final argv, its env, and whether the launcher stays as its
parent. Pure but for the `host`, which answers questions about the machine."""
import signal

from pywarp_args import LaunchError, compose, config_settings, native_args, user_args
import pywarp_limits

SERVER_CHOICE = ("PYWARP_SERVER_TYPE", "WARPDRIVE_SERVER_TYPE")


class Plan:
    """The final process: argv, env, and whether the launcher stays as its parent."""

    def __init__(self, argv, env, supervise=False, translate=None, escalate_after=None, note=""):
        self.argv, self.env, self.supervise = argv, env, supervise
        self.translate, self.escalate_after, self.note = translate or {}, escalate_after, note


class Values(dict):
    """Run-time placeholder values, each computed on first use."""

    def __init__(self, providers):
        super().__init__()
        self.providers = providers

    def __missing__(self, key):
        if key not in self.providers:
            raise LaunchError("launch.json uses {%s}, which this launcher does not know" % key)
        value = self[key] = self.providers[key]()
        return value


def plan(data, process_type, env, extra, host):
    process = data["processes"].get(process_type)
    if process is None:
        raise LaunchError("no process type %r; this image has: %s" % (process_type, ", ".join(sorted(data["processes"]))))
    if process["kind"] == "program":
        return plan_program(process, env, extra, host)
    return plan_server(data, process["server"] or choose_server(data, env), env, extra, host)


def choose_server(data, env):
    """The run-time choice, then the build's, then warpdrive's order among the installed."""
    installed = data["installed"]
    for variable in SERVER_CHOICE:
        name = env.get(variable, "").strip()
        if not name:
            continue
        if name not in installed:
            raise LaunchError(
                "%s=%s is not an installed server; installed: %s" % (variable, name, ", ".join(installed) or "none")
            )
        return name
    if data["build_server"]:
        return data["build_server"]["name"]
    if installed:
        return installed[0]
    raise LaunchError("no WSGI server is installed")


def plan_program(process, env, extra, host):
    argv = process["argv"] + list(extra)
    # Only PID 1 inherits orphans; elsewhere the real init reaps them.
    keep_init = process["init"] and host.pid() == 1
    return Plan(argv, child_env(env), supervise=keep_init)


def plan_server(data, name, env, extra, host):
    spec = data["servers"][name]
    if spec["needs_apache"]:
        problem = host.apache_problem(data, env)
        if problem:
            raise LaunchError(problem)
    processes, threads, why = worker_counts(env, host)
    values = runtime_values(data, env, host, processes, threads)
    user = user_args(spec, name, data["app_dir"], env, extra)
    detect = user + native_args(spec, env)
    settings = config_settings(spec, data.get("app_home") or data["app_dir"], detect)
    argv = compose(spec, user, detect, env, settings, host.conditions(), values)
    note = "%s; default %d processes x %d threads (%s)" % (name, processes, threads, why)
    stop = getattr(signal, spec["stop_signal"])
    if stop != signal.SIGTERM:
        return Plan(argv, server_env(env, spec), True, {signal.SIGTERM: stop}, values["graceful_timeout"], note)
    keep_init = host.pid() == 1 and not spec["reaps_children"]
    return Plan(argv, server_env(env, spec), supervise=keep_init, note=note)


def worker_counts(env, host):
    """(processes, threads, where they came from)."""
    forced = positive_int(env, "WEB_CONCURRENCY", None)
    limits, cpus = host.limits(), host.host_cpus()
    processes, threads = pywarp_limits.worker_counts(limits, cpus, forced)
    return processes, threads, "WEB_CONCURRENCY" if forced else pywarp_limits.describe(limits, cpus)


def runtime_values(data, env, host, processes, threads):
    defaults = data["defaults"]
    hostname = env.get("PYWARP_HOST") or defaults["host"]
    port = positive_int(env, "PORT", defaults["port"])
    return Values(
        {
            "host": lambda: hostname,
            "port": lambda: port,
            "address": lambda: "%s:%d" % ("[%s]" % hostname if ":" in hostname else hostname, port),
            "processes": lambda: processes,
            "threads": lambda: threads,
            "concurrency": lambda: processes * threads,
            "graceful_timeout": lambda: defaults["graceful_timeout"],
            "server_root": host.server_root,
            "user": lambda: host.account()[0],
            "group": lambda: host.account()[1],
        }
    )


def positive_int(env, name, default):
    text = env.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) < 1:
        raise LaunchError("%s=%s is not a whole number above 0" % (name, text))
    return int(text)


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
        raise LaunchError("%s is not an installed server; installed: %s" % (name, ", ".join(data["installed"]) or "none"))
    return host.apache_problem(data, env) if spec["needs_apache"] else None
