import type { Target } from '../cnb/context.js';
import type { Env } from '../cnb/env.js';
import type { App, AppReads } from './app.js';
import { checkEnvironment } from './checks.js';
import { hooksReads, planHooks, type HooksPlan } from './hooks.js';
import type { Dependency } from './cpython-table.js';
import { planStatics, type DjangoProject, type StaticsPlan } from './django.js';
import { chooseEntryPoint, detectDjango, entryPointSources, type EntryPoint } from './entry-point.js';
import { installReads, planInstall, type InstallPlan } from './install.js';
import { planPython, type PythonPlan } from './python.js';
import { planServer, type DefaultServers, type ServerPlan } from './server.js';
import { setting } from './settings.js';
import { appCommandTimeoutMs, pipInstallTimeoutMs } from './app-timeout.js';

/** Every decision the build makes before it touches a layer. */
export interface BuildPlan {
  python: PythonPlan;
  entry: EntryPoint;
  install: InstallPlan;
  server: ServerPlan;
  statics: StaticsPlan;
  hooks: HooksPlan;
  /** A Django project (however it starts), whose static files are collected at build; `home` is where manage.py is. */
  django?: { project: DjangoProject; home?: string };
  /** How long each of the app's own commands may run at build (BP_APP_COMMAND_TIMEOUT). */
  appCommandTimeoutMs: number;
  /** How long each pip install and the venv's creation may run (BP_PIP_INSTALL_TIMEOUT). */
  pipInstallTimeoutMs: number;
}

/** What the buildpack itself brings to the decisions. */
export interface BuildpackFacts {
  cpythonTable: readonly Dependency[];
  /** The requirement added to an app that installs no server of its interface, pinned in buildpack.toml. */
  defaultServers: DefaultServers;
  /** The requirement added to a served Django app to serve its static files (WhiteNoise). */
  defaultStatic: string;
}

/** What the decisions read from the app beyond its top level; readApp calls it until it asks for nothing new. */
export function appReads(app: App, config: Env): AppReads {
  const install = installReads(app, config);
  const hooks = hooksReads(app);
  return { files: [...entryPointSources(app, config), ...install.files, ...hooks.files], dirs: [...install.dirs, ...hooks.dirs] };
}

export function planBuild(app: App, config: Env, facts: BuildpackFacts, target: Target): BuildPlan {
  checkEnvironment(config);
  const entry = chooseEntryPoint(app, config);
  const django =
    entry.kind === 'wsgi' && entry.django
      ? { project: entry.django, ...(entry.home ? { home: entry.home } : {}) }
      : detectDjango(app, config);
  // a lock is read for the Python the build installs
  const python = planPython(app, config, facts.cpythonTable, target);
  return {
    ...(django ? { django } : {}),
    python,
    entry,
    install: planInstall(app, config, { python: python.dependency.version, arch: target.arch }),
    server: planServer(setting(config, 'BP_PYTHON_SERVER'), entry, facts.defaultServers),
    hooks: planHooks(app),
    statics: planStatics(entry.kind === 'wsgi' && entry.django !== undefined, config, facts.defaultStatic),
    appCommandTimeoutMs: appCommandTimeoutMs(config),
    pipInstallTimeoutMs: pipInstallTimeoutMs(config),
  };
}
