"""A server's argv from its launch.json row, the user's own args and the run-time values.

argv = command + our defaults the user did not override + the user's args + the app's args.
The app's args come last because waitress-serve stops reading options at the app name.

What every start does is written without re and shlex: re imports enum, functools and collections,
about 8 ms before the server's own start (see pywarp_init); what only some starts need imports them.
"""
import os

import pywarp_messages as say

_VARIABLE = r"\$(?:\{(\w+)\}|(\w+))"
# shlex.quote's safe characters: a word made only of them is written as it is
_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-")


class LaunchError(Exception):
    """A problem the user can fix; printed as one `pywarp:` line (or paragraph), exit status 2."""


def split_words(text, env):
    """Shell-like words, each with $VAR and ${VAR} expanded from `env`; no shell runs."""
    import re
    import shlex

    try:
        words = shlex.split(text, comments=True)
    except ValueError as e:
        raise LaunchError(say.cannot_split(text, e))
    variable = re.compile(_VARIABLE)
    return [variable.sub(lambda m: env.get(m.group(1) or m.group(2), ""), w) for w in words]


def server_args_files(app_dir, server):
    """warpdrive's `.warpdrive/server_args`: one file for every server, or a directory of per-server files."""
    base = os.path.join(app_dir, ".warpdrive", "server_args")
    path = os.path.join(base, server) if os.path.isdir(base) else base
    return [path] if os.path.isfile(path) else []


def user_args(spec, server, app_dir, env, extra):
    """The user's own args for a server: translated variables, server_args files, then the command line's."""
    args = env_option_args(spec.get("env_options") or [], env)
    for path in server_args_files(app_dir, server):
        args += split_words(_read(path), env)
    return args + list(extra)


def native_args(spec, env):
    """Args the server reads from its own variable (GUNICORN_CMD_ARGS): not passed again, only looked at."""
    name = spec.get("args_env")
    if not name or not env.get(name):
        return []
    import shlex

    try:
        return shlex.split(env[name])
    except ValueError:  # the server reports its own variable's quoting
        return []


def env_option_args(env_options, env):
    args = []
    for name, template in env_options:
        if env.get(name):
            args += [a.replace("{value}", env[name]) for a in template]
    return args


def config_settings(spec, app_dir, args):
    """Settings the server's config file assigns (gunicorn.conf.py, hypercorn's TOML), found without running it."""
    config = spec.get("config_file")
    if not config:
        return set()
    name = _option_value(args, config["options"]) or config["default"]
    # none named (hypercorn reads a file only when told), or the module form: nothing we can read
    if not name or name.startswith("python:"):
        return set()
    if name.startswith("file:"):  # hypercorn's form for a Python file
        name = name[len("file:") :]
    try:
        text = _read(os.path.join(app_dir, name))
        if name.endswith(".toml"):
            return _toml_top_level_keys(text)
        import ast  # only with a config file: ast costs every start a few ms

        tree = ast.parse(text)
    except (OSError, SyntaxError, ValueError):
        return set()
    return {t.id for node in tree.body for t in _assigned(node) if isinstance(t, ast.Name)}


_TOML_KEY = r"""^\s*(?:([A-Za-z0-9_-]+)|"([^"]*)"|'([^']*)')\s*="""


def _toml_top_level_keys(text):
    """The keys before the first [table]: a server's settings are flat (tomllib is 3.11+ only)."""
    import re

    toml_key = re.compile(_TOML_KEY)
    keys = set()
    for line in text.splitlines():
        if line.lstrip().startswith("["):
            break
        match = toml_key.match(line)
        if match:
            keys.add(next(g for g in match.groups() if g is not None))
    return keys


def compose(spec, user, detect, env, settings, conditions, values):
    """`detect`: every arg the server will see from the user, including those it reads from its own variable."""

    def kept(options):
        return [a for o in options if _keeps(o, detect, env, settings, conditions) for a in fill(o["args"], values)]

    return fill(spec["command"], values) + kept(spec["options"]) + user + kept(spec["app"])


def fill(args, values):
    """Run-time placeholders, {name}; `values` may compute them lazily (a temp dir is made only when used)."""
    return [_fill(a, values) for a in args]


def _fill(arg, values):
    first, *rest = arg.split("{")
    parts = [first]
    for part in rest:
        name, brace, after = part.partition("}")
        if brace and _is_word(name):
            parts += [str(values[name]), after]
        else:
            parts += ["{", part]
    return "".join(parts)


def _is_word(name):
    """What re's \\w+ matches: letters, digits (Unicode) and underscores, at least one."""
    return name != "" and name.replace("_", "a").isalnum()


def ascii_digits(text):
    """[0-9]+: str.isdigit() also accepts superscripts and Arabic-Indic digits, which int() refuses or reads."""
    return text != "" and all("0" <= c <= "9" for c in text)


def join(argv):
    """shlex.join(argv), the same text."""
    return " ".join(_quote(a) for a in argv)


def _quote(word):
    if not word:
        return "''"
    if all(c in _SAFE for c in word):
        return word
    return "'" + word.replace("'", "'\"'\"'") + "'"


def uses_option(args, names):
    return any(_is_option(a, n) for a in args for n in names)


def _keeps(option, args, env, settings, conditions):
    unless = option.get("unless") or {}
    if option.get("when") and option["when"] not in conditions:
        return False
    return not (
        uses_option(args, unless.get("options", []))
        or any(env.get(n) for n in unless.get("env", []))
        or settings.intersection(unless.get("settings", []))
    )


def _is_option(arg, name):
    if name.startswith("--"):
        return arg == name or arg.startswith(name + "=")
    return arg.startswith(name)  # short options may carry their value: -w4


def _option_value(args, names):
    value = None
    for i, arg in enumerate(args):
        for name in names:
            if arg == name and i + 1 < len(args):
                value = args[i + 1]
            elif _is_option(arg, name) and arg != name:
                value = arg[len(name) + 1 :] if name.startswith("--") else arg[len(name) :]
    return value


def _assigned(node):
    import ast

    if isinstance(node, ast.Assign):
        return node.targets
    if isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        return [node.target]
    return []


def _read(path):
    with open(path) as f:
        return f.read()
