import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BuildError } from '../output/build-error.js';
import { failureText } from '../output/messages.js';
import { createLog } from '../output/log.js';
import { ends } from '../../test/support/processes.js';
import { collectstatic } from './collectstatic.js';

let tmp: string;
let app: string;
let env: Record<string, string>;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pywarp-collectstatic-'));
  app = path.join(tmp, 'app');
  const bin = path.join(tmp, 'bin');
  await mkdir(app);
  await mkdir(bin);
  await symlink('/usr/bin/python3', path.join(bin, 'python'));
  env = { PATH: `${bin}:/usr/bin:/bin`, HOME: tmp };
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const project = { settingsModule: 'site.settings' };

test('a collectstatic that hangs is stopped at the timeout with a titled error quoting its last lines; its children die too', async () => {
  // An app whose settings wait for a database that never answers, with a helper process
  // that ignores SIGTERM: the whole process group must go.
  await writeFile(
    path.join(app, 'manage.py'),
    `
import os, signal, subprocess, sys, time
helper = subprocess.Popen([sys.executable, "-c", "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(1000)"])
with open("helper.pid", "w") as f:
    f.write(str(helper.pid))
print("Loading settings", flush=True)
print("Connecting to db.internal:5432", flush=True)
time.sleep(1000)
`,
  );
  const log: string[] = [];
  const err = await collectstatic(project, {
    appDir: app,
    env,
    log: createLog((t) => log.push(t)),
    write: (t) => log.push(t),
    timeoutMs: 2000,
  }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(BuildError);
  const { title, body } = failureText((err as BuildError).failure);
  expect(title).toBe("Django's collectstatic did not finish within 2 s");
  expect(body).toBe(`pywarp stopped it, and every process it started, after 2 s (BP_APP_COMMAND_TIMEOUT).
Its last lines:
  Loading settings
  Connecting to db.internal:5432

A command that never ends is often an app that connects to a database or another service
while its settings are imported, and the build cannot reach it: connect lazily instead.
Or skip the step with BP_DISABLE_COLLECTSTATIC=true and serve static files another way.
Raise BP_APP_COMMAND_TIMEOUT (in seconds) if the command only needs longer.`);
  expect(await ends(Number(readFileSync(path.join(app, 'helper.pid'), 'utf8')))).toBe(true);
  expect(log.join('')).toContain('Connecting to db.internal:5432');
});

test('a collectstatic that fails is the usual titled error', async () => {
  await writeFile(path.join(app, 'manage.py'), 'import sys\nprint("ImproperlyConfigured: STATIC_ROOT")\nsys.exit(1)\n');
  const err = await collectstatic(project, {
    appDir: app,
    env,
    log: createLog(() => undefined),
    write: () => undefined,
    timeoutMs: 60_000,
  }).catch((e: unknown) => e);
  expect(failureText((err as BuildError).failure).title).toBe("Django's collectstatic failed");
  expect(failureText((err as BuildError).failure).body).toContain('  ImproperlyConfigured: STATIC_ROOT');
});
