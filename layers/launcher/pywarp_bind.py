"""Where a server listens: PORT and PYWARP_HOST checked, and the bind written the way each server takes it.

Values come from the container's environment, so anything odd is refused here with one line instead of
reaching a server's argv (`0.0.0.0 --reload`) or ending in its traceback (`PORT=99999`).
"""
import pywarp_messages as say
from pywarp_args import LaunchError, ascii_digits

MAX_PORT = 65535
_LABEL = r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)"
ALL_IPV6 = "::"


class Bind:
    """A checked host and port; `ipv6` when the host is an IPv6 literal (kept without brackets)."""

    def __init__(self, host, port, ipv6):
        self.host, self.port, self.ipv6 = host, port, ipv6

    def address(self):
        """host:port, an IPv6 literal in brackets, as gunicorn, uWSGI and waitress take it."""
        return "%s:%d" % ("[%s]" % self.host if self.ipv6 else self.host, self.port)


def parse_port(text, name="PORT"):
    text = text.strip()
    if not (ascii_digits(text) and len(text) <= 5) or not 1 <= int(text) <= MAX_PORT:
        raise LaunchError(say.bad_port(name, text, MAX_PORT))
    return int(text)


def parse_host(text, name="PYWARP_HOST"):
    """(host, is IPv6): an IPv4 or IPv6 literal (brackets optional) or a hostname."""
    text = text.strip()
    if _is_ipv4(text):
        return text, False
    bracketed = text.startswith("[") and text.endswith("]")
    import ipaddress

    try:
        address = ipaddress.ip_address(text[1:-1] if bracketed else text)
    except ValueError:
        if not bracketed and _is_hostname(text):
            return text, False
        raise LaunchError(say.bad_host(name, text))
    if bracketed and address.version == 4:
        raise LaunchError(say.bad_host(name, text))  # [127.0.0.1] is no address any server takes
    return str(address), address.version == 6


def bind(env, defaults):
    host, ipv6 = parse_host(env.get("PYWARP_HOST") or defaults["host"])
    port = parse_port(env.get("PORT") or str(defaults["port"]))
    return Bind(host, port, ipv6)


def _is_ipv4(text):
    """An IPv4 literal as ipaddress writes it (no leading zeros): taken as it is, without importing
    ipaddress or re (see pywarp_args)."""
    parts = text.split(".")
    return len(parts) == 4 and all(
        ascii_digits(p) and len(p) <= 3 and (p == "0" or p[0] != "0") and int(p) <= 255 for p in parts
    )


def _is_hostname(text):
    """RFC 1123 names; a last label of digits only would be a mistyped address, not a name."""
    import re

    name = text[:-1] if text.endswith(".") else text
    labels = name.split(".")
    return (
        0 < len(name) <= 253
        and all(re.fullmatch(_LABEL, label) for label in labels)
        and not labels[-1].isdigit()
    )
