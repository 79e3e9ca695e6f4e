"""PORT and PYWARP_HOST: what is taken, how it is written for the servers, and the one line otherwise."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pywarp_bind  # noqa: E402
from pywarp_args import LaunchError  # noqa: E402

DEFAULTS = {"host": "0.0.0.0", "port": 8080}

PORTS = [
    ("8080", 8080),
    (" 5000 ", 5000),
    ("1", 1),
    ("65535", 65535),
    ("08080", 8080),
    ("0", None),
    ("65536", None),
    ("99999", None),
    ("123456", None),
    ("-1", None),
    ("+80", None),
    ("80.0", None),
    ("0x50", None),
    ("²", None),
    ("٨٠٨٠", None),  # Arabic-Indic digits: str.isdigit() says yes
    ("８０８０", None),  # full-width digits
    ("80 81", None),
    ("http", None),
]

HOSTS = [
    ("0.0.0.0", "0.0.0.0", "0.0.0.0:8080"),
    ("127.0.0.1", "127.0.0.1", "127.0.0.1:8080"),
    ("::", "::", "[::]:8080"),
    ("[::]", "::", "[::]:8080"),
    ("::1", "::1", "[::1]:8080"),
    ("[::1]", "::1", "[::1]:8080"),
    ("[0:0:0:0:0:0:0:1]", "::1", "[::1]:8080"),
    ("fe80::1%eth0", "fe80::1%eth0", "[fe80::1%eth0]:8080"),
    ("localhost", "localhost", "localhost:8080"),
    ("web-1.internal.example.", "web-1.internal.example.", "web-1.internal.example.:8080"),
    ("bad value", None, None),
    ("127.0.0.1:9999", None, None),
    ("0.0.0.0 --reload", None, None),
    ("[127.0.0.1]", None, None),
    ("[::1]:8080", None, None),
    ("[localhost]", None, None),
    ("::1]", None, None),
    ("256.0.0.1", None, None),
    ("1.2.3.04", None, None),
    ("-leading.example", None, None),
    ("a..b", None, None),
    ("a" * 64 + ".example", None, None),
    ("münchen.example", None, None),
    ("host_name", None, None),
    ("$(id)", None, None),
]


class PortTest(unittest.TestCase):
    def test_table(self):
        for text, expected in PORTS:
            with self.subTest(text):
                if expected is None:
                    with self.assertRaises(LaunchError) as caught:
                        pywarp_bind.parse_port(text)
                    self.assertRegex(str(caught.exception), r"^PORT=.+ is not a port number; give a whole number "
                                                            r"from 1 to 65535 in ASCII digits$")
                else:
                    self.assertEqual(pywarp_bind.parse_port(text), expected)

    def test_the_value_is_shown_escaped_and_bounded(self):
        for text, shown in (("²", r"'\xb2'"), ("80 81", "'80 81'"), ("9" * 100, "9" * 60 + "...")):
            with self.subTest(text), self.assertRaises(LaunchError) as caught:
                pywarp_bind.parse_port(text)
            self.assertTrue(str(caught.exception).startswith("PORT=%s is not" % shown), str(caught.exception))


class HostTest(unittest.TestCase):
    def test_table(self):
        for text, host, address in HOSTS:
            with self.subTest(text):
                if host is None:
                    with self.assertRaises(LaunchError) as caught:
                        pywarp_bind.bind({"PYWARP_HOST": text}, DEFAULTS)
                    self.assertIn(" is not an address to listen on; give an IP address", str(caught.exception))
                    self.assertEqual(str(caught.exception).count("\n"), 0)
                else:
                    b = pywarp_bind.bind({"PYWARP_HOST": text}, DEFAULTS)
                    self.assertEqual((b.host, b.address()), (host, address))

    def test_ipv4_literals_as_ipaddress_takes_them(self):
        """The IPv4 fast path (no ipaddress import) accepts and writes exactly what ipaddress does."""
        import ipaddress

        octets = ["0", "1", "9", "10", "99", "100", "199", "200", "249", "250", "255", "256",
                  "00", "01", "010", "1000", "-1", "+1", "\u0661"]
        texts = [".".join((a, b, "0", "1")) for a in octets for b in ("0", "255")]
        texts += ["1.2.3", "1.2.3.4.5", "1..2.3", "1.2.3.4.", ".1.2.3.4"]
        for text in texts:
            with self.subTest(text):
                try:
                    expected = (str(ipaddress.ip_address(text)), False)
                except ValueError:
                    expected = None
                try:
                    found = pywarp_bind.parse_host(text)
                except LaunchError:
                    found = None
                if expected is None and found is not None:
                    self.assertTrue(pywarp_bind._is_hostname(text), found)  # a name, as before
                else:
                    self.assertEqual(found, expected)

    def test_unset_or_empty_takes_the_defaults(self):
        for env in ({}, {"PYWARP_HOST": "", "PORT": ""}):
            b = pywarp_bind.bind(env, DEFAULTS)
            self.assertEqual((b.host, b.port, b.ipv6), ("0.0.0.0", 8080, False))


if __name__ == "__main__":
    unittest.main()
