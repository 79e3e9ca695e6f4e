import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Env } from '../cnb/env.js';
import type { DjangoProject } from '../plan/django.js';
import type { Log } from '../output/log.js';
import { appCommands, django as msg } from '../output/messages.js';
import { tail } from '../plan/pip-failure.js';
import { run } from '../effects/run.js';
import type { StaticPlan } from '../plan/processes.js';

const TRUTHY = /^(1|true|yes|on)$/i;

/** Why collectstatic is skipped, or undefined when it runs. */
export function collectstaticSkipReason(project: DjangoProject, config: Env): string | undefined {
  for (const name of ['BP_DISABLE_COLLECTSTATIC', 'DISABLE_COLLECTSTATIC']) {
    if (TRUTHY.test(config[name] ?? '')) return msg.skippedBy(name);
  }
  return project.staticfiles ? undefined : msg.skippedNoStaticfiles;
}

/** Where static files go: the project's STATIC_ROOT, else `staticfiles/` in the app (exported with it). */
export function staticPlan(project: DjangoProject, appDir: string, staticRoot: string | undefined): StaticPlan {
  return { url: project.staticUrl ?? '/static/', root: staticRoot ?? path.join(appDir, 'staticfiles') };
}

/**
 * Runs `manage.py collectstatic --noinput`. A project without STATIC_ROOT gets one through a
 * settings module that extends its own, as warpdrive did; the app's files are not changed.
 */
export async function collectstatic(project: DjangoProject, opts: { appDir: string; env: Env; log: Log; write: (t: string) => void; timeoutMs: number; defaultRoot?: string }): Promise<void> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'pywarp-django-'));
  try {
    const env: Record<string, string> = { ...opts.env };
    if (opts.defaultRoot) {
      await writeFile(path.join(tmp, 'pywarp_collectstatic_settings.py'), `from ${project.settingsModule} import *  # noqa\nSTATIC_ROOT = ${JSON.stringify(opts.defaultRoot)}\n`);
      env.PYTHONPATH = [opts.appDir, tmp].join(':');
      env.DJANGO_SETTINGS_MODULE = 'pywarp_collectstatic_settings';
      opts.log.info(msg.defaultRoot(opts.defaultRoot));
    }
    const argv = ['python', 'manage.py', 'collectstatic', '--noinput'];
    opts.log.command(argv);
    const result = await run(argv, { cwd: opts.appDir, env, write: opts.write, timeoutMs: opts.timeoutMs });
    if (result.timedOut) throw appCommands.timedOut(msg.collectstatic, opts.timeoutMs, tail(result.output), msg.skipHint);
    if (result.exitCode !== 0) throw msg.collectstaticFailed(tail(result.output));
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
