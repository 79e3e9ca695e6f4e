import path from 'node:path';
import type { Env } from '../cnb/env.js';
import { django as msg } from '../output/messages.js';
import type { StaticPlan } from './processes.js';

/** What the build reads from a Django project's source: enough to start it. Static settings are asked of Django. */
export interface DjangoProject {
  settingsModule: string;
  wsgiApplication?: string;
  asgiApplication?: string;
}

/** The static-files settings, as Django itself reports them (see steps/django-static.ts). */
export interface DjangoStaticSettings {
  staticfiles: boolean;
  /** STATIC_ROOT, or empty when unset. */
  root: string;
  url: string;
  /** WhiteNoise's middleware is in MIDDLEWARE: the app serves its static files itself. */
  whitenoiseMiddleware: boolean;
}

/** The settings module manage.py names (`os.environ.setdefault("DJANGO_SETTINGS_MODULE", "x.settings")`). */
export function settingsModuleFromManagePy(text: string): string | undefined {
  return /DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([\w.]+)['"]/.exec(text)?.[1];
}

/** Candidate files for a module: `a.b` is `a/b.py` or `a/b/__init__.py`. */
export function modulePaths(module: string): string[] {
  const base = module.replaceAll('.', '/');
  return [`${base}.py`, `${base}/__init__.py`];
}

/** WSGI_APPLICATION and ASGI_APPLICATION when the settings assign them string literals, the form startproject writes. */
export function readDjangoSettings(settingsModule: string, text: string): DjangoProject {
  const literal = (name: string) => new RegExp(`^${name}\\s*=\\s*['"]([^'"]+)['"]`, 'm').exec(text)?.[1];
  const wsgiApplication = literal('WSGI_APPLICATION');
  const asgiApplication = literal('ASGI_APPLICATION');
  return { settingsModule, ...(wsgiApplication ? { wsgiApplication } : {}), ...(asgiApplication ? { asgiApplication } : {}) };
}

const TRUTHY = /^(1|true|yes|on)$/i;
const DISABLING_SETTINGS = ['BP_DISABLE_COLLECTSTATIC', 'DISABLE_COLLECTSTATIC'] as const;

/** The setting that turns collectstatic off, when one does. */
export function collectstaticDisabledBy(config: Env): string | undefined {
  return DISABLING_SETTINGS.find((name) => TRUTHY.test(config[name] ?? ''));
}

/** Whether pywarp adds WhiteNoise to the venv, so that gunicorn and waitress serve the static files too. */
export interface StaticsPlan {
  toAdd?: { requirement: string; why: string };
  /** What of this decision changes the venv's contents. */
  cacheKey: string;
}

/**
 * A Django app that pywarp serves (not a Procfile's) gets WhiteNoise at build, as the WSGI
 * app gets its server, unless collectstatic is off or BP_PYTHON_STATIC=none.
 */
export function planStatics(servedDjango: boolean, config: Env, defaultRequirement: string): StaticsPlan {
  if (!servedDjango || collectstaticDisabledBy(config) || config.BP_PYTHON_STATIC?.trim() === 'none') return { cacheKey: '' };
  return {
    toAdd: { requirement: defaultRequirement, why: "to serve Django's static files; pinned in buildpack.toml" },
    cacheKey: `static=${defaultRequirement}`,
  };
}

/** WhiteNoise to add once the app's requirements are installed: none when they have it. */
export function staticsToAdd(plan: StaticsPlan, installed: readonly { name: string }[]): { requirement: string; why: string } | undefined {
  return installed.some((d) => d.name.toLowerCase() === 'whitenoise') ? undefined : plan.toAdd;
}

/**
 * Starts the line that carries Django's answer: the settings, an app or an atexit handler may
 * print to stdout too, before or after it.
 */
export const STATIC_SETTINGS_MARKER = 'pywarp-static-settings:';

/** Django's answer in what the settings reader printed, or undefined when it is not there whole. */
export function parseStaticSettings(stdout: string): DjangoStaticSettings | undefined {
  const line = stdout
    .split('\n')
    .reverse()
    .find((l) => l.startsWith(STATIC_SETTINGS_MARKER));
  if (line === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line.slice(STATIC_SETTINGS_MARKER.length));
  } catch {
    return undefined;
  }
  const v = value as Record<string, unknown> | null;
  const valid =
    typeof v === 'object' &&
    v !== null &&
    typeof v.staticfiles === 'boolean' &&
    typeof v.root === 'string' &&
    typeof v.url === 'string' &&
    typeof v.whitenoiseMiddleware === 'boolean';
  return valid
    ? {
        staticfiles: v.staticfiles as boolean,
        root: v.root as string,
        url: v.url as string,
        whitenoiseMiddleware: v.whitenoiseMiddleware as boolean,
      }
    : undefined;
}

/** Why Django's answer means no collectstatic, or undefined when it runs. */
export function collectstaticSkipReason(settings: DjangoStaticSettings): string | undefined {
  return settings.staticfiles ? undefined : msg.skippedNoStaticfiles;
}

/** Where static files go: the project's STATIC_ROOT, else `staticfiles/` in the app (exported with it). */
export function staticPlan(settings: DjangoStaticSettings, appDir: string): StaticPlan {
  return { url: settings.url || '/static/', root: settings.root || path.join(appDir, 'staticfiles'), byApp: settings.whitenoiseMiddleware };
}
