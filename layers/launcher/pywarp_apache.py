"""Whether mod_wsgi-express can start Apache httpd here: it needs httpd itself and a shell for its
generated apachectl script. Read from the venv's files; mod_wsgi is not imported.

It runs before every mod_wsgi start, so it imports nothing beyond os: ast, glob and shutil (which
share re and enum) cost about 15 ms, paid on the way to the first request."""
import os

from pywarp_init import is_program, which
import pywarp_messages as say


# mod_wsgi-express also looks here, which a non-root PATH often lacks.
EXTRA_SEARCH_DIRS = ("/usr/sbin",)


def apache_problem(venv_dir, env, installed, extra_dirs=EXTRA_SEARCH_DIRS):
    """One paragraph saying what is missing and what to do, or None when Apache can start."""
    directories = env.get("PATH", os.defpath).split(os.pathsep) + list(extra_dirs)
    missing = []
    candidates = [env["HTTPD"]] if env.get("HTTPD") else _built_for(venv_dir)
    if not any(_executable(c, directories) for c in candidates):
        missing.append(say.no_httpd(candidates))
    if not (which("bash", directories) or which("sh", directories)):
        missing.append(say.no_shell())
    if not missing:
        return None
    return say.apache_missing(missing, [s for s in installed if s != "mod_wsgi"])


def _built_for(venv_dir):
    """Where mod_wsgi-express looks, in its order: the httpd mod_wsgi was built for (apxs_config.py)."""
    lib = os.path.join(venv_dir, "lib")
    configs = [os.path.join(lib, d, "site-packages", "mod_wsgi", "server", "apxs_config.py")
               for d in sorted(_listdir(lib)) if d.startswith("python")]
    for config in filter(os.path.isfile, configs):
        values = _constants(config)
        program = values.get("PROGNAME", "httpd")
        if values.get("WITH_HTTPD_PACKAGE"):  # the mod_wsgi-httpd package: Apache inside the venv
            site = os.path.dirname(os.path.dirname(os.path.dirname(config)))
            return [os.path.join(site, "mod_wsgi_packages", "httpd", "bin", program)]
        return [os.path.join(values.get(d, ""), program) for d in ("SBINDIR", "BINDIR")] + [program]
    return ["httpd"]


def _constants(path):
    """The NAME = 'string' / True / False lines of a generated apxs_config.py, at any indent (the paths are
    set inside `if WITH_HTTPD_PACKAGE: … else: …`), a later line winning."""
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except (OSError, ValueError):
        return {}
    values = {}
    for line in lines:
        name, sep, value = line.strip().partition(" = ")
        if sep and name.isidentifier():
            literal = _literal(value.strip())
            if literal is not None:
                values[name] = literal
    return values


def _literal(text):
    """A quoted string without escapes, True or False; None for anything else."""
    if text in ("True", "False"):
        return text == "True"
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"" and "\\" not in text and text[0] not in text[1:-1]:
        return text[1:-1]
    return None


def _listdir(path):
    try:
        return os.listdir(path)
    except OSError:
        return []


def _executable(name, directories):
    return is_program(name) if os.path.isabs(name) else which(name, directories) is not None
