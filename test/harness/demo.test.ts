// `npm run demo`: an unknown sample, and a first run whose fixture build fails, in a scratch
// copy of the repository whose fixture script fails at once.
import { chmod, cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const demo = (root: string, ...args: string[]) =>
  execa(process.execPath, [path.join(root, 'dist', 'demo.js'), ...args], {
    reject: false,
    all: true,
    timeout: 60_000,
    extendEnv: false,
    env: { PATH: '/usr/bin:/bin', HOME: root },
  });

test('an unknown sample lists every sample and how to run one, and exits 2', async () => {
  const samples = (await readdir(path.join(REPO, 'samples'), { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const result = await demo(REPO, 'nosuch');
  expect(result.exitCode).toBe(2);
  expect(result.all).toBe(
    `No sample named "nosuch". The samples (in samples/) are:\n${samples.map((s) => `  ${s}`).join('\n')}\nRun one with: npm run demo -- <sample>`,
  );
});

describe('a first run whose fixture build fails', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'pywarp-demo-'));
    await cp(path.join(REPO, 'buildpack.toml'), path.join(root, 'buildpack.toml'));
    await cp(path.join(REPO, 'dist', 'demo.js'), path.join(root, 'dist', 'demo.js'));
    await mkdir(path.join(root, 'samples', 'warpdrive-flask'), { recursive: true });
    await mkdir(path.join(root, 'test', 'fixtures'), { recursive: true });
    await writeFile(path.join(root, 'test', 'fixtures', 'make-fixtures.sh'), 'echo "E: Unable to locate package apache2-dev"\nexit 100\n');
    await chmod(path.join(root, 'test', 'fixtures', 'make-fixtures.sh'), 0o755);
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  test('says it installs Debian packages and why, then fails naming no path outside the repository', async () => {
    const result = await demo(root);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/^First run: .*no internet/);
    expect(result.stdout).toContain('installs the Debian packages it lacks with apt-get');
    expect(result.stdout).toContain('needs\nroot');
    expect(result.stderr).toMatch(
      /^demo failed: Could not build the demo's CPython and wheels from Debian packages\.\nThe build log is \.cache\/fixtures\/[0-9a-f]{16}\.log\./m,
    );
    // absolute paths only: a '/' that does not continue a relative one such as .cache/fixtures
    const absolute = result.all.match(/(?<![\w.])\/[\w.@+-]+(?:\/[\w.@+-]+)+/g) ?? [];
    expect(absolute.length).toBeGreaterThan(0); // fixtures.ts names the build folder, inside the repository
    const outside = absolute.filter((p) => !p.startsWith(`${root}/`));
    expect(outside).toEqual([]);
  });
});
