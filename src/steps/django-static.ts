import type { Env } from '../cnb/env.js';
import { collectstatic, collectstaticSkipReason, staticPlan } from './collectstatic.js';
import type { DjangoProject } from '../plan/django.js';
import type { Log } from '../output/log.js';
import { appCommands, django as msg } from '../output/messages.js';
import { run } from '../effects/run.js';
import { tail } from '../plan/pip-failure.js';
import type { StaticPlan } from '../plan/processes.js';

// Settings are Python: ask Django for the values rather than guess from the source.
const READ_SETTINGS = 'import json, django; django.setup(); from django.conf import settings as s; print(json.dumps([str(s.STATIC_ROOT or ""), str(s.STATIC_URL or "")]))';

async function readStaticSettings(project: DjangoProject, appDir: string, env: Env, timeoutMs: number): Promise<{ root?: string; url?: string }> {
  const result = await run(['python', '-c', READ_SETTINGS], {
    cwd: appDir, env: { DJANGO_SETTINGS_MODULE: project.settingsModule, ...env, PYTHONPATH: appDir }, timeoutMs,
  });
  if (result.timedOut) throw appCommands.timedOut(msg.readingSettings, timeoutMs, tail(result.output), msg.skipHint);
  if (result.exitCode !== 0) throw msg.collectstaticFailed(tail(result.output));
  const [root, url] = JSON.parse(result.stdout.trim().split('\n').pop() ?? '[]') as string[];
  return { ...(root ? { root } : {}), ...(url ? { url } : {}) };
}

/** collectstatic at build time; returns where the static files are, for the servers to serve. */
export async function generateStaticFiles(project: DjangoProject, opts: { appDir: string; env: Env; config: Env; log: Log; write: (t: string) => void; timeoutMs: number }): Promise<StaticPlan | undefined> {
  opts.log.header(msg.header);
  const skip = collectstaticSkipReason(project, opts.config);
  if (skip) {
    opts.log.info(skip);
    return undefined;
  }
  const settings = await readStaticSettings(project, opts.appDir, opts.env, opts.timeoutMs);
  const plan = staticPlan({ ...project, ...(settings.url ? { staticUrl: settings.url } : {}) }, opts.appDir, settings.root);
  await collectstatic(project, { ...opts, ...(settings.root ? {} : { defaultRoot: plan.root }) });
  return plan;
}
