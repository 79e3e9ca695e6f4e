import type { App } from './app.js';
import type { Env } from '../cnb/env.js';
import { setting } from './settings.js';
import { modulePaths, readDjangoSettings, settingsModuleFromManagePy, type DjangoProject } from './django.js';
import { entryPoint as msg } from '../output/messages.js';
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
export function entryPointSources(app: App, config: Env): string[] {
  const paths: string[] = [];
  const managePy = app.contents.get('manage.py');
  const settings = managePy && settingsModuleFromManagePy(managePy);
  if (settings) {
    paths.push(...modulePaths(settings));
    const text = moduleSource(app, settings);
    const wsgi = text && readDjangoSettings(settings, text).wsgiApplication;
    if (wsgi) paths.push(...modulePaths(splitTarget(wsgi).module));
  }
  if (app.dirs.has('wsgi')) paths.push('wsgi/__init__.py');
  const module = setting(config, 'BP_WSGI_MODULE');
  if (module) paths.push(...modulePaths(module));
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

function moduleSource(app: App, module: string): string | undefined {
  return modulePaths(module).map((p) => app.contents.get(p)).find((s) => s !== undefined);
}

function wsgiEntry(app: App, target: WsgiTarget, reason: string, django?: DjangoProject): EntryPoint {
  const source = moduleSource(app, target.module);
  if (source === undefined) throw msg.wsgiModuleMissing(target.module);
  if (!definesName(source, target.callable)) throw msg.wsgiCallableMissing(target.module, target.callable);
  return { kind: 'wsgi', target, reason, ...(django ? { django } : {}) };
}

function djangoProject(app: App): DjangoProject | undefined {
  const settingsModule = settingsModuleFromManagePy(app.contents.get('manage.py') ?? '');
  if (!settingsModule) return undefined;
  return readDjangoSettings(settingsModule, moduleSource(app, settingsModule) ?? '');
}

function splitTarget(dotted: string): WsgiTarget {
  const i = dotted.lastIndexOf('.');
  return { module: dotted.slice(0, i), callable: dotted.slice(i + 1) };
}

/** Procfile, BP_WSGI_MODULE, app.sh, app.py, Django, then wsgi.py or wsgi/: the first found wins. */
export function chooseEntryPoint(app: App, config: Env): EntryPoint {
  const callable = setting(config, 'BP_WSGI_CALLABLE');
  if (app.contents.has('Procfile')) {
    const { types, invalid } = parseProcfile(app.contents.get('Procfile') ?? '');
    if (invalid.length || types.size === 0) throw msg.procfileInvalid(invalid);
    return { kind: 'procfile', types, reason: msg.reasonProcfile([...types.keys()]) };
  }
  const module = setting(config, 'BP_WSGI_MODULE');
  if (module) return wsgiEntry(app, { module, callable: callable ?? 'application' }, msg.reasonWsgiModule(module));
  if (app.files.has('app.sh') && app.executables.has('app.sh')) return { kind: 'shell', file: 'app.sh', reason: msg.reasonAppSh };
  if (app.files.has('app.py')) return { kind: 'python', file: 'app.py', reason: msg.reasonAppPy };
  const django = app.files.has('manage.py') ? djangoProject(app) : undefined;
  if (django) {
    if (!django.wsgiApplication) throw msg.djangoNoWsgi(django.settingsModule);
    const target = splitTarget(django.wsgiApplication);
    return wsgiEntry(app, callable ? { ...target, callable } : target, msg.reasonDjango(django.settingsModule, django.wsgiApplication), django);
  }
  if (app.files.has('wsgi.py') || app.dirs.has('wsgi')) {
    return wsgiEntry(app, { module: 'wsgi', callable: callable ?? 'application' }, msg.reasonWsgiPy(app.files.has('wsgi.py') ? 'wsgi.py' : 'wsgi/'));
  }
  throw msg.noEntryPoint(app.files.has('app.sh'));
}
