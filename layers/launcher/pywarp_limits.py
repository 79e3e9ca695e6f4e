"""The container's CPU and memory limits, and the worker counts derived from them.

Formula (documented in the README):
    cpus      = CPU quota / period (cgroup v2 cpu.max, v1 cpu.cfs_quota_us / cpu.cfs_period_us);
                the CPUs this process may run on only when no quota is set
    processes = floor(2 x cpus), at most (memory limit MiB - 32) // 64, at most 12, at least 1
    threads   = 8 per process
Servers whose workers are event loops (the ASGI ones) get one process per CPU instead:
    processes = ceil(cpus), same bounds; threads = 1 (a loop waits on I/O without threads)
WEB_CONCURRENCY, when set, replaces `processes`, at most 128 and at most (memory limit MiB - 32) // 16
(the least a Python worker takes): more only forks until memory or the server gives out.
"""
import math
import os

MIB = 1024 * 1024
PROCESSES_PER_CPU = 2
# An event loop keeps a CPU busy on its own; more loops than CPUs only contend (and each holds
# the app's memory). A fractional quota's remainder is worth a loop.
EVENT_LOOPS_PER_CPU = 1
RESERVED_MIB = 32  # the master process and the runtime
MIB_PER_PROCESS = 64  # a typical Django or Flask worker's resident size, with headroom
MAX_PROCESSES = 12  # more rarely helps one container and multiplies memory (s2i-python#188)
THREADS = 8  # covers I/O waits: 4 x 8 serve 32 requests at once on 2 CPUs (bench/launch.mjs; warpdrive uses 5)
MAX_FORCED_PROCESSES = 128
MIN_MIB_PER_PROCESS = 16
NO_LIMIT = 1 << 60  # cgroup v1 reports "no memory limit" as a huge page-aligned number


class Limits:
    def __init__(self, cpus, memory):
        self.cpus = cpus  # float, or None when no quota is set
        self.memory = memory  # bytes, or None when no limit is set


def read_limits(root="/sys/fs/cgroup", proc_cgroup="/proc/self/cgroup"):
    if os.path.exists(os.path.join(root, "cgroup.controllers")):
        dirs = _own_dirs(root, _cgroup_path(proc_cgroup, None))
        return Limits(
            _lowest(_v2_cpus(os.path.join(d, "cpu.max")) for d in dirs),
            _lowest(_bytes(os.path.join(d, "memory.max")) for d in dirs),
        )
    cpu_dirs = _own_dirs(_first_dir(root, ("cpu", "cpu,cpuacct", "cpuacct,cpu")), _cgroup_path(proc_cgroup, "cpu"))
    mem_dirs = _own_dirs(_first_dir(root, ("memory",)), _cgroup_path(proc_cgroup, "memory"))
    return Limits(
        _lowest(_v1_cpus(d) for d in cpu_dirs),
        _lowest(_bytes(os.path.join(d, "memory.limit_in_bytes")) for d in mem_dirs),
    )


def worker_counts(limits, host_cpus, web_concurrency=None, event_loops=False):
    """(processes, threads) for this container; WEB_CONCURRENCY's value replaces the processes.
    `event_loops`: the server's workers are event loops (ASGI servers), one per CPU."""
    threads = 1 if event_loops else THREADS
    if web_concurrency is not None:
        return web_concurrency, threads
    cpus = limits.cpus if limits.cpus is not None else host_cpus
    per_cpu = math.ceil(EVENT_LOOPS_PER_CPU * cpus) if event_loops else math.floor(PROCESSES_PER_CPU * cpus)
    candidates = [per_cpu, MAX_PROCESSES]
    if limits.memory is not None:
        candidates.append((limits.memory // MIB - RESERVED_MIB) // MIB_PER_PROCESS)
    return max(1, min(candidates)), threads


def max_forced_processes(limits):
    """The most processes WEB_CONCURRENCY may ask for in this container."""
    if limits.memory is None:
        return MAX_FORCED_PROCESSES
    return max(1, min(MAX_FORCED_PROCESSES, (limits.memory // MIB - RESERVED_MIB) // MIN_MIB_PER_PROCESS))


def describe(limits, host_cpus):
    cpu = "CPU quota %g" % limits.cpus if limits.cpus is not None else "%d CPUs, no CPU quota" % host_cpus
    memory = "memory limit %d MiB" % (limits.memory // MIB) if limits.memory is not None else "no memory limit"
    return "%s, %s" % (cpu, memory)


def host_cpus():
    """CPUs this process may run on (respects cpusets), for when no quota is set."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _cgroup_path(proc_cgroup, controller):
    """This process's cgroup path: v2's "0::" line, or the v1 line listing `controller`."""
    for line in _read(proc_cgroup, "").splitlines():
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        if (controller is None and parts[0] == "0") or controller in parts[1].split(","):
            return parts[2]
    return "/"


def _own_dirs(mount, path):
    """The cgroup and its ancestors that this mount shows. In a container the mount's root
    is often the container's own cgroup, while /proc/self/cgroup still names the host path."""
    if mount is None:
        return []
    parts = [p for p in path.split("/") if p]
    dirs = [os.path.join(mount, *parts[:n]) for n in range(len(parts), -1, -1)]
    return [d for d in dirs if os.path.isdir(d)]


def _first_dir(root, names):
    return next((os.path.join(root, n) for n in names if os.path.isdir(os.path.join(root, n))), None)


def _lowest(values):
    """The tightest limit along the hierarchy: a parent's limit binds its children too."""
    found = [v for v in values if v is not None]
    return min(found) if found else None


def _v2_cpus(path):
    fields = _read(path, "max").split()
    if not fields or fields[0] == "max":
        return None
    period = int(fields[1]) if len(fields) > 1 else 100000
    return int(fields[0]) / period


def _v1_cpus(directory):
    quota = int(_read(os.path.join(directory, "cpu.cfs_quota_us"), "-1") or -1)
    period = int(_read(os.path.join(directory, "cpu.cfs_period_us"), "100000") or 100000)
    return quota / period if quota > 0 and period > 0 else None


def _bytes(path):
    text = _read(path, "max")
    if not text.isdigit() or int(text) >= NO_LIMIT:
        return None
    return int(text)


def _read(path, default):
    try:
        with open(path) as f:
            return f.read().strip()
    except (OSError, ValueError):
        return default
