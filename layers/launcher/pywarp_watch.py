"""A web process watched from its parent, the launcher: it must keep serving, listen on PORT, and when
it dies the last line of the log says why.

Why the launcher stays as the parent of web and server processes (and does not exec them, as it still
does other programs): an exec'd server leaves nobody to see its exit status or its output. So the
launcher starts the child with its stderr on a pipe and copies the pipe to its own stderr from a thread
(os.read/os.write on raw fds, up to 64 KiB a call), keeping the last TAIL_BYTES to find the cause in.
Once it has drained the pipe the thread waits COALESCE_SECONDS before reading again: a server that
writes a line per request (uWSGI's request log) would otherwise wake it for each line, ~20 µs of the
launcher's CPU per request (bench/launch.mjs); the pipe, enlarged where Linux allows, holds the lines.
Only stderr, where tracebacks go: stdout stays the container's own, inherited, and the access logs of
gunicorn, waitress and Apache go there without passing through this copy (uWSGI's request log is on
stderr: it does). The signals, the reaping and the exit status stay pywarp_init.supervise's.
"""
import os
import sys
import time

import _signal  # see pywarp_init; re only to find a cause
# threading's C core: threading itself imports functools, collections and more, about 6 ms of CPU
# taken from the server while it starts (the threads start right after the child's exec)
import _thread

from pywarp_init import signal_name
import pywarp_messages as say

STARTUP_SECONDS = 10  # exiting 0 sooner is not serving; the port must be listened on by then
TAIL_BYTES = 64 * 1024
CHUNK = 64 * 1024
COALESCE_SECONDS = 0.02
PIPE_BYTES = 1024 * 1024  # Linux's default limit for an unprivileged process
POLL_SECONDS = 0.5
MAX_CAUSE = 300
NOT_SERVING = 2  # the launcher's status for a problem the user can fix
# A child ended by one of these was stopped by someone (a Ctrl-C reaches it directly): no cause to name.
STOPPED_BY = (_signal.SIGTERM, _signal.SIGINT, _signal.SIGHUP, _signal.SIGQUIT)
_TRACEBACK = "Traceback (most recent call last):"
_IGNORED = "Exception ignored "
_EXCEPTION = r"(?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*(?:Error|Exception)(?::|$)"
_LISTEN = "0A"


class Watch:
    """process: the process type; what: the server's name or the program's command line; argv: what
    runs; bind: for a program, the checked PYWARP_HOST and PORT it should listen on (None: not checked)."""

    def __init__(self, process, what, argv, bind=None, out=2):
        self.process, self.what, self.argv, self.bind, self.out = process, what, argv, bind, out
        self.tail, self.signalled, self.ended_event = bytearray(), False, None
        self.read_fd = self.write_fd = None
        self.started_at = time.monotonic()
        self.threads = []

    def child_stderr(self):
        """Makes the pipe; returns the end the child's stderr becomes (both ends close at its exec)."""
        self.read_fd, self.write_fd = os.pipe()
        return self.write_fd

    def started(self, pid):
        """In the parent, once the child has exec'd; its threads start with the launcher's signals blocked.
        The supervisor sets `signalled` when it takes a signal for the child."""
        self.ended_event = _Ended()
        os.close(self.write_fd)
        enlarge_pipe(self.read_fd)
        self.pid, self.started_at = pid, time.monotonic()
        self._thread(self._copy)
        if self.bind is not None:
            self._thread(self._check_port)

    def ended(self, status):
        """The launcher's exit status for the child's; prints the one line that says why, if any."""
        elapsed = time.monotonic() - self.started_at
        self.ended_event.set()
        for done in self.threads:
            done.acquire(timeout=1.0)  # a daemonized grandchild may keep the pipe open: not waited for
        if self.signalled:
            return status
        if status == 0:
            if elapsed < STARTUP_SECONDS:
                self._say(say.exited_at_start(self.process, self.what, elapsed, self.argv))
                return NOT_SERVING
            return status
        if status - 128 in STOPPED_BY:
            return status
        killed = signal_name(status - 128) if status > 128 else None
        self._say(say.exited(self.process, self.what, status, killed, cause(bytes(self.tail))))
        return status

    def _thread(self, target):
        """Starts target in a thread the process does not wait for at exit; keeps a lock it releases when done."""
        done = _thread.allocate_lock()
        done.acquire()

        def run():
            try:
                target()
            finally:
                done.release()

        _thread.start_new_thread(run, ())
        self.threads.append(done)

    def _copy(self):
        tail, out = self.tail, self.out
        while True:
            try:
                data = os.read(self.read_fd, CHUNK)
            except OSError:
                break
            if not data:
                break
            if out is not None:
                out = _write_all(out, data)
            tail += data
            if len(tail) > 2 * TAIL_BYTES:
                del tail[:-TAIL_BYTES]
            if len(data) < CHUNK:
                time.sleep(COALESCE_SECONDS)
        os.close(self.read_fd)

    def _check_port(self):
        deadline = self.started_at + STARTUP_SECONDS
        while not self.ended_event.wait(POLL_SECONDS):
            listeners = read_listeners()
            if listeners is None:
                return  # no /proc/net here: nothing to say
            warning = port_warning(self, listeners, time.monotonic() >= deadline)
            if warning is not False:
                if warning:
                    self._say(warning)
                return

    def _say(self, line):
        sys.stderr.write("pywarp: %s\n" % line)
        sys.stderr.flush()


class _Ended:
    """The child's end, for the one thread that waits for it (_check_port): a lock held until set()."""

    def __init__(self):
        self._lock = _thread.allocate_lock()
        self._lock.acquire()

    def set(self):
        self._lock.release()

    def wait(self, timeout):
        """True once set (then it is taken: one waiter); False after `timeout` seconds."""
        return self._lock.acquire(timeout=timeout)


def port_warning(watch, listeners, final):
    """None when the port is served as it should be, the warning at the end of the start-up window,
    False while it is too early to tell."""
    port, host = watch.bind.port, watch.bind.host
    on_port = [ip for ip, p, _ in listeners if p == port]
    if any(not _loopback(ip) for ip in on_port) or (on_port and _loopback(host)):
        return None
    if not final:
        return False
    if on_port:
        return say.loopback_only(watch.process, watch.what, port, [_shown(ip, port) for ip in on_port])
    own = _inodes_of_group(watch.pid)
    mine = sorted({_shown(ip, p) for ip, p, inode in listeners if inode in own})
    return say.not_listening(watch.process, watch.what, STARTUP_SECONDS, port, mine)


def cause(tail):
    """The last exception line in the output (but for those Python reports as ignored), else its last
    line. An exception line ends a traceback, or, with no traceback, names an ...Error or ...Exception
    (uWSGI prints a SyntaxError in the app without one)."""
    import re

    lines = tail.decode("utf-8", "replace").splitlines()
    exception = re.compile(_EXCEPTION)
    found = {i for i, line in enumerate(lines) if exception.match(line)}
    for start in (i for i, line in enumerate(lines) if line.endswith(_TRACEBACK)):
        end = next((i for i in range(start + 1, len(lines)) if lines[i].strip() and not lines[i][0].isspace()), None)
        if end is not None and not lines[end].endswith(_TRACEBACK):
            found.add(end)
    # "Exception ignored in: ..." (sys.unraisablehook): raised where nothing could catch it, such as a
    # signal arriving while asyncio closes its loop; it never ends a process
    for report in (i for i, line in enumerate(lines) if line.startswith(_IGNORED)):
        found.discard(min((i for i in found if i > report), default=None))
    if found:
        return "the last exception it printed: " + _bounded(lines[max(found)].strip())
    last = next((line.strip() for line in reversed(lines) if line.strip()), None)
    return "its last line: " + _bounded(last) if last else None


def read_listeners(tables=("/proc/net/tcp", "/proc/net/tcp6")):
    """[(ip, port, socket inode)] of every listening TCP socket in this network namespace, or None."""
    found, readable = [], False
    for path in tables:
        try:
            with open(path) as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        readable = True
        for row in rows:
            fields = row.split()
            if len(fields) > 9 and fields[3] == _LISTEN:
                address, port = fields[1].split(":")
                found.append((_ip(address), int(port, 16), fields[9]))
    return found if readable else None


def _ip(hex_address):
    """/proc/net's address: 32-bit words in the host's byte order (little-endian on x86 and arm64)."""
    raw = bytes.fromhex(hex_address)
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4)) if sys.byteorder == "little" else raw
    import ipaddress  # here: only a program's port is checked, after it started

    return str(ipaddress.ip_address(words))


def _inodes_of_group(pgid):
    """Socket inodes held by the processes of the child's process group (it leads its own)."""
    inodes = set()
    for pid in filter(str.isdigit, _listdir("/proc")):
        try:
            with open("/proc/%s/stat" % pid) as f:
                if int(f.read().rsplit(")", 1)[1].split()[2]) != pgid:
                    continue
            for fd in _listdir("/proc/%s/fd" % pid):
                target = os.readlink("/proc/%s/fd/%s" % (pid, fd))
                if target.startswith("socket:["):
                    inodes.add(target[len("socket:[") : -1])
        except (OSError, ValueError, IndexError):
            continue
    return inodes


def _listdir(path):
    try:
        return os.listdir(path)
    except OSError:
        return []


def _loopback(host):
    import ipaddress

    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host == "localhost"
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback


def _shown(ip, port):
    return "[%s]:%d" % (ip, port) if ":" in ip else "%s:%d" % (ip, port)


def _bounded(text):
    return text if len(text) <= MAX_CAUSE else text[:MAX_CAUSE] + "..."


def enlarge_pipe(fd):
    """To PIPE_BYTES where Linux allows it; else the default pipe: the child waits for the copy at worst."""
    import fcntl

    try:
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (AttributeError, OSError):
        pass


def _write_all(fd, data):
    """The fd, or None once it cannot be written (the copy goes on, so the child never blocks)."""
    view = memoryview(data)
    while view:
        try:
            view = view[os.write(fd, view) :]
        except OSError:
            return None
    return fd
