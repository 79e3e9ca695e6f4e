import type { Env } from '../cnb/env.js';
import { isTable, parseToml } from '../cnb/toml.js';
import { entryPoint as msg } from '../output/messages.js';
import { BuildError } from '../output/build-error.js';
import type { App } from './app.js';
import { modulePaths, readDjangoSettings, settingsModuleFromManagePy, type DjangoProject } from './django.js';
import { parseProcfile } from './procfile.js';
import { appDefinition, definesName, gunicornWsgiApp, parseEnvLines, startsItself, type AppDefinition } from './python-source.js';
import { setting } from './settings.js';

export { definesName };

/** The app's callable; a factory is called once to get the app (`module:create_app()`). WSGI unless `interface` says ASGI. */
export interface WsgiTarget {
  module: string;
  callable: string;
  factory?: boolean;
  interface?: 'asgi';
}

/** The target a module's definition names. */
function definedTarget(module: string, d: AppDefinition): WsgiTarget {
  return {
    module,
    callable: d.callable,
    ...(d.factory ? { factory: true } : {}),
    ...(d.interface === 'asgi' ? { interface: 'asgi' as const } : {}),
  };
}

/** How the app starts, with why it was chosen. `home` is the app's sub-directory, when it lives in one. */
export type EntryPoint = (
  | { kind: 'procfile'; types: Map<string, string> }
  | { kind: 'shell'; file: string }
  | { kind: 'python'; file: string }
  | { kind: 'wsgi'; target: WsgiTarget; django?: DjangoProject }
  | { kind: 'script'; name: string }
  | { kind: 'none'; nonExecutableAppSh: boolean }
) & { reason: string; home?: string; notes?: string[] };

const S2I_ENVIRONMENT = '.s2i/environment';
const DEPLOY_MODE = '.warpdrive/deploy_mode';
const WARPDRIVE_HOME = '.warpdrive/home';
const SCRIPT_FILES = ['app.py', 'main.py'];
const GUNICORN_CONFIGS = ['gunicorn.conf.py', 'gunicorn.conf'];
const SKIPPED_DIRS = new Set(['node_modules', 'venv', 'env', 'staticfiles', 'static', 'media', 'docs', 'tests', 'test']);
const MAX_DIRS = 50;

/** Where the explicit settings come from: the build environment wins over .s2i/environment. */
interface Explicit {
  values: Record<string, string>;
  where: (name: string) => string;
}

function explicitSettings(app: App, config: Env): Explicit {
  const file = parseEnvLines(app.contents.get(S2I_ENVIRONMENT) ?? '');
  const values: Record<string, string> = { ...file };
  for (const [k, v] of Object.entries(config)) if (v.trim()) values[k] = v.trim();
  return { values, where: (name) => (config[name]?.trim() ? 'build environment' : S2I_ENVIRONMENT) };
}

/** The sub-directory the app lives in: APP_HOME, else warpdrive's .warpdrive/home. */
function appHome(app: App, explicit: Explicit): { home: string; reason: string } | undefined {
  const fromS2i = explicit.values.APP_HOME;
  const fromWarpdrive = app.contents.get(WARPDRIVE_HOME)?.trim();
  const raw = fromS2i ?? fromWarpdrive;
  if (!raw) return undefined;
  const home = raw.replace(/^\.?\/+/, '').replace(/\/+$/, '');
  if (home === '' || home === '.') return undefined;
  if (home.split('/').includes('..') || home.startsWith('/')) throw new BuildError({ kind: 'app-home-outside', value: raw });
  return { home, reason: fromS2i ? msg.reasonAppHome(explicit.where('APP_HOME'), home) : msg.reasonWarpdriveHome(home) };
}

function join(home: string | undefined, rel: string): string {
  return home ? `${home}/${rel}` : rel;
}

function splitDotted(dotted: string): WsgiTarget {
  const i = dotted.lastIndexOf('.');
  return { module: dotted.slice(0, i), callable: dotted.slice(i + 1) };
}

/** `module:callable`, `module:factory()` or, with `defaultCallable`, a bare module. */
export function parseTarget(text: string, defaultCallable: string): WsgiTarget {
  const [module = '', callable = defaultCallable] = text.split(':');
  const factory = callable.endsWith('()');
  return { module, callable: factory ? callable.slice(0, -2) : callable, ...(factory ? { factory } : {}) };
}

export function formatTarget(target: WsgiTarget): string {
  return `${target.module}:${target.callable}${target.factory ? '()' : ''}`;
}

function moduleSource(app: App, home: string | undefined, module: string): string | undefined {
  return modulePaths(module)
    .map((p) => app.contents.get(join(home, p)))
    .find((s) => s !== undefined);
}

/** A WSGI entry point whose module exists and defines its callable. */
function wsgiEntry(app: App, home: string | undefined, target: WsgiTarget, reason: string, django?: DjangoProject): EntryPoint {
  const source = moduleSource(app, home, target.module);
  if (source === undefined)
    throw new BuildError({ kind: 'wsgi-module-missing', module: target.module, path: join(home, target.module.replaceAll('.', '/')) });
  if (!definesName(source, target.callable))
    throw new BuildError({ kind: 'wsgi-callable-missing', module: target.module, callable: target.callable });
  return { kind: 'wsgi', target, reason, ...(home ? { home } : {}), ...(django ? { django } : {}) };
}

/** Directories one level down that may hold a Django project (backend/, src/…). */
function candidateDirs(app: App): string[] {
  return [...app.dirs]
    .filter((d) => !d.startsWith('.') && !SKIPPED_DIRS.has(d))
    .sort()
    .slice(0, MAX_DIRS);
}

/** The Django project: manage.py at the app's home, else one directory down. */
function findDjango(app: App, home: string | undefined): { dir: string | undefined; settingsModule: string; others: string[] } | undefined {
  const dirs = home ? [home] : [undefined, ...candidateDirs(app)];
  const found = dirs.flatMap((dir) => {
    const settingsModule = settingsModuleFromManagePy(app.contents.get(join(dir, 'manage.py')) ?? '');
    return settingsModule ? [{ dir, settingsModule }] : [];
  });
  const [first, ...rest] = found;
  return first ? { ...first, others: rest.map((f) => join(f.dir, 'manage.py')) } : undefined;
}

/** Django's WSGI module: WSGI_APPLICATION when set, else `<settings package>.wsgi` when it exists. */
/** Servers that run ASGI apps, as requirement names: naming one asks for Django's ASGI side. */
const ASGI_SERVER_REQUIREMENT = /^\s*(uvicorn|daphne|hypercorn|uvicorn-worker)\b/im;

/** Django served as ASGI: BP_DJANGO_INTERFACE=asgi, or ASGI_APPLICATION set and an ASGI server required. */
function djangoAsgi(app: App, config: Env, project: DjangoProject): { target: WsgiTarget; why: string } | undefined {
  const forced = setting(config, 'BP_DJANGO_INTERFACE')?.toLowerCase() === 'asgi';
  const declared =
    ASGI_SERVER_REQUIREMENT.test(app.contents.get('requirements.txt') ?? '') ||
    /["'](uvicorn|daphne|hypercorn)\b/i.test(app.contents.get('pyproject.toml') ?? '');
  if (!forced && !(project.asgiApplication && declared)) return undefined;
  const pkg = project.settingsModule.slice(0, Math.max(0, project.settingsModule.lastIndexOf('.')));
  const dotted = project.asgiApplication ?? (pkg ? `${pkg}.asgi.application` : undefined);
  if (!dotted) return undefined;
  return { target: { ...splitDotted(dotted), interface: 'asgi' }, why: forced ? msg.djangoAsgiBySetting : msg.djangoAsgiByServer };
}

function djangoEntry(app: App, config: Env, django: NonNullable<ReturnType<typeof findDjango>>, callable: string | undefined): EntryPoint {
  const { dir, settingsModule } = django;
  const project = readDjangoSettings(settingsModule, moduleSource(app, dir, settingsModule) ?? '');
  const managePy = join(dir, 'manage.py');
  let target: WsgiTarget;
  let from: string;
  if (project.wsgiApplication) {
    target = splitDotted(project.wsgiApplication);
    from = msg.djangoFromSetting;
  } else {
    const pkg = settingsModule.includes('.') ? settingsModule.slice(0, settingsModule.lastIndexOf('.')) : '';
    if (!pkg || moduleSource(app, dir, `${pkg}.wsgi`) === undefined)
      throw new BuildError({ kind: 'django-no-wsgi', settings: settingsModule });
    target = { module: `${pkg}.wsgi`, callable: 'application' };
    from = msg.djangoFromPackage;
  }
  if (callable) target = { ...target, callable };
  let reason = msg.reasonDjango(managePy, settingsModule, formatTarget(target), from);
  const asgi = djangoAsgi(app, config, project);
  if (asgi) {
    target = asgi.target;
    reason += msg.djangoAsgi(formatTarget(target), asgi.why);
  }
  const entry = wsgiEntry(app, dir, target, reason, project);
  return django.others.length ? { ...entry, notes: [msg.alsoFound(managePy, django.others)] } : entry;
}

/** app.py / main.py: a script that serves itself, else its WSGI app or factory. */
function scriptFileEntry(app: App, home: string | undefined): EntryPoint | undefined {
  const present = SCRIPT_FILES.filter((f) => app.contents.has(join(home, f)));
  const [file] = present;
  if (file === undefined) return undefined;
  const path = join(home, file);
  const source = app.contents.get(path) ?? '';
  const notes =
    present.length > 1
      ? [
          msg.alsoFound(
            path,
            present.slice(1).map((f) => join(home, f)),
          ),
        ]
      : [];
  const withNotes = (e: EntryPoint): EntryPoint => (notes.length ? { ...e, notes } : e);
  const definition = appDefinition(source);
  if (startsItself(source) || !definition)
    return withNotes({ kind: 'python', file: path, reason: msg.reasonScript(path), ...(home ? { home } : {}) });
  const target = definedTarget(file.replace(/\.py$/, ''), definition);
  const reason = definition.factory
    ? msg.reasonModuleFactory(path, formatTarget(target), definition.interface)
    : msg.reasonModuleApp(path, formatTarget(target), definition.interface);
  return withNotes({ kind: 'wsgi', target, reason, ...(home ? { home } : {}) });
}

/** The project's name as pyproject.toml, setup.cfg or setup.py give it, with the file it came from. */
function projectName(app: App): { name: string; origin: string } | undefined {
  const pyproject = tomlTable(app.contents.get('pyproject.toml'));
  const project = isTable(pyproject?.project) ? pyproject.project : undefined;
  const poetry = isTable(pyproject?.tool) && isTable(pyproject.tool.poetry) ? pyproject.tool.poetry : undefined;
  const fromToml = project?.name ?? poetry?.name;
  if (typeof fromToml === 'string') return { name: fromToml, origin: 'pyproject.toml' };
  const cfg = /^\[metadata\][^[]*?^name\s*=\s*(\S+)/ms.exec(app.contents.get('setup.cfg') ?? '')?.[1];
  if (cfg) return { name: cfg, origin: 'setup.cfg' };
  const py = /\bname\s*=\s*['"]([\w.-]+)['"]/.exec(app.contents.get('setup.py') ?? '')?.[1];
  return py ? { name: py, origin: 'setup.py' } : undefined;
}

function tomlTable(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    return parseToml(text, 'pyproject.toml');
  } catch {
    return undefined;
  }
}

function importName(project: string): string {
  return project.toLowerCase().replace(/[-.]+/g, '_');
}

/** Files of the project's own module, in the flat and the src/ layout. */
function packageFiles(module: string): { path: string; home?: string }[] {
  return [`${module}/__init__.py`, `${module}.py`].flatMap((p) => [{ path: p }, { path: `src/${p}`, home: 'src' }]);
}

function packageEntry(app: App): EntryPoint | undefined {
  const project = projectName(app);
  if (project) {
    const module = importName(project.name);
    for (const file of packageFiles(module)) {
      const definition = appDefinition(app.contents.get(file.path) ?? '');
      if (!definition || !app.contents.has(file.path)) continue;
      const target = definedTarget(module, definition);
      return {
        kind: 'wsgi',
        target,
        reason: msg.reasonPackage(project.origin, module, formatTarget(target), definition.interface),
        ...(file.home ? { home: file.home } : {}),
      };
    }
  }
  const pyproject = tomlTable(app.contents.get('pyproject.toml'));
  const scripts = [
    ['pyproject.toml [project.scripts]', isTable(pyproject?.project) ? pyproject.project.scripts : undefined],
    [
      'pyproject.toml [tool.poetry.scripts]',
      isTable(pyproject?.tool) && isTable(pyproject.tool.poetry) ? pyproject.tool.poetry.scripts : undefined,
    ],
  ] as const;
  for (const [origin, table] of scripts) {
    const names = isTable(table) ? Object.keys(table) : [];
    if (names.length === 1 && names[0]) return { kind: 'script', name: names[0], reason: msg.reasonProjectScript(origin, names[0]) };
  }
  return undefined;
}

/**
 * Files the decision reads beyond the top level. Django's WSGI module is named inside its
 * settings, so once the settings have been read a second call adds it: readApp calls until
 * the list stops growing.
 */
export function entryPointSources(app: App, config: Env): string[] {
  const explicit = explicitSettings(app, config);
  let home: string | undefined;
  try {
    home = appHome(app, explicit)?.home;
  } catch {
    home = undefined;
  }
  const paths = [S2I_ENVIRONMENT, DEPLOY_MODE, WARPDRIVE_HOME, 'Procfile'];
  const at = (p: string) => join(home, p);
  paths.push(...['app.sh', ...SCRIPT_FILES, 'manage.py', 'wsgi.py', 'asgi.py', ...GUNICORN_CONFIGS].map(at));
  if (!home) paths.push(...candidateDirs(app).map((d) => `${d}/manage.py`));
  if (app.dirs.has('wsgi') || home) paths.push(at('wsgi/__init__.py'));
  const django = findDjango(app, home);
  if (django) {
    paths.push(...modulePaths(django.settingsModule).map((p) => join(django.dir, p)));
    const project = readDjangoSettings(django.settingsModule, moduleSource(app, django.dir, django.settingsModule) ?? '');
    const pkg = django.settingsModule.slice(0, Math.max(0, django.settingsModule.lastIndexOf('.')));
    const wsgiModule = project.wsgiApplication ? splitDotted(project.wsgiApplication).module : pkg ? `${pkg}.wsgi` : undefined;
    if (wsgiModule) paths.push(...modulePaths(wsgiModule).map((p) => join(django.dir, p)));
    if (project.asgiApplication) paths.push(...modulePaths(splitDotted(project.asgiApplication).module).map((p) => join(django.dir, p)));
  }
  for (const name of ['BP_ASGI_MODULE', 'BP_WSGI_MODULE', 'APP_MODULE'] as const) {
    const value = name === 'APP_MODULE' ? explicit.values[name] : setting(config, name);
    if (value) paths.push(...modulePaths(parseTarget(value, 'application').module).map(at));
  }
  for (const config of GUNICORN_CONFIGS) {
    const target = gunicornWsgiApp(app.contents.get(at(config)) ?? '');
    if (target) paths.push(...modulePaths(parseTarget(target, 'application').module).map(at));
  }
  const project = projectName(app);
  if (project) paths.push(...packageFiles(importName(project.name)).map((f) => f.path));
  return paths;
}

/** The Django project, however the app starts (a Procfile too): its static files are collected at build. */
export function detectDjango(app: App, config: Env): { project: DjangoProject; home?: string } | undefined {
  let home: string | undefined;
  try {
    home = appHome(app, explicitSettings(app, config))?.home;
  } catch {
    return undefined;
  }
  const django = findDjango(app, home);
  if (!django) return undefined;
  const project = readDjangoSettings(django.settingsModule, moduleSource(app, django.dir, django.settingsModule) ?? '');
  return { project, ...(django.dir ? { home: django.dir } : {}) };
}

function isExecutable(app: App, path: string): boolean {
  return app.contents.has(path) && app.executables.has(path);
}

/** The rules in README's order; the first that matches decides. */
export function chooseEntryPoint(app: App, config: Env): EntryPoint {
  if (app.contents.has('Procfile')) {
    const { types, problems } = parseProcfile(app.contents.get('Procfile') ?? '', app.notUtf8?.get('Procfile'));
    if (problems.length || types.size === 0) throw new BuildError({ kind: 'procfile-invalid', problems });
    return { kind: 'procfile', types, reason: msg.reasonProcfile([...types.keys()]) };
  }
  const explicit = explicitSettings(app, config);
  const located = appHome(app, explicit);
  const entry = chooseFromConventions(app, config, explicit, located?.home);
  if (!located) return entry;
  return {
    ...entry,
    reason: `${located.reason} ${entry.reason}`,
    ...(entry.kind === 'script' || entry.kind === 'none' ? {} : { home: located.home }),
  };
}

function chooseFromConventions(app: App, config: Env, explicit: Explicit, home: string | undefined): EntryPoint {
  const at = (p: string) => join(home, p);
  const callable = setting(config, 'BP_WSGI_CALLABLE');
  const asgiModule = setting(config, 'BP_ASGI_MODULE');
  if (asgiModule) return wsgiEntry(app, home, { ...parseTarget(asgiModule, 'app'), interface: 'asgi' }, msg.reasonAsgiModule(asgiModule));
  const bpModule = setting(config, 'BP_WSGI_MODULE');
  if (bpModule) return wsgiEntry(app, home, parseTarget(bpModule, callable ?? 'application'), msg.reasonWsgiModule(bpModule));
  const { APP_SCRIPT: script, APP_FILE: file, APP_MODULE: module } = explicit.values;
  if (script)
    return { kind: 'shell', file: at(script.replace(/^\.\//, '')), reason: msg.reasonAppScript(explicit.where('APP_SCRIPT'), script) };
  if (file) return { kind: 'python', file: at(file.replace(/^\.\//, '')), reason: msg.reasonAppFile(explicit.where('APP_FILE'), file) };
  if (module) return wsgiEntry(app, home, parseTarget(module, 'application'), msg.reasonAppModule(explicit.where('APP_MODULE'), module));
  const mode = app.contents.get(DEPLOY_MODE)?.trim();
  const byMode = mode ? deployModeEntry(app, config, home, mode, callable) : undefined;
  if (byMode) return byMode;
  for (const name of GUNICORN_CONFIGS) {
    const target = gunicornWsgiApp(app.contents.get(at(name)) ?? '');
    if (target) return wsgiEntry(app, home, parseTarget(target, 'application'), msg.reasonGunicornConf(at(name), target));
  }
  if (isExecutable(app, at('app.sh'))) return { kind: 'shell', file: at('app.sh'), reason: msg.reasonAppSh(at('app.sh')) };
  const scriptFile = scriptFileEntry(app, home);
  if (scriptFile) return scriptFile;
  const django = findDjango(app, home);
  if (django) return djangoEntry(app, config, django, callable);
  const wsgi = wsgiPyEntry(app, home, callable) ?? asgiPyEntry(app, home);
  if (wsgi) return wsgi;
  return (
    (home ? undefined : packageEntry(app)) ?? { kind: 'none', nonExecutableAppSh: app.contents.has(at('app.sh')), reason: msg.noStartTitle }
  );
}

function wsgiPyEntry(app: App, home: string | undefined, callable: string | undefined): EntryPoint | undefined {
  const file = app.contents.has(join(home, 'wsgi.py')) ? 'wsgi.py' : app.contents.has(join(home, 'wsgi/__init__.py')) ? 'wsgi/' : undefined;
  return file
    ? wsgiEntry(app, home, { module: 'wsgi', callable: callable ?? 'application' }, msg.reasonWsgiPy(join(home, file)))
    : undefined;
}

/** asgi.py with a module-level `application` or `app`. */
function asgiPyEntry(app: App, home: string | undefined): EntryPoint | undefined {
  const source = app.contents.get(join(home, 'asgi.py'));
  const callable = source === undefined ? undefined : ['application', 'app'].find((n) => definesName(source, n));
  if (!callable) return undefined;
  const target: WsgiTarget = { module: 'asgi', callable, interface: 'asgi' };
  return wsgiEntry(app, home, target, msg.reasonAsgiPy(join(home, 'asgi.py'), formatTarget(target)));
}

/** warpdrive's deploy modes: shell, python, wsgi or django pick that rule; auto and server names leave it to the order. */
function deployModeEntry(
  app: App,
  config: Env,
  home: string | undefined,
  mode: string,
  callable: string | undefined,
): EntryPoint | undefined {
  const note = msg.reasonDeployMode(mode);
  const withMode = (e: EntryPoint | undefined): EntryPoint | undefined => (e ? { ...e, reason: `${note} ${e.reason}` } : e);
  switch (mode) {
    case 'shell':
      return { kind: 'shell', file: join(home, 'app.sh'), reason: `${note} ${msg.reasonAppSh(join(home, 'app.sh'))}` };
    case 'python':
      return { kind: 'python', file: join(home, 'app.py'), reason: `${note} ${msg.reasonScript(join(home, 'app.py'))}` };
    case 'django': {
      const django = findDjango(app, home);
      return django ? withMode(djangoEntry(app, config, django, callable)) : undefined;
    }
    case 'wsgi':
      return withMode(wsgiPyEntry(app, home, callable));
    default:
      return undefined;
  }
}
