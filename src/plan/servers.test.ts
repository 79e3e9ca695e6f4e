import {
  BUILD_PLACEHOLDERS,
  forInterface,
  RUNTIME_PLACEHOLDERS,
  SERVER_NAMES,
  SERVERS,
  serversInstalled,
  type Server,
  sortByPreference,
} from './servers.js';

/** The names of the `{placeholder}`s in an argument. */
const placeholdersIn = (arg: string) => [...arg.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

describe('SERVERS', () => {
  test('names are unique; process types and preferences are unique within an interface', () => {
    expect(new Set(SERVER_NAMES).size).toBe(SERVERS.length);
    for (const iface of ['wsgi', 'asgi'] as const) {
      const rows = (SERVERS as readonly Server[]).filter((s) => s.interface === iface && !s.supersedes);
      expect(new Set(rows.map((s) => s.processType)).size).toBe(rows.length);
      expect(rows.map((s) => s.preference).sort()).toEqual([1, 2, 3, 4]);
    }
  });

  test('a row that supersedes another takes its place: same interface, process type and preference', () => {
    const pairs = (SERVERS as readonly Server[])
      .filter((s) => s.supersedes)
      .map((s): [Server, Server] => [s, SERVERS.find((o) => o.name === s.supersedes)!]);
    expect(pairs.map(([a, b]) => [a.name, b.name])).toEqual([['gunicorn-uvicorn-worker', 'gunicorn-uvicorn']]);
    for (const [a, b] of pairs) expect([a.interface, a.processType, a.preference]).toEqual([b.interface, b.processType, b.preference]);
  });

  test('every row names its own distribution first, and its script is in it', () => {
    expect(SERVERS.map((s) => [s.name, s.distributions[0], s.script])).toEqual([
      ['mod_wsgi', 'mod-wsgi', 'mod_wsgi-express'],
      ['gunicorn', 'gunicorn', 'gunicorn'],
      ['uwsgi', 'uwsgi', 'uwsgi'],
      ['waitress', 'waitress', 'waitress-serve'],
      ['uvicorn', 'uvicorn', 'uvicorn'],
      ['gunicorn-uvicorn', 'gunicorn', 'gunicorn'],
      ['gunicorn-uvicorn-worker', 'gunicorn', 'gunicorn'],
      ['hypercorn', 'hypercorn', 'hypercorn'],
      ['daphne', 'daphne', 'daphne'],
    ]);
  });

  test('every placeholder is one the build or the launcher fills', () => {
    const known = new Set<string>([...BUILD_PLACEHOLDERS, ...RUNTIME_PLACEHOLDERS]);
    const args = SERVERS.flatMap((s) => [
      ...s.command,
      ...s.options.flatMap((o) => o.args),
      ...s.app.flatMap((o) => o.args),
      ...s.static.args,
    ]);
    const used = args.flatMap(placeholdersIn);
    expect(used.filter((p) => !known.has(p))).toEqual([]);
  });

  test('every default with a run-time value can be replaced by its own option, but the stop FIFO the launcher needs', () => {
    const runtime = new Set<string>(RUNTIME_PLACEHOLDERS);
    const missing = (SERVERS as readonly Server[]).flatMap((s) =>
      s.options
        .filter((o) => o.args.some((a) => placeholdersIn(a).some((p) => runtime.has(p))) && !o.unless?.options?.includes(o.args[0]!))
        .filter((o) => !(s.stopFifo && o.args.includes(s.stopFifo)))
        .map((o) => `${s.name} ${o.args[0]}`),
    );
    expect(missing).toEqual([]);
  });

  test("a stop FIFO is the server's own: uWSGI makes it where the launcher writes", () => {
    const withFifo = (SERVERS as readonly Server[]).filter((s) => s.stopFifo);
    expect(withFifo.map((s) => [s.name, s.options.some((o) => o.args.join(' ') === `--master-fifo ${s.stopFifo}`)])).toEqual([
      ['uwsgi', true],
    ]);
  });

  test.each([
    ['mod_wsgi', 'wsgi', 'url-alias', true, 'SIGWINCH'],
    ['gunicorn', 'wsgi', 'whitenoise', false, 'SIGTERM'],
    ['uwsgi', 'wsgi', 'static-map', false, 'SIGTERM'],
    ['waitress', 'wsgi', 'whitenoise', false, 'SIGTERM'],
    ['uvicorn', 'asgi', 'app', false, 'SIGTERM'],
    ['gunicorn-uvicorn', 'asgi', 'app', false, 'SIGTERM'],
    ['hypercorn', 'asgi', 'app', false, 'SIGTERM'],
    ['daphne', 'asgi', 'app', false, 'SIGTERM'],
  ])('%s runs %s apps, serves static files by %s, needs Apache: %s, stops on %s', (name, iface, serving, apache, stop) => {
    const s = SERVERS.find((x) => x.name === name)!;
    expect([s.interface, s.static.serving, s.needsApache, s.stopSignal]).toEqual([iface, serving, apache, stop]);
  });

  test.each([
    ['gunicorn-uvicorn', 'uvicorn.workers.UvicornWorker'],
    ['gunicorn-uvicorn-worker', 'uvicorn_worker.UvicornWorker'],
  ])("gunicorn runs an ASGI app with uvicorn's worker class under the same process type (%s: %s)", (name, workerClass) => {
    const asgi = SERVERS.find((s) => s.name === name)!;
    expect(asgi.processType).toBe('gunicorn');
    expect(asgi.options.flatMap((o) => o.args)).toEqual(expect.arrayContaining(['--worker-class', workerClass]));
    expect(asgi.options.flatMap((o) => o.args)).not.toContain('--threads');
  });

  test.each([
    // uvicorn reads UVICORN_<OPTION> itself, below the command line: ours must step aside
    ['uvicorn', '--host', 'UVICORN_HOST'],
    ['uvicorn', '--port', 'UVICORN_PORT'],
    ['uvicorn', '--workers', 'UVICORN_WORKERS'],
    ['uvicorn', '--forwarded-allow-ips', 'UVICORN_FORWARDED_ALLOW_IPS'],
    ['uvicorn', '--forwarded-allow-ips', 'FORWARDED_ALLOW_IPS'],
    ['gunicorn-uvicorn', '--forwarded-allow-ips', 'FORWARDED_ALLOW_IPS'],
    ['daphne', '--proxy-headers', 'FORWARDED_ALLOW_IPS'],
  ])('%s leaves out %s when %s is set', (name, option, variable) => {
    const row = (SERVERS as readonly Server[]).find((s) => s.name === name)!;
    expect(row.options.find((o) => o.args[0] === option)?.unless?.env).toContain(variable);
  });

  test('every server binds to {address} or {host} and {port}, and ASGI ones with workers take {processes}', () => {
    for (const s of SERVERS as readonly Server[]) {
      const args = s.options.flatMap((o) => o.args).join(' ');
      expect(args.includes('{address}') || (args.includes('{host}') && args.includes('{port}'))).toBe(true);
    }
    const workers = (SERVERS as readonly Server[]).filter(
      (s) => s.interface === 'asgi' && s.options.some((o) => o.args.includes('{processes}')),
    );
    expect(workers.map((s) => s.name)).toEqual(['uvicorn', 'gunicorn-uvicorn', 'gunicorn-uvicorn-worker', 'hypercorn']);
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

describe('serversInstalled', () => {
  test.each([
    [['gunicorn'], ['gunicorn']],
    [['mod_wsgi'], ['mod_wsgi']],
    [['Mod.WSGI'], ['mod_wsgi']],
    [['uWSGI', 'flask'], ['uwsgi']],
    [['flask', 'mod_wsgi-httpd'], []],
    [['uvicorn'], ['uvicorn']],
    [
      ['Gunicorn', 'uvicorn', 'waitress'],
      ['gunicorn', 'waitress', 'uvicorn', 'gunicorn-uvicorn'],
    ],
    [
      ['hypercorn', 'daphne', 'fastapi'],
      ['hypercorn', 'daphne'],
    ],
    // uvicorn-worker (which needs uvicorn) is the worker class's newer home: it replaces uvicorn.workers
    [
      ['gunicorn', 'uvicorn', 'uvicorn-worker'],
      ['gunicorn', 'uvicorn', 'gunicorn-uvicorn-worker'],
    ],
    [['uvicorn-worker'], []],
  ])('%j → %j', (dists, servers) => {
    expect(serversInstalled(dists)).toEqual(servers);
  });

  test('forInterface keeps the servers that can run the app', () => {
    const all = serversInstalled(['gunicorn', 'uvicorn', 'daphne', 'waitress']);
    expect(forInterface(all, 'wsgi')).toEqual(['gunicorn', 'waitress']);
    expect(forInterface(all, 'asgi')).toEqual(['uvicorn', 'gunicorn-uvicorn', 'daphne']);
  });
});

describe('preference', () => {
  test('sortByPreference follows warpdrive: mod_wsgi, gunicorn, uwsgi, waitress', () => {
    expect(sortByPreference(['waitress', 'uwsgi', 'gunicorn', 'mod_wsgi'])).toEqual(['mod_wsgi', 'gunicorn', 'uwsgi', 'waitress']);
  });
});
