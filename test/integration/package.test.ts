// `pywarp package`: the archive's bytes and layout, the OCI image layout (index → manifests →
// configs → layers, for amd64 and arm64), then the amd64 image's buildpack building and serving
// a Flask app with no `node` anywhere on PATH.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createGunzip, gunzipSync } from 'node:zlib';
import TOML from '@iarna/toml';
import { execa, type Options } from 'execa';
import { extract, type Header } from 'tar-stream';
import { launcherSources } from '../../layers/launcher.js';
import { buildpackTomlProblems } from '../../src/cnb/buildpack-toml.js';
import { OPTIONAL_DOCS } from '../../src/package/layout.js';
import { elfMachine, NODE_PACKAGES, type Arch } from '../../src/package/node-dist.js';
import { writeApp } from '../support/apps.js';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server.js';
import { ensureFixtures, repoRoot, type Fixtures } from '../support/fixtures.js';
import { makeTempDir, scrubbedEnv } from '../support/scrubbed-env.js';
import { fixtureCpython } from '../support/test-buildpack.js';

const TGZ = 'pywarp-python-0.1.0-amd64.tgz';
const OCI = 'pywarp-python-0.1.0-oci';
/** Where a buildpackage layer holds the buildpack: the id's `/` escaped as `_`. */
const LAYER_ROOT = 'cnb/buildpacks/pywarp_python/0.1.0';
const EXECUTABLES = ['bin/build', 'bin/detect', 'node/bin/node'];
const MEDIA = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
};
const run = (file: string, args: string[], opts: Options = {}) =>
  execa(file, args, { extendEnv: false, reject: false, all: true, timeout: 300_000, ...opts });
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

interface Entry {
  header: Header;
  sha256: string;
  text: string;
  head: Buffer;
}
let fixtures: Fixtures;
let server: FixtureServer;
let work: string;
let entries: Map<string, Entry>;

async function readTgz(file: string): Promise<Map<string, Entry>> {
  const out = new Map<string, Entry>();
  const reader = createReadStream(file).pipe(createGunzip()).pipe(extract());
  for await (const entry of reader) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    out.set(entry.header.name, {
      header: entry.header,
      sha256: sha256(body),
      text: body.length < 1e6 ? body.toString() : '',
      head: body.subarray(0, 64),
    });
  }
  return out;
}

/** `pywarp package`, as a user runs it (from the repo's bundle), into `dir`. */
async function packageInto(dir: string, ...args: string[]): Promise<void> {
  const result = await run(process.execPath, [join(repoRoot(), 'dist', 'pywarp.js'), 'package', '--output', dir, ...args], {
    cwd: work,
    env: scrubbedEnv(work),
  });
  const platforms = args.includes('oci') ? 'linux/amd64 and linux/arm64' : args.includes('arm64') ? 'linux/arm64' : 'linux/amd64';
  expect(result.all).toContain(`Packaged pywarp/python 0.1.0 with Node.js ${NODE_PACKAGES.amd64.version} for ${platforms} in `);
  expect(result.exitCode).toBe(0);
}

interface Image {
  arch: Arch;
  config: Record<string, any>;
  labels: Record<string, string>;
  diffId: string;
  layerFile: string;
  entries: Map<string, Entry>;
}

/**
 * Reads an OCI image layout the way a registry client does, checking every step:
 * index.json → the multi-arch index → one manifest per platform → its config and layer,
 * each blob's sha256 and size against its descriptor, each layer's diffID against the
 * config. Every blob must be referenced.
 */
async function readLayout(dir: string): Promise<Image[]> {
  const referenced = new Set<string>();
  const blob = async (d: { digest: string; size: number; mediaType: string }, mediaType: string): Promise<Buffer> => {
    expect(d.mediaType).toBe(mediaType);
    const [algorithm, hex] = d.digest.split(':');
    expect(algorithm).toBe('sha256');
    const bytes = await readFile(join(dir, 'blobs', 'sha256', hex!));
    expect([d.digest, bytes.length]).toEqual([`sha256:${sha256(bytes)}`, d.size]);
    referenced.add(hex!);
    return bytes;
  };
  const json = async (d: { digest: string; size: number; mediaType: string }, mediaType: string) =>
    JSON.parse((await blob(d, mediaType)).toString());
  expect(JSON.parse(await readFile(join(dir, 'oci-layout'), 'utf8'))).toEqual({ imageLayoutVersion: '1.0.0' });
  const top = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8'));
  expect(top).toMatchObject({ schemaVersion: 2, mediaType: MEDIA.index });
  expect(top.manifests).toHaveLength(1);
  expect(top.manifests[0].annotations).toEqual({ 'org.opencontainers.image.ref.name': '0.1.0' });
  const index = await json(top.manifests[0], MEDIA.index);
  expect(index).toMatchObject({ schemaVersion: 2, mediaType: MEDIA.index });
  expect(index.manifests.map((m: { platform: unknown }) => m.platform)).toEqual([
    { architecture: 'amd64', os: 'linux' },
    { architecture: 'arm64', os: 'linux' },
  ]);
  const images: Image[] = [];
  for (const descriptor of index.manifests) {
    const manifest = await json(descriptor, MEDIA.manifest);
    expect(manifest).toMatchObject({ schemaVersion: 2, mediaType: MEDIA.manifest });
    const config = await json(manifest.config, MEDIA.config);
    expect([config.os, config.architecture]).toEqual(['linux', descriptor.platform.architecture]);
    expect(manifest.layers).toHaveLength(1);
    const layer = await blob(manifest.layers[0], MEDIA.layer);
    const diffId = `sha256:${sha256(gunzipSync(layer))}`;
    expect(config.rootfs).toEqual({ type: 'layers', diff_ids: [diffId] });
    const layerFile = join(dir, 'blobs', 'sha256', manifest.layers[0].digest.split(':')[1]);
    images.push({ arch: config.architecture, config, labels: config.config.Labels, diffId, layerFile, entries: await readTgz(layerFile) });
  }
  expect((await readdir(join(dir, 'blobs', 'sha256'))).sort()).toEqual([...referenced].sort());
  return images;
}

let images: Image[];

beforeAll(async () => {
  fixtures = await ensureFixtures();
  server = await startFixtureServer(fixtures.dir);
  work = await makeTempDir('pywarp-package-');
  await Promise.all([packageInto(join(work, 'a')), packageInto(join(work, 'b')), packageInto(join(work, 'd'), '--format', 'dir')]);
  await packageInto(join(work, 'arm'), '--format', 'dir', '--arch', 'arm64');
  // The two layouts one after the other: each compresses two ~100 MB Node binaries.
  await packageInto(join(work, 'oci1'), '--format', 'oci');
  await packageInto(join(work, 'oci2'), '--format', 'oci');
  entries = await readTgz(join(work, 'a', TGZ));
  images = await readLayout(join(work, 'oci1', OCI));
}, 900_000);

afterAll(async () => {
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

test('the same tree packages to the same bytes, and the directory form holds the same files', async () => {
  const a = await readFile(join(work, 'a', TGZ));
  expect(a.equals(await readFile(join(work, 'b', TGZ)))).toBe(true);
  expect([...a.subarray(0, 3)]).toEqual([0x1f, 0x8b, 0x08]);
  const dir = join(work, 'd', 'pywarp-python-0.1.0-amd64');
  for (const [name, e] of entries) {
    const info = await stat(join(dir, name));
    expect([name, info.mode & 0o777]).toEqual([name, e.header.mode]);
    if (e.header.type === 'file') expect([name, sha256(await readFile(join(dir, name)))]).toEqual([name, e.sha256]);
  }
});

test('the archive holds the buildpack at its root, normalized, and nothing else', async () => {
  const launcher = (await launcherSources(repoRoot())).map((f) => `layers/launcher/${f.split('/').pop()}`);
  const docs = OPTIONAL_DOCS.filter((doc) => existsSync(join(repoRoot(), doc)));
  const files = [...entries.values()].filter((e) => e.header.type === 'file').map((e) => e.header.name);
  expect(files.sort()).toEqual(
    [
      'bin/build',
      'bin/detect',
      'buildpack.toml',
      'dist/detect.cjs',
      'dist/detect.sh',
      'dist/pywarp.js',
      ...launcher,
      ...docs,
      'node/LICENSE',
      'node/bin/node',
    ].sort(),
  );
  for (const { header } of entries.values()) {
    expect([header.name, header.mode.toString(8), header.uid, header.gid, header.uname, header.gname, header.mtime.toISOString()]).toEqual([
      header.name,
      header.type === 'directory' || EXECUTABLES.includes(header.name) ? '755' : '644',
      0,
      0,
      '',
      '',
      '1980-01-01T00:00:01.000Z',
    ]);
    expect(header.name).not.toMatch(/node_modules|\.ts$|(^|\/)test_[^/]*\.py$/);
  }
  for (const bin of ['bin/detect', 'bin/build']) expect(entries.get(bin)?.text.startsWith('#!')).toBe(true);
  expect(entries.get('dist/pywarp.js')?.sha256).toBe(sha256(await readFile(join(repoRoot(), 'dist', 'pywarp.js'))));
});

/** [metadata.node] as `pywarp package` records it for `arch`. */
const nodeMetadata = (arch: Arch, sha: string | undefined) => ({
  version: NODE_PACKAGES[arch].version,
  sha256: sha,
  platform: `linux/${arch}`,
  package: `${NODE_PACKAGES[arch].name}@${NODE_PACKAGES[arch].version}`,
  integrity: NODE_PACKAGES[arch].integrity,
});

test('buildpack.toml passes the §9 checks and records the shipped Node, from the registry package', async () => {
  const descriptor = TOML.parse(entries.get('buildpack.toml')?.text ?? '') as Record<string, any>;
  expect(buildpackTomlProblems(descriptor)).toEqual([]);
  // Only the target the shipped Node runs on: an arm64 builder must not pick this package.
  expect(descriptor.targets).toEqual([{ os: 'linux', arch: 'amd64' }]);
  expect(descriptor.metadata.node).toEqual(nodeMetadata('amd64', entries.get('node/bin/node')?.sha256));
  expect(elfMachine(entries.get('node/bin/node')!.head)).toBe(62);
  const packageToml = TOML.parse(await readFile(join(repoRoot(), 'package.toml'), 'utf8')) as Record<string, any>;
  expect(Object.keys(packageToml).filter((k) => !['buildpack', 'extension', 'dependencies', 'platform', 'targets'].includes(k))).toEqual(
    [],
  );
  expect(packageToml.buildpack).toEqual({ uri: `out/pywarp-python-${descriptor.buildpack.version}-amd64.tgz` });
});

describe('the OCI image layout', () => {
  test('packaging twice gives the same digests, down to every blob', async () => {
    const [one, two] = [join(work, 'oci1', OCI), join(work, 'oci2', OCI)];
    expect((await readFile(join(two, 'index.json'))).equals(await readFile(join(one, 'index.json')))).toBe(true);
    expect((await readdir(join(two, 'blobs', 'sha256'))).sort()).toEqual((await readdir(join(one, 'blobs', 'sha256'))).sort());
  });

  test('each image holds one buildpack under /cnb/buildpacks/<escaped id>/<version>/, and its labels agree with its buildpack.toml', () => {
    expect(images.map((i) => i.arch)).toEqual(['amd64', 'arm64']);
    for (const image of images) {
      const names = [...image.entries.keys()];
      expect(names.slice(0, 4)).toEqual(['cnb', 'cnb/buildpacks', 'cnb/buildpacks/pywarp_python', LAYER_ROOT]);
      expect(names.filter((n) => !n.startsWith(`${LAYER_ROOT}/`) && !LAYER_ROOT.startsWith(n))).toEqual([]);
      const descriptor = TOML.parse(image.entries.get(`${LAYER_ROOT}/buildpack.toml`)?.text ?? '') as Record<string, any>;
      expect(buildpackTomlProblems(descriptor)).toEqual([]);
      expect(descriptor.targets).toEqual([{ os: 'linux', arch: image.arch }]);
      expect(descriptor.metadata.node).toEqual(nodeMetadata(image.arch, image.entries.get(`${LAYER_ROOT}/node/bin/node`)?.sha256));
      const { id, version, homepage, name } = descriptor.buildpack;
      expect(JSON.parse(image.labels['io.buildpacks.buildpackage.metadata']!)).toEqual({ id, version, name, homepage });
      expect(JSON.parse(image.labels['io.buildpacks.buildpack.layers']!)).toEqual({
        [id]: { [version]: { api: descriptor.api, targets: descriptor.targets, layerDiffID: image.diffId, name, homepage } },
      });
      expect(image.labels['io.buildpacks.distribution.api']).toBe('0.3');
    }
  });

  test('the arm64 image ships an aarch64 node, the amd64 image an x86-64 one', () => {
    const machine = (image: Image) => elfMachine(image.entries.get(`${LAYER_ROOT}/node/bin/node`)!.head);
    expect(images.map(machine)).toEqual([62, 183]); // EM_X86_64, EM_AARCH64
  });

  const inLayer = (image: Image) =>
    [...image.entries]
      .filter(([name]) => name.startsWith(`${LAYER_ROOT}/`))
      .map(([name, e]) => [name.slice(LAYER_ROOT.length + 1), e.header.mode, e.sha256]);

  test('the amd64 layer holds the amd64 .tgz, byte for byte and mode for mode', () => {
    expect(inLayer(images[0]!)).toEqual([...entries].map(([name, e]) => [name, e.header.mode, e.sha256]));
  });

  test('the arm64 layer holds what `--format dir --arch arm64` writes, and nothing else', async () => {
    const dir = join(work, 'arm', 'pywarp-python-0.1.0-arm64');
    const layer = inLayer(images[1]!);
    const fromDir = await Promise.all(
      layer.map(async ([name]) => {
        const file = join(dir, name as string);
        const info = await stat(file);
        return [name, info.mode & 0o777, sha256(info.isFile() ? await readFile(file) : Buffer.alloc(0))];
      }),
    );
    expect(fromDir).toEqual(layer);
    expect((await readdir(dir, { recursive: true })).sort()).toEqual(layer.map(([name]) => name).sort());
  });
});

/** A PATH with every tool of this machine except node, so the buildpack can only use its own. */
async function pathWithoutNode(dir: string): Promise<string> {
  await mkdir(dir);
  for (const src of ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin']) {
    for (const name of await readdir(src).catch(() => [])) {
      if (name !== 'node' && name !== 'nodejs') await symlink(join(src, name), join(dir, name)).catch(() => undefined);
    }
  }
  return dir;
}

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => probe.once('listening', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe("the amd64 image's buildpack, extracted from its layer, with no node on PATH", () => {
  let bp: string;
  let app: string;
  let env: Record<string, string>;
  const node = () => join(bp, 'node', 'bin', 'node');
  const pywarp = (args: string[], opts: Options = {}) => run(node(), [join(bp, 'dist', 'pywarp.js'), ...args], { env, ...opts });

  beforeAll(async () => {
    const rootfs = join(work, 'rootfs');
    await mkdir(rootfs);
    expect((await run('tar', ['-xzf', images[0]!.layerFile, '-C', rootfs])).exitCode).toBe(0);
    bp = join(rootfs, LAYER_ROOT);
    // Only the dependency table changes: the fixture CPython, and the server version the fixture index has.
    const descriptor = TOML.parse(await readFile(join(bp, 'buildpack.toml'), 'utf8')) as TOML.JsonMap & { metadata: TOML.JsonMap };
    const cpython = fixtureCpython(fixtures, server.url);
    descriptor.metadata.dependencies = [
      {
        id: 'cpython',
        name: 'CPython',
        version: cpython.version,
        arch: 'amd64',
        uri: cpython.uri,
        sha256: cpython.sha256,
        'strip-components': 0,
      },
    ];
    descriptor.metadata['default-server'] = 'gunicorn==20.1.0';
    await writeFile(join(bp, 'buildpack.toml'), TOML.stringify(descriptor));
    app = await writeApp(join(work, 'app'), {
      'requirements.txt': 'flask\n',
      'wsgi.py':
        'from flask import Flask\napplication = Flask(__name__)\n\n@application.route("/")\ndef hello():\n    return "hello from the package"\n',
    });
    env = { PATH: await pathWithoutNode(join(work, 'bin')), HOME: join(work, 'home'), LANG: 'C.UTF-8', TMPDIR: '/tmp' };
    await mkdir(env.HOME!);
  });

  test('bin/detect decides a Python app in sh; what only Node can answer runs on the shipped node, and fails without it', async () => {
    expect((await run('sh', ['-c', 'command -v node'], { env })).exitCode).not.toBe(0);
    const plan = join(work, 'plan.toml');
    const detect = (dir: string, extra: Record<string, string> = { CNB_BUILD_PLAN_PATH: plan }) =>
      run(join(dir, 'bin', 'detect'), [], { cwd: app, env: { ...env, CNB_BUILDPACK_DIR: dir, CNB_PLATFORM_DIR: work, ...extra } });
    const bare = join(work, 'no-node');
    for (const name of ['bin', 'dist', 'layers', 'buildpack.toml']) await cp(join(bp, name), join(bare, name), { recursive: true });
    for (const dir of [bp, bare]) {
      await rm(plan, { force: true });
      expect(await detect(dir)).toMatchObject({ exitCode: 0, all: 'Python app detected (found requirements.txt, wsgi.py).' });
      expect(await readFile(plan, 'utf8')).toContain('name = "cpython"');
    }
    // No plan path: only dist/detect.cjs has the words for that.
    expect(await detect(bp, {})).toMatchObject({
      exitCode: 1,
      all: expect.stringContaining('pywarp detect: CNB_BUILD_PLAN_PATH is not set'),
    });
    const without = await detect(bare, {});
    expect(without.all).toContain('no Node.js runtime found');
    expect(without.exitCode).toBe(1);
  });

  test('builds a Flask app and serves it with gunicorn', async () => {
    const layers = join(work, 'layers');
    const dirs = ['--layers', layers, '--cache', join(work, 'cache'), '--platform', join(work, 'platform')];
    const build = await pywarp([
      'build',
      app,
      '--buildpack',
      bp,
      ...dirs,
      '-e',
      `PIP_INDEX_URL=${server.url}/wheelhouse/simple/`,
      '-e',
      'PIP_CONFIG_FILE=/dev/null',
    ]);
    expect(build.all).toContain('gunicorn');
    expect(build.exitCode).toBe(0);
    const port = await freePort();
    const launched = pywarp(['launch', app, '--layers', layers, '--process', 'gunicorn'], {
      env: { ...env, PORT: String(port), PYWARP_HOST: '127.0.0.1' },
      timeout: 0,
    });
    let answer: { status: number; body: string } | undefined;
    try {
      for (let i = 0; i < 60 && !answer && launched.exitCode === null; i++) {
        const res = await fetch(`http://127.0.0.1:${port}/`).catch(() => undefined);
        answer = res && { status: res.status, body: await res.text() };
        if (!answer) await sleep(500);
      }
    } finally {
      if (launched.exitCode === null) process.kill(launched.pid!, 'SIGTERM');
      const stopped = await Promise.race([launched, sleep(10_000, undefined, { ref: false })]);
      if (!stopped) process.kill(launched.pid!, 'SIGKILL');
    }
    if (!answer) throw new Error(`nothing answered on port ${port}; pywarp launch said:\n${(await launched).all}`);
    expect(answer).toEqual({ status: 200, body: 'hello from the package' });
  }, 300_000);
});
