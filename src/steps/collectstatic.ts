import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Env } from '../cnb/env.js';
import type { DjangoProject } from '../plan/django.js';
import type { Log } from '../output/log.js';
import { BuildError } from '../output/build-error.js';
import { django as msg } from '../output/messages.js';
import { tail } from '../plan/pip-failure.js';
import { runAppCommand } from './app-command.js';

/**
 * Runs `manage.py collectstatic --noinput`. A project without STATIC_ROOT gets one through a
 * settings module that extends its own, as warpdrive did; the app's files are not changed.
 */
export async function collectstatic(
  project: DjangoProject,
  opts: { appDir: string; env: Env; log: Log; write: (t: string) => void; timeoutMs: number; defaultRoot?: string },
): Promise<void> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'pywarp-django-'));
  try {
    const env: Record<string, string> = { ...opts.env };
    if (opts.defaultRoot) {
      await writeFile(
        path.join(tmp, 'pywarp_collectstatic_settings.py'),
        `from ${project.settingsModule} import *  # noqa\nSTATIC_ROOT = ${JSON.stringify(opts.defaultRoot)}\n`,
      );
      env.PYTHONPATH = [opts.appDir, tmp].join(':');
      env.DJANGO_SETTINGS_MODULE = 'pywarp_collectstatic_settings';
      opts.log.info(msg.defaultRoot(opts.defaultRoot));
    }
    const argv = ['python', 'manage.py', 'collectstatic', '--noinput'];
    opts.log.command(argv);
    const result = await runAppCommand(
      argv,
      { what: msg.collectstatic, hint: msg.skipHint },
      { cwd: opts.appDir, env, write: opts.write, timeoutMs: opts.timeoutMs },
    );
    if (result.exitCode !== 0) throw new BuildError({ kind: 'collectstatic-failed', djangoTail: tail(result.output) });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
