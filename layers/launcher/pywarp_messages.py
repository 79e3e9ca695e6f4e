"""Every line the launcher writes for users, each printed after `pywarp: ` (pywarp_init's two, written
between fork and exec or from a signal handler, stay there)."""
import os

MAX_SHOWN = 60


def shown(value):
    """A value from the environment as it can be read in one log line: quoted and escaped when odd, bounded."""
    value = value if len(value) <= MAX_SHOWN else value[:MAX_SHOWN] + "..."
    plain = value != "" and all("\x21" <= c <= "\x7e" for c in value)  # printable ASCII, no spaces
    return value if plain else ascii(value)


def usage():
    return "usage: pywarp_launch.py <process type> [args...] | --check <server>"


def unreadable_data(path, error):
    return "cannot read %s: %s" % (path, error)


def other_version(path, version, supported):
    return "%s has version %r; this launcher reads version %d" % (path, version, supported)


def unknown_placeholder(key):
    return "launch.json uses {%s}, which this launcher does not know" % key


def no_process_type(process_type, known):
    return "no process type %r; this image has: %s" % (process_type, ", ".join(sorted(known)))


def not_installed(requested, installed):
    """requested: `PYWARP_SERVER_TYPE=x`, or the name alone for --check."""
    return "%s is not an installed server; installed: %s" % (requested, ", ".join(installed) or "none")


def no_server():
    return "no WSGI server is installed"


def no_account(name):
    return (
        "running as root, but there is no %r account for the server's workers; run the container as a "
        "non-root user, or give --user and --group in .warpdrive/server_args" % name
    )


def unreadable_for_workers(name, path, needed):
    return (
        "running as root, Apache's workers run as %r, which cannot read %s (needed: %s); run as a non-root "
        "user, make it readable (chmod o+rx on the directories), or give --user and --group in "
        ".warpdrive/server_args" % (name, path, needed)
    )


def cannot_run(program, reason):
    return "cannot run %s: %s" % (program, reason)


def cannot_split(text, error):
    return "cannot split %r: %s" % (text, error)


def worker_note(server, processes, threads, event_loops, why):
    if event_loops:
        return "%s; default %d processes, an event loop each (%s)" % (server, processes, why)
    return "%s; default %d processes x %d threads (%s)" % (server, processes, threads, why)


def worker_exited(server, pid, status):
    return "a %s worker (pid %d) exited with status %s; stopping the server" % (server, pid, status)


def starting(note, command):
    return "starting %s: %s" % (note, command)


def not_a_whole_number(name, value):
    return "%s=%s is not a whole number above 0" % (name, shown(value))


def apache_missing(missing, other_servers):
    choose = (
        "pick another installed server with PYWARP_SERVER_TYPE (%s)" % ", ".join(other_servers)
        if other_servers
        else "install another server (gunicorn, uWSGI or waitress)"
    )
    return (
        "mod_wsgi-express cannot start: the run image has %s. Use a run image with Apache "
        "(on Debian and Ubuntu: the apache2-bin package), set HTTPD to its path, or %s." % (" and ".join(missing), choose)
    )


def no_httpd(candidates):
    return "no Apache httpd (looked for %s)" % ", ".join(candidates)


def no_shell():
    return "no shell (bash or sh) for its apachectl script"


def bad_port(name, value, maximum):
    return "%s=%s is not a port number; give a whole number from 1 to %d in ASCII digits" % (name, shown(value), maximum)


def bad_host(name, value):
    return (
        "%s=%s is not an address to listen on; give an IP address (0.0.0.0, ::, 127.0.0.1, ::1 or [::1]) "
        "or a hostname, without a port or options" % (name, shown(value))
    )


def ipv6_not_supported(server, host):
    return (
        "%s cannot listen on the IPv6 address %s (Apache refuses an IPv6 address as its ServerName); "
        "set PYWARP_HOST=:: to listen on every address, or choose another server with PYWARP_SERVER_TYPE"
        % (server, host)
    )


def concurrency_capped(name, value, maximum):
    return "%s=%s is above the maximum of %d processes; starting %d" % (name, shown(value), maximum, maximum)


def exited_at_start(process, what, seconds, argv):
    return "%s exited with status 0 after %.1f s; a web process must keep serving. %s" % (
        _who(process, what), seconds, _serve_hint(argv)
    )


def exited(process, what, status, signal_name, cause):
    how = "was killed by %s (status %d)" % (signal_name, status) if signal_name else "exited with status %d" % status
    return "%s %s%s" % (_who(process, what), how, ": " + cause if cause else "")


def not_listening(process, what, seconds, port, listening):
    found = "it listens on %s" % ", ".join(listening) if listening else "it listens on no TCP port"
    return (
        "%s: nothing listens on port %d %d s after the start (%s); the platform sends requests to the "
        "port in $PORT: make the app listen there, on all addresses (Flask: "
        "app.run(host=\"0.0.0.0\", port=int(os.environ[\"PORT\"])))" % (_who(process, what), port, seconds, found)
    )


def loopback_only(process, what, port, listening):
    return (
        "%s listens on port %d only on %s, which the platform cannot reach; make the app listen on "
        "all addresses (0.0.0.0 or ::)" % (_who(process, what), port, ", ".join(listening))
    )


def _who(process, what):
    """`web (python app.py)`, or `gunicorn` for the process type named after its server."""
    return process if process == what else "%s (%s)" % (process, what)


def _serve_hint(argv):
    script = next((a for a in argv[1:2] if a.endswith(".py")), None)
    if script and os.path.basename(argv[0]).startswith("python"):
        module = script[: -len(".py")].replace("/", ".").lstrip(".")
        return (
            "If %s only defines the WSGI app, have a server run it: build with BP_WSGI_MODULE=%s "
            "(and BP_WSGI_CALLABLE when it is not `application`), or start a server in a Procfile web line."
            % (script, module)
        )
    return "Start a server that keeps running (for a WSGI app: BP_WSGI_MODULE at build time, or a Procfile web line)."
