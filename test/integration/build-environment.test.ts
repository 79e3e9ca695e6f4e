// What apps expect from the build: the platform environment in their build steps, Django's
// static files under every server, lenient version files, warpdrive's hooks.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { writeApp } from '../support/apps.js';
import { useFixtureBuildpack } from '../support/fixture-buildpack.js';
import { TestImage } from '../support/pywarp.js';
import { serve } from '../support/serve.js';

jest.setTimeout(600_000);

const setup = useFixtureBuildpack('pywarp-build-env-');

async function build(name: string, files: Record<string, string>, env: Record<string, string> = {}) {
  const app = await writeApp(join(setup.work, name, 'app'), files);
  const image = new TestImage(join(setup.work, name), setup.bp);
  const result = await image.build(app, { PIP_INDEX_URL: `${setup.server.url}/wheelhouse/simple/`, ...env });
  return { app, image, ...result };
}

const MANAGE =
  'import os, sys\nif __name__ == "__main__":\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_conf.settings")\n    from django.core.management import execute_from_command_line\n    execute_from_command_line(sys.argv)\n';
const URLS =
  'from django.http import HttpResponse\nfrom django.urls import path\n\nurlpatterns = [path("", lambda r: HttpResponse("Hello from Django"))]\n';
const WSGI =
  'import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_conf.settings")\napplication = get_wsgi_application()\n';
const settings = (apps: string, extra = '') =>
  `import os\nSECRET_KEY = "x"\nDEBUG = False\nALLOWED_HOSTS = ["*"]\nINSTALLED_APPS = [\n${apps}]\nMIDDLEWARE = []\nROOT_URLCONF = "site_conf.urls"\nSTATIC_URL = "/static/"\nDATABASES = {}\n${extra}`;
const djangoApp = (settingsText: string, requirements: string) => ({
  'requirements.txt': requirements,
  'manage.py': MANAGE,
  'site_conf/__init__.py': '',
  'site_conf/settings.py': settingsText,
  'site_conf/urls.py': URLS,
  'site_conf/wsgi.py': WSGI,
});
const ADMIN_APPS =
  '    "django.contrib.admin",\n    "django.contrib.auth",\n    "django.contrib.contenttypes",\n    "django.contrib.sessions",\n    "django.contrib.messages",\n    "django.contrib.staticfiles",\n';

test('the platform env reaches pip (${VAR} in requirements) and collectstatic (a settings module that needs a variable)', async () => {
  const result = await build(
    'platform-env',
    djangoApp(settings(ADMIN_APPS, 'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\n'), 'Django==3.2.25\n${SERVER_PACKAGE}\n'),
    {
      SERVER_PACKAGE: 'waitress',
      DJANGO_SECRET_KEY: 'from-the-platform',
    },
  );
  expect([result.exitCode, result.output]).toEqual([0, expect.stringContaining('Successfully installed')]);
  expect(result.output).toMatch(/Successfully installed [^\n]*waitress/);
  expect(result.output).toContain("Running 'python manage.py collectstatic --noinput'");
  expect(result.output).not.toContain('from-the-platform');
});

test("Django's static files are served by every server, WhiteNoise added for gunicorn and waitress", async () => {
  const { app, image, exitCode, output } = await build(
    'statics',
    djangoApp(settings(ADMIN_APPS), 'Django==3.2.25\nmod_wsgi\ngunicorn\nuWSGI\nwaitress\n'),
  );
  expect([exitCode, output]).toEqual([
    0,
    expect.stringContaining("adding whitenoise==6.0.0 (to serve Django's static files; pinned in buildpack.toml)"),
  ]);
  for (const process of ['web', 'mod_wsgi', 'gunicorn', 'uwsgi', 'waitress']) {
    await serve(image, app, 'Hello from Django', { process });
    await serve(image, app, '#header', { process, path: '/static/admin/css/base.css' });
  }
});

test('BP_PYTHON_STATIC=none adds no WhiteNoise', async () => {
  const { exitCode, output } = await build('statics-none', djangoApp(settings(ADMIN_APPS), 'Django==3.2.25\ngunicorn\n'), {
    BP_PYTHON_STATIC: 'none',
  });
  expect(exitCode).toBe(0);
  expect(output).not.toContain('adding whitenoise');
});

test('staticfiles commented out: Django says it is not installed, collectstatic is skipped', async () => {
  const { exitCode, output } = await build(
    'no-staticfiles',
    djangoApp(settings('    "django.contrib.contenttypes",\n    # "django.contrib.staticfiles",\n'), 'Django==3.2.25\ngunicorn\n'),
  );
  expect([exitCode, output]).toEqual([
    0,
    expect.stringContaining('Skipping collectstatic: django.contrib.staticfiles is not in INSTALLED_APPS.'),
  ]);
});

test('a Procfile-started Django app gets collectstatic too', async () => {
  const { exitCode, output } = await build('procfile-django', {
    ...djangoApp(settings(ADMIN_APPS), 'Django==3.2.25\ngunicorn\nwhitenoise\n'),
    Procfile: 'web: gunicorn site_conf.wsgi\n',
  });
  expect([exitCode, output]).toEqual([0, expect.stringContaining("Running 'python manage.py collectstatic --noinput'")]);
});

test('an empty runtime.txt after a valid .python-version is a warning, not a failure', async () => {
  const { exitCode, output } = await build('empty-runtime', {
    '.python-version': `${setup.fixtures.cpythonVersion}\n`,
    'runtime.txt': '',
    'app.py': 'import time\ntime.sleep(1)\n',
  });
  expect([exitCode, output]).toEqual([0, expect.stringContaining('[Warning: runtime.txt is ignored]')]);
  expect(output).toContain(`.python-version requests Python ${setup.fixtures.cpythonVersion}.`);
});

test("warpdrive's hooks: build-env, pre-build and build at build; deploy at start; migrate as a process type", async () => {
  const { app, image, exitCode, output } = await build('hooks', {
    'requirements.txt': 'waitress\n',
    'wsgi.py':
      'import os\n\ndef application(environ, start_response):\n    start_response("200 OK", [])\n    return [open("deployed.txt").read().encode() + os.environ.get("FROM_ENV_FILE", "").encode()]\n',
    '.warpdrive/environment': 'FROM_ENV_FILE=+environment\n',
    '.warpdrive/action_hooks/build-env+x': '#!/bin/sh\nGREETING=built\n',
    '.warpdrive/action_hooks/pre-build+x': '#!/bin/sh\necho "pre-build sees $GREETING"\n',
    '.warpdrive/action_hooks/build+x':
      '#!/bin/sh\nset -e\npython -c "import waitress; print(\'build sees waitress\')"\necho "$GREETING" > built.txt\n',
    '.warpdrive/action_hooks/deploy+x': '#!/bin/sh\necho deployed > deployed.txt\n',
    '.warpdrive/action_hooks/migrate+x': '#!/bin/sh\necho migrating\n',
    '.warpdrive/action_hooks/ready': '#!/bin/sh\nexit 0\n',
  });
  expect([exitCode, output]).toEqual([0, expect.stringContaining('pre-build sees built')]);
  expect(output).toContain('build sees waitress');
  expect(output).toContain(
    '[Warning: A warpdrive hook is not executable]\nThese hooks exist but are not executable, so they do not run (as with warpdrive):\n  .warpdrive/action_hooks/ready',
  );
  expect(await readFile(join(app, 'built.txt'), 'utf8')).toBe('built\n');
  await serve(image, app, 'deployed\n+environment');
  const migrate = await image.run(app, { process: 'migrate' });
  expect([migrate.exitCode, migrate.output]).toEqual([0, expect.stringContaining('migrating')]);
});

test('a failing build hook is a titled error quoting its last lines', async () => {
  const { exitCode, output } = await build('hook-fails', {
    'app.py': '',
    '.warpdrive/action_hooks/build+x': '#!/bin/sh\necho "compiling assets"\necho "npm: not found" >&2\nexit 3\n',
  });
  expect(exitCode).not.toBe(0);
  expect(output).toContain(
    '[Error: The build hook failed]\n.warpdrive/action_hooks/build exited with status 3. Its last lines:\n  compiling assets\n  npm: not found',
  );
});
