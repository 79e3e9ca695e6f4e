import type { AppFiles } from '../effects/read-app.js';
import type { Env } from '../cnb/env.js';
import { setting } from './settings.js';
import { readDjangoSettings, settingsModuleFromManagePy, settingsPaths, type DjangoProject } from './django.js';
import { entryPoint as msg } from '../output/messages.js';
import { BuildError } from '../output/build-error.js';
import { parseProcfile } from './procfile.js';

export interface WsgiTarget { module: string; callable: string }

/** How the app starts, in warpdrive's order of precedence, with why it was chosen. */
export type EntryPoint =
  | { kind: 'procfile'; types: Map<string, string>; reason: string }
  | { kind: 'shell'; file: string; reason: string }
  | { kind: 'python'; file: string; reason: string }
  | { kind: 'wsgi'; target: WsgiTarget; django?: DjangoProject; reason: string };

/**
 * Source files that decide the entry point beyond the top level, to read before deciding.
 * Django's WSGI module is named inside its settings, so once the settings have been read
 * a second call adds it: call until the list stops growing.
 */
export function entryPointSources(app: AppFiles, config: Env): string[] {
  const paths: string[] = [];
  const managePy = app.contents.get('manage.py');
  const settings = managePy && settingsModuleFromManagePy(managePy);
  if (settings) {
    paths.push(...settingsPaths(settings));
    const text = settingsPaths(settings).map((p) => app.contents.get(p)).find((t) => t !== undefined);
    const wsgi = text && readDjangoSettings(settings, undefined, text).wsgiApplication;
    if (wsgi) paths.push(...settingsPaths(splitTarget(wsgi).module));
  }
  if (app.dirs.has('wsgi')) paths.push('wsgi/__init__.py');
  const module = setting(config, 'BP_WSGI_MODULE');
  if (module) paths.push(...settingsPaths(module));
  return paths;
}

/** Does a module bind `name` at its top level (assignment, def, class or import)? */
export function definesName(source: string, name: string): boolean {
  const patterns = [
    `^${name}\\s*(?::[^=\\n]*)?=`,
    `^(?:async\\s+)?def\\s+${name}\\b`,
    `^class\\s+${name}\\b`,
    `^(?:from\\s+\\S+\\s+)?import\\s+[^#\\n]*\\b${name}\\b`,
  ];
  return patterns.some((p) => new RegExp(p, 'm').test(source));
}

function moduleSource(app: AppFiles, module: string): string | undefined {
  return settingsPaths(module).map((p) => app.contents.get(p)).find((s) => s !== undefined);
}

function wsgiEntry(app: AppFiles, target: WsgiTarget, reason: string, django?: DjangoProject): EntryPoint {
  const source = moduleSource(app, target.module);
  if (source === undefined) throw new BuildError({ kind: 'wsgi-module-missing', module: target.module });
  if (!definesName(source, target.callable)) throw new BuildError({ kind: 'wsgi-callable-missing', module: target.module, callable: target.callable });
  return { kind: 'wsgi', target, reason, ...(django ? { django } : {}) };
}

function djangoProject(app: AppFiles): DjangoProject | undefined {
  const settingsModule = settingsModuleFromManagePy(app.contents.get('manage.py') ?? '');
  if (!settingsModule) return undefined;
  const settingsPath = settingsPaths(settingsModule).find((p) => app.contents.has(p));
  return readDjangoSettings(settingsModule, settingsPath, settingsPath ? app.contents.get(settingsPath) ?? '' : '');
}

function splitTarget(dotted: string): WsgiTarget {
  const i = dotted.lastIndexOf('.');
  return { module: dotted.slice(0, i), callable: dotted.slice(i + 1) };
}

/** Procfile, BP_WSGI_MODULE, app.sh, app.py, Django, then wsgi.py or wsgi/: the first found wins. */
export function chooseEntryPoint(app: AppFiles, config: Env): EntryPoint {
  const callable = setting(config, 'BP_WSGI_CALLABLE');
  if (app.contents.has('Procfile')) {
    const { types, invalid } = parseProcfile(app.contents.get('Procfile') ?? '');
    if (invalid.length || types.size === 0) throw new BuildError({ kind: 'procfile-invalid', lines: invalid });
    return { kind: 'procfile', types, reason: msg.reasonProcfile([...types.keys()]) };
  }
  const module = setting(config, 'BP_WSGI_MODULE');
  if (module) return wsgiEntry(app, { module, callable: callable ?? 'application' }, msg.reasonWsgiModule(module));
  if (app.files.has('app.sh') && app.executables.has('app.sh')) return { kind: 'shell', file: 'app.sh', reason: msg.reasonAppSh };
  if (app.files.has('app.py')) return { kind: 'python', file: 'app.py', reason: msg.reasonAppPy };
  const django = app.files.has('manage.py') ? djangoProject(app) : undefined;
  if (django) {
    if (!django.wsgiApplication) throw new BuildError({ kind: 'django-no-wsgi', settings: django.settingsModule });
    const target = splitTarget(django.wsgiApplication);
    return wsgiEntry(app, callable ? { ...target, callable } : target, msg.reasonDjango(django.settingsModule, django.wsgiApplication), django);
  }
  if (app.files.has('wsgi.py') || app.dirs.has('wsgi')) {
    return wsgiEntry(app, { module: 'wsgi', callable: callable ?? 'application' }, msg.reasonWsgiPy(app.files.has('wsgi.py') ? 'wsgi.py' : 'wsgi/'));
  }
  throw new BuildError({ kind: 'no-entry-point', nonExecutableAppSh: app.files.has('app.sh') });
}
