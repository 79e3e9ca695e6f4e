import type { Env } from '../cnb/env.js';
import { collectstatic } from './collectstatic.js';
import {
  collectstaticDisabledBy,
  collectstaticSkipReason,
  parseStaticSettings,
  STATIC_SETTINGS_MARKER,
  staticPlan,
  type DjangoProject,
  type DjangoStaticSettings,
} from '../plan/django.js';
import type { Log } from '../output/log.js';
import { BuildError } from '../output/build-error.js';
import { django as msg } from '../output/messages.js';
import { runAppCommand } from './app-command.js';
import { tail } from '../plan/pip-failure.js';
import type { StaticPlan } from '../plan/processes.js';

// Settings are Python: ask Django for the values rather than guess from the source.
const READ_SETTINGS = [
  'import json, django',
  'django.setup()',
  'from django.apps import apps',
  'from django.conf import settings as s',
  // on a line of its own, whatever the settings printed without a newline
  `print("\\n" + ${JSON.stringify(STATIC_SETTINGS_MARKER)} + json.dumps({"staticfiles": apps.is_installed("django.contrib.staticfiles"), "root": str(s.STATIC_ROOT or ""), "url": str(s.STATIC_URL or ""), "whitenoiseMiddleware": "whitenoise.middleware.WhiteNoiseMiddleware" in s.MIDDLEWARE}), flush=True)`,
].join('\n');

async function readStaticSettings(project: DjangoProject, appDir: string, env: Env, timeoutMs: number): Promise<DjangoStaticSettings> {
  const result = await runAppCommand(
    ['python', '-c', READ_SETTINGS],
    { what: msg.readingSettings, hint: msg.skipHint },
    { cwd: appDir, env: { DJANGO_SETTINGS_MODULE: project.settingsModule, ...env, PYTHONPATH: appDir }, timeoutMs },
  );
  if (result.exitCode !== 0) throw new BuildError({ kind: 'collectstatic-failed', djangoTail: tail(result.output) });
  const settings = parseStaticSettings(result.stdout);
  if (!settings) throw new BuildError({ kind: 'django-settings-unreadable', lastLines: tail(result.output) });
  return settings;
}

/** collectstatic at build time; returns where the static files are, for the servers to serve. */
export async function generateStaticFiles(
  project: DjangoProject,
  opts: { appDir: string; env: Env; config: Env; log: Log; write: (t: string) => void; timeoutMs: number },
): Promise<StaticPlan | undefined> {
  opts.log.header(msg.header);
  const disabledBy = collectstaticDisabledBy(opts.config);
  if (disabledBy) {
    opts.log.info(msg.skippedBy(disabledBy));
    return undefined;
  }
  const settings = await readStaticSettings(project, opts.appDir, opts.env, opts.timeoutMs);
  const skip = collectstaticSkipReason(settings);
  if (skip) {
    opts.log.info(skip);
    return undefined;
  }
  const plan = staticPlan(settings, opts.appDir);
  await collectstatic(project, { ...opts, ...(settings.root ? {} : { defaultRoot: plan.root }) });
  return plan;
}
