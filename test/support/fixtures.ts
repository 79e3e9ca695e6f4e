import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

/** A real CPython tarball and a PEP 503 wheelhouse, built by test/fixtures/make-fixtures.sh. */
export interface Fixtures {
  /** holds dist/, wheelhouse/ and MANIFEST.txt; serve it with startFixtureServer */
  dir: string;
  source: 'cache' | 'built' | 'prebuilt';
  cpythonTarball: string;
  cpythonSha256: string;
  /** upstream version of Debian's python3.11 package, e.g. '3.11.2' */
  cpythonVersion: string;
  /** *.whl plus simple/ */
  wheelhouse: string;
  /** the same with Debian 13's servers (test/integration/current-servers.test.ts); absent from older sets */
  currentWheelhouse?: string;
}

const TARBALL = 'cpython-3.11-debian-bookworm-x86_64.tgz';
// a build takes about a minute; installing apt build deps on a fresh machine adds more
const LOCK_WAIT_MS = 15 * 60_000;
// jest workers inherit globalSetup's environment: a build that failed there is not retried in every worker
const BUILD_FAILED_ENV = 'PYWARP_FIXTURES_BUILD_FAILED';

/** The nearest directory above this module holding buildpack.toml (from test/support or from dist/). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'buildpack.toml')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** Where the fixtures for the current scripts are cached, and whether they are there yet (the demo tells a first run apart). */
export function fixturesCache(root = repoRoot()): { dir: string; log: string; built: boolean } {
  const dir = join(root, '.cache', 'fixtures', scriptsKey(root));
  return { dir, log: `${dir}.log`, built: isComplete(dir) };
}

let pending: Promise<Fixtures> | undefined;

/** The fixtures for the current test/fixtures scripts: cached, else built, else the shared prebuilt set. */
export function ensureFixtures(): Promise<Fixtures> {
  pending ??= locate(repoRoot());
  return pending;
}

async function locate(root: string): Promise<Fixtures> {
  const cacheDir = join(root, '.cache', 'fixtures', scriptsKey(root));
  if (isComplete(cacheDir)) return describe(cacheDir, 'cache');
  let why = process.env[BUILD_FAILED_ENV];
  if (!why) {
    try {
      return await withLock(`${cacheDir}.lock`, async () => {
        // another process may have finished the build while we waited
        if (isComplete(cacheDir)) return describe(cacheDir, 'cache');
        await build(root, cacheDir);
        return describe(cacheDir, 'built');
      });
    } catch (err) {
      why = (err as Error).message;
      process.env[BUILD_FAILED_ENV] = why;
    }
  }
  const prebuilt = join(root, '..', 'shared', 'test-fixtures', 'prebuilt');
  if (!existsSync(prebuilt)) {
    throw new Error(`fixtures: building them failed and there is no prebuilt set at ${prebuilt}: ${why}`);
  }
  console.warn(`fixtures: using the prebuilt set at ${prebuilt} because building them failed: ${why}`);
  return describe(prebuilt, 'prebuilt');
}

/** First 16 hex of a sha256 over the fixture scripts, so editing a script means a rebuild. */
function scriptsKey(root: string): string {
  const dir = join(root, 'test', 'fixtures');
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isFile()) hash.update(`${name}\0`).update(readFileSync(path)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

function isComplete(dir: string): boolean {
  return existsSync(join(dir, 'COMPLETE'));
}

/** Build into a temp dir next to cacheDir and rename it into place only once it is whole. */
async function build(root: string, cacheDir: string): Promise<void> {
  await mkdir(dirname(cacheDir), { recursive: true });
  const tmp = await mkdtemp(`${cacheDir}.tmp-`);
  await chmod(tmp, 0o755); // mkdtemp's 0700 would hide the fixtures from an unprivileged build user
  const log = `${cacheDir}.log`;
  console.warn(`fixtures: building them into ${cacheDir} (about a minute; log: ${log})`);
  try {
    await runLogged('bash', [join(root, 'test', 'fixtures', 'make-fixtures.sh'), tmp], log);
    await writeFile(join(tmp, 'COMPLETE'), `${new Date().toISOString()}\n`);
    // an incomplete leftover would make the rename fail (we hold the lock)
    await rm(cacheDir, { recursive: true, force: true });
    await rename(tmp, cacheDir);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function runLogged(cmd: string, args: string[], logPath: string): Promise<void> {
  const log = await open(logPath, 'w');
  try {
    const code = await new Promise<number | null>((resolveCode, reject) => {
      // the script cleans its own environment; give it only a PATH to find bash's tools
      const child = spawn(cmd, args, { stdio: ['ignore', log.fd, log.fd], env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } });
      child.on('error', reject);
      child.on('close', resolveCode);
    });
    if (code !== 0) {
      const tail = (await readFile(logPath, 'utf8')).trimEnd().split('\n').slice(-15).join('\n');
      throw new Error(`${args[0]} exited with ${code}; last lines of ${logPath}:\n${tail}`);
    }
  } finally {
    await log.close();
  }
}

/** mkdir is atomic: whoever creates lockDir builds; the others wait, then re-check the marker. */
async function withLock<T>(lockDir: string, fn: () => Promise<T>): Promise<T> {
  await mkdir(dirname(lockDir), { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (holderIsGone(lockDir)) {
      await rm(lockDir, { recursive: true, force: true });
    } else if (Date.now() > deadline) {
      throw new Error(`gave up after ${LOCK_WAIT_MS / 60_000} min waiting for ${lockDir} (held by another build)`);
    } else {
      await sleep(500);
    }
  }
  try {
    await writeFile(join(lockDir, 'pid'), String(process.pid));
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

/** A lock left by a killed test run must not block every later run. */
function holderIsGone(lockDir: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
  } catch {
    // no pid yet: the holder is between mkdir and writeFile, unless it died right there
    try {
      return Date.now() - statSync(lockDir).mtimeMs > 60_000;
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function describe(dir: string, source: Fixtures['source']): Fixtures {
  try {
    const cpythonTarball = join(dir, 'dist', TARBALL);
    const wheelhouse = join(dir, 'wheelhouse');
    const cpythonSha256 = /^[0-9a-f]{64}\b/.exec(readFileSync(`${cpythonTarball}.sha256`, 'utf8'))?.[0];
    if (!cpythonSha256) throw new Error(`no sha256 in ${cpythonTarball}.sha256`);
    // MANIFEST lists the .deb versions, e.g. "python3.11 3.11.2-6+deb12u9": upstream is before the Debian revision
    const cpythonVersion = /^python3\.11 (?:\d+:)?(\d+(?:\.\d+)+)/m.exec(readFileSync(join(dir, 'MANIFEST.txt'), 'utf8'))?.[1];
    if (!cpythonVersion) throw new Error(`no python3.11 package version in ${join(dir, 'MANIFEST.txt')}`);
    for (const path of [cpythonTarball, join(wheelhouse, 'simple', 'index.html')]) {
      if (!existsSync(path)) throw new Error(`${path} is missing`);
    }
    const current = join(dir, 'wheelhouse-current');
    const currentWheelhouse = existsSync(join(current, 'simple', 'index.html')) ? current : undefined;
    return { dir, source, cpythonTarball, cpythonSha256, cpythonVersion, wheelhouse, currentWheelhouse };
  } catch (err) {
    throw new Error(`fixtures in ${dir} are unusable: ${(err as Error).message}`);
  }
}
