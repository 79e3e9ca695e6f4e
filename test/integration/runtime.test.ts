// The cpython layer against a real CPython (the fixture tarball) served on 127.0.0.1.
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { jest } from '@jest/globals';
import { sha256, writeTarGz } from '../support/archives.js';
import { runBinBuild, writeApp } from '../support/apps.js';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server.js';
import { ensureFixtures, type Fixtures } from '../support/fixtures.js';
import { TestImage } from '../support/pywarp.js';
import { makeTempDir } from '../support/scrubbed-env.js';
import { fixtureCpython, makeTestBuildpack, type TestDependency } from '../support/test-buildpack.js';

jest.setTimeout(180_000);

const TARBALL = '/dist/cpython-3.11-debian-bookworm-x86_64.tgz';
let fixtures: Fixtures;
let server: FixtureServer;
let work: string;
let bp: string;

async function fileDependency(version: string, name: string, bytes: Buffer): Promise<TestDependency> {
  const file = join(work, name);
  await writeFile(file, bytes);
  return { version, uri: `file://${file}`, sha256: sha256(bytes) };
}

beforeAll(async () => {
  fixtures = await ensureFixtures();
  server = await startFixtureServer(fixtures.dir);
  work = await makeTempDir('pywarp-runtime-');
  const original = await readFile(fixtures.cpythonTarball);
  const evilDotDot = join(work, 'evil-dotdot.tgz');
  const evilLink = join(work, 'evil-link.tgz');
  bp = await makeTestBuildpack(join(work, 'bp'), [
    fixtureCpython(fixtures, server.url),
    // The same CPython recompressed: other bytes, so a different sha256 under another
    // version number. It exercises the cache rules, not a real upgrade.
    await fileDependency('3.11.99', 'relabelled.tgz', gzipSync(gunzipSync(original), { level: 1 })),
    await fileDependency('3.10.1', 'truncated.tgz', original.subarray(0, original.length / 2)),
    {
      version: '3.10.2',
      uri: `file://${evilDotDot}`,
      sha256: await writeTarGz(evilDotDot, [
        { name: 'bin/python3', content: 'x' },
        { name: '../escaped', content: 'x' },
      ]),
    },
    {
      version: '3.10.3',
      uri: `file://${evilLink}`,
      sha256: await writeTarGz(evilLink, [
        { name: 'lib', type: 'directory' },
        { name: 'lib/etc', type: 'symlink', linkname: '../../../../etc' },
      ]),
    },
  ]);
});

afterAll(async () => {
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('a build with the fixture CPython', () => {
  let image: TestImage;
  let app: string;

  beforeAll(async () => {
    image = new TestImage(join(work, 'image'), bp);
    app = await writeApp(join(work, 'app'), { '.python-version': '3.11.2\n', 'app.py': 'print("hello")\n' });
  });

  test('installs the runtime and runs it through pywarp launch', async () => {
    const build = await image.build(app);
    expect(build.output).toContain('.python-version requests Python 3.11.2.');
    expect(build.output).toMatch(/Downloaded in \S+; sha256 [0-9a-f]{64} verified\./);
    expect(build.exitCode).toBe(0);
    const run = await image.run(app, { args: ['-c', 'import ssl, sqlite3, sys; print(sys.version_info[:2], ssl.OPENSSL_VERSION)'] });
    expect(run.output).toContain('(3, 11) OpenSSL');
    expect(run.exitCode).toBe(0);
    const layer = join(image.layers, 'pywarp_python');
    expect(await readFile(join(layer, 'cpython.toml'), 'utf8')).toMatch(/version = "3\.11\.2"[\s\S]*arch = "amd64"/);
    const sbom = JSON.parse(await readFile(join(layer, 'cpython.sbom.cdx.json'), 'utf8'));
    expect(sbom.components[0]).toMatchObject({
      name: 'CPython',
      version: '3.11.2',
      hashes: [{ alg: 'SHA-256', content: fixtures.cpythonSha256 }],
    });
    expect(await readFile(join(layer, 'cpython', 'env', 'PYTHONUNBUFFERED.default'), 'utf8')).toBe('1');
    expect(existsSync(join(layer, 'cpython', 'env', 'PYTHONHOME'))).toBe(false);
  });

  test('rebuilds with the server stopped, without downloading', async () => {
    const port = server.port;
    await server.close();
    try {
      const build = await image.build(app);
      expect(build.output).toContain('Using cached Python 3.11.2.');
      expect(build.exitCode).toBe(0);
    } finally {
      server = await startFixtureServer(fixtures.dir, { port });
    }
  });

  test('replaces the layer when the requested version changes, and says why', async () => {
    await writeFile(join(app, '.python-version'), '3.11.99\n');
    const build = await image.build(app);
    expect(build.output).toContain('Rebuilding Python 3.11.2 because:\n  - the requested version is now 3.11.99\n');
    expect(build.exitCode).toBe(0);
    expect(await readFile(join(image.layers, 'pywarp_python', 'cpython.toml'), 'utf8')).toContain('version = "3.11.99"');
  });
});

describe('faults: a titled error, a non-zero exit, no cpython.toml, then a good build', () => {
  const cases: [string, string, () => void][] = [
    ['checksum mismatch', '3.11.2', () => server.fault(TARBALL, 'wrong-body')],
    ['short body', '3.11.2', () => server.fault(TARBALL, 'truncate')],
    ['HTTP 404', '3.11.2', () => server.fault(TARBALL, 'not-found')],
    ['dropped connections', '3.11.2', () => server.fault(TARBALL, 'drop-connection')],
    ['truncated archive', '3.10.1', () => undefined],
    ['an entry with ../', '3.10.2', () => undefined],
    ['a symlink escaping the layer', '3.10.3', () => undefined],
  ];

  test.each(cases)('%s', async (name, version, inject) => {
    const dir = join(work, `fault-${name.replace(/\W+/g, '-')}`);
    const app = await writeApp(join(dir, 'app'), { '.python-version': `${version}\n`, 'app.py': '' });
    const layers = join(dir, 'layers');
    const opts = { buildpack: bp, app, layers, platform: join(dir, 'platform'), home: join(dir, 'home') };
    inject();
    try {
      const failed = await runBinBuild(opts);
      expect(failed.output).toMatch(
        /\[Error: (Python 3\.11\.2 failed checksum verification|Can't download Python 3\.11\.2|Can't extract Python 3\.10\.\d)\]/,
      );
      expect(failed.exitCode).not.toBe(0);
      expect(existsSync(join(layers, 'cpython.toml'))).toBe(false);
    } finally {
      server.clearFaults();
    }
    await writeFile(join(app, '.python-version'), '3.11.2\n');
    const good = await runBinBuild(opts);
    expect(good.exitCode).toBe(0);
    expect(existsSync(join(layers, 'cpython.toml'))).toBe(true);
  });

  test('the refused archive entry is named', async () => {
    const dir = join(work, 'fault-named');
    const app = await writeApp(join(dir, 'app'), { '.python-version': '3.10.3\n', 'app.py': '' });
    const result = await runBinBuild({
      buildpack: bp,
      app,
      layers: join(dir, 'layers'),
      platform: join(dir, 'platform'),
      home: join(dir, 'home'),
    });
    expect(result.output).toContain('symlink "lib/etc" points outside the layer');
  });
});
