import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** The bundle `npm run build` makes; the harness drives it as users do. */
export const PYWARP = path.join(REPO, 'dist', 'pywarp.js');
export const BUILDPACKS = path.join(REPO, 'test', 'harness', 'buildpacks');

/** One test's world: an app, a HOME, and the lifecycle's directories, all in one temp dir. */
export interface Sandbox {
  root: string;
  app: string;
  home: string;
  layers: string;
  cache: string;
  platform: string;
  /** The whole environment pywarp runs with: nothing of this machine's leaks in. */
  env: Record<string, string>;
}

export async function makeSandbox(): Promise<Sandbox> {
  const root = await mkdtemp(path.join(tmpdir(), 'pywarp-harness-'));
  const sandbox = {
    root,
    app: path.join(root, 'app'),
    home: path.join(root, 'home'),
    layers: path.join(root, 'layers'),
    cache: path.join(root, 'cache'),
    platform: path.join(root, 'platform'),
    // XDG_CACHE_HOME too: as root, pywarp's state would otherwise go to /var/cache/pywarp.
    env: {
      PATH: `${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
      HOME: path.join(root, 'home'),
      XDG_CACHE_HOME: path.join(root, 'home', '.cache'),
    },
  };
  await mkdir(sandbox.app);
  await mkdir(sandbox.home);
  return sandbox;
}

export async function removeSandbox(sandbox: Sandbox | undefined): Promise<void> {
  if (sandbox) await rm(sandbox.root, { recursive: true, force: true });
}

/** File path → content; an executable is `{ content, mode: 0o755 }`. */
export type Tree = Record<string, string | { content: string; mode: number }>;

export async function writeTree(dir: string, tree: Tree): Promise<void> {
  for (const [file, spec] of Object.entries(tree)) {
    const target = path.join(dir, file);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, typeof spec === 'string' ? spec : spec.content);
    if (typeof spec !== 'string') await chmod(target, spec.mode);
  }
}

export const executable = (content: string) => ({ content, mode: 0o755 });

export interface Run {
  exitCode: number | undefined;
  stdout: string;
  /** stdout and stderr interleaved. */
  all: string;
}

/** Starts `node dist/pywarp.js ARGS` with exactly `env`; the caller stops it. */
export function startPywarp(args: readonly string[], env: Record<string, string>) {
  return execa(process.execPath, [PYWARP, ...args], { env, extendEnv: false, stdin: 'ignore', all: true, reject: false, timeout: 60_000 });
}

export async function pywarp(args: readonly string[], env: Record<string, string>): Promise<Run> {
  const result = await startPywarp(args, env);
  return { exitCode: result.exitCode, stdout: String(result.stdout), all: String(result.all) };
}

/** `pywarp build` of the sandbox's app with a test buildpack (a name, or a path) and the sandbox's directories. */
export function build(sandbox: Sandbox, buildpack: string, extra: readonly string[] = []) {
  const dirs = ['--layers', sandbox.layers, '--cache', sandbox.cache, '--platform', sandbox.platform];
  return pywarp(['build', sandbox.app, '--buildpack', path.resolve(BUILDPACKS, buildpack), ...dirs, ...extra], sandbox.env);
}

/** `pywarp launch` of the sandbox's app; `env` adds to the sandbox's environment. */
export function launch(sandbox: Sandbox, args: readonly string[] = [], env: Record<string, string> = {}) {
  return pywarp(['launch', sandbox.app, '--layers', sandbox.layers, ...args], { ...sandbox.env, ...env });
}

/** `env` output as a map. */
export function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}

/** Every path under `dir` with its mode and, for files, content: equal snapshots mean nothing changed. */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (rel: string): Promise<void> => {
    const full = path.join(dir, rel);
    const info = await stat(full);
    const mode = (info.mode & 0o7777).toString(8);
    if (!info.isDirectory()) {
      out[rel] = `${mode} ${await readFile(full, 'utf8')}`;
      return;
    }
    out[`${rel}/`] = mode;
    for (const name of (await readdir(full)).sort()) await walk(path.join(rel, name));
  };
  await walk('.');
  return out;
}

/** Waits, at most `timeoutMs`, for `predicate` to hold. */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
