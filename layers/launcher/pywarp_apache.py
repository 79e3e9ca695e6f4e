"""Whether mod_wsgi-express can start Apache httpd here: it needs httpd itself and a shell for its
generated apachectl script. Read from the venv's files; mod_wsgi is not imported."""
import ast
import glob
import os
import shutil

import pywarp_messages as say


# mod_wsgi-express also looks here, which a non-root PATH often lacks.
EXTRA_SEARCH_DIRS = ("/usr/sbin",)


def apache_problem(venv_dir, env, installed, extra_dirs=EXTRA_SEARCH_DIRS):
    """One paragraph saying what is missing and what to do, or None when Apache can start."""
    path = os.pathsep.join([env.get("PATH", os.defpath)] + list(extra_dirs))
    missing = []
    candidates = [env["HTTPD"]] if env.get("HTTPD") else _built_for(venv_dir)
    if not any(_executable(c, path) for c in candidates):
        missing.append(say.no_httpd(candidates))
    if not (shutil.which("bash", path=path) or shutil.which("sh", path=path)):
        missing.append(say.no_shell())
    if not missing:
        return None
    return say.apache_missing(missing, [s for s in installed if s != "mod_wsgi"])


def _built_for(venv_dir):
    """Where mod_wsgi-express looks, in its order: the httpd mod_wsgi was built for (apxs_config.py)."""
    for config in glob.glob(os.path.join(venv_dir, "lib", "python*", "site-packages", "mod_wsgi", "server", "apxs_config.py")):
        values = _constants(config)
        program = values.get("PROGNAME", "httpd")
        if values.get("WITH_HTTPD_PACKAGE"):  # the mod_wsgi-httpd package: Apache inside the venv
            site = os.path.dirname(os.path.dirname(os.path.dirname(config)))
            return [os.path.join(site, "mod_wsgi_packages", "httpd", "bin", program)]
        return [os.path.join(values.get(d, ""), program) for d in ("SBINDIR", "BINDIR")] + [program]
    return ["httpd"]


def _constants(path):
    try:
        with open(path) as f:
            tree = ast.parse(f.read())
    except (OSError, SyntaxError, ValueError):
        return {}
    # ast.walk: the paths are set inside `if WITH_HTTPD_PACKAGE: … else: …`
    return {
        node.targets[0].id: node.value.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Constant)
    }


def _executable(name, path):
    found = name if os.path.isabs(name) else shutil.which(name, path=path)
    return bool(found) and os.path.isfile(found) and os.access(found, os.X_OK)
