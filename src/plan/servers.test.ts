import {
  BUILD_PLACEHOLDERS,
  RUNTIME_PLACEHOLDERS,
  SERVER_NAMES,
  SERVERS,
  serverForDistribution,
  type Server,
  sortByPreference,
} from './servers.js';


describe('SERVERS', () => {
  test('names, process types and preferences are unique', () => {
    expect(new Set(SERVER_NAMES).size).toBe(SERVERS.length);
    expect(new Set(SERVERS.map((s) => s.processType)).size).toBe(SERVERS.length);
    expect(SERVERS.map((s) => s.preference).sort()).toEqual([1, 2, 3, 4]);
  });

  test('every placeholder is one the build or the launcher fills', () => {
    const known = new Set<string>([...BUILD_PLACEHOLDERS, ...RUNTIME_PLACEHOLDERS]);
    const args = SERVERS.flatMap((s) => [
      ...s.command,
      ...s.options.flatMap((o) => o.args),
      ...s.app.flatMap((o) => o.args),
      ...s.static.args,
    ]);
    const used = args.flatMap((a) => [...a.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
    expect(used.filter((p) => !known.has(p!))).toEqual([]);
  });

  test('every default with a run-time value can be replaced by its own option', () => {
    const missing = (SERVERS as readonly Server[]).flatMap((s) =>
      s.options
        .filter((o) => o.args.some((a) => a.includes('{')) && !o.unless?.options?.includes(o.args[0]!))
        .map((o) => `${s.name} ${o.args[0]}`),
    );
    expect(missing).toEqual([]);
  });

  test.each([
    ['mod_wsgi', 'url-alias', true, 'SIGWINCH'],
    ['gunicorn', 'whitenoise', false, 'SIGTERM'],
    ['uwsgi', 'static-map', false, 'SIGTERM'],
    ['waitress', 'whitenoise', false, 'SIGTERM'],
  ])('%s serves static files by %s, needs Apache: %s, stops on %s', (name, serving, apache, stop) => {
    const s = SERVERS.find((x) => x.name === name)!;
    expect([s.static.serving, s.needsApache, s.stopSignal]).toEqual([serving, apache, stop]);
  });

  test('mod_wsgi takes the warpdrive MOD_WSGI_* variables as options', () => {
    const mod = SERVERS.find((s) => s.name === 'mod_wsgi')!;
    const options = Object.fromEntries(mod.envOptions.map(([name, args]) => [name, args]));
    expect(options.MOD_WSGI_PROCESSES).toEqual(['--processes', '{value}']);
    expect(options.MOD_WSGI_HEADER_MAX_TIMEOUT).toEqual(['--header-max-timeout', '{value}']);
    expect(options.MOD_WSGI_ACCESS_LOG).toEqual(['--access-log']);
    expect(options.MOD_WSGI_ENABLE_DEBUGGER).toEqual(['--debug-mode', '--enable-debugger']);
  });
});

describe('serverForDistribution', () => {
  test.each([
    ['gunicorn', 'gunicorn'],
    ['mod_wsgi', 'mod_wsgi'],
    ['mod-wsgi', 'mod_wsgi'],
    ['Mod.WSGI', 'mod_wsgi'],
    ['uWSGI', 'uwsgi'],
    ['waitress', 'waitress'],
    ['flask', undefined],
    ['mod_wsgi-httpd', undefined],
  ])('%s → %s', (dist, server) => {
    expect(serverForDistribution(dist)?.name).toBe(server);
  });

  test('normalizes like PEP 503', () => {
  });
});

describe('preference', () => {
  test('sortByPreference follows warpdrive: mod_wsgi, gunicorn, uwsgi, waitress', () => {
    expect(sortByPreference(['waitress', 'uwsgi', 'gunicorn', 'mod_wsgi'])).toEqual(['mod_wsgi', 'gunicorn', 'uwsgi', 'waitress']);
  });
});
