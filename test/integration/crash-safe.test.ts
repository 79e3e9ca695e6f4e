// The local lifecycle under stops, kills and contention: a build SIGKILLed or SIGTERMed at
// any point leaves the previous build launchable and the next build working; two builds of
// one app never run at once; a cache that cannot be written costs the cache, not the image.
// Kill points are reached deterministically: by a line of the build log, or by a `cp` that
// stops itself (SIGSTOP) before it copies to one destination, which holds the lifecycle there.
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { execa, type ResultPromise } from 'execa';
import { buildApp, useFixtureBuildpack } from '../support/fixture-buildpack.js';
import type { TestImage } from '../support/pywarp.js';
import { scrubbedEnv } from '../support/scrubbed-env.js';
import { serve } from '../support/serve.js';

jest.setTimeout(300_000);

const setup = useFixtureBuildpack('pywarp-crash-');
const WSGI = 'from flask import Flask\napplication = Flask(__name__)\n\n@application.route("/")\ndef hello():\n    return "hello"\n';
type Build = ResultPromise<{ all: true; reject: false }>;

let app: string;
let image: TestImage;
/** Holds `cp`, which stops itself before its first copy to $PAUSE_CP_AT (writing its pid to $PAUSE_CP_MARK), then runs the real cp. */
let pausingCpDir: string;

beforeAll(async () => {
  ({ app, image } = await buildApp(setup, 'crash', {
    '.python-version': '3.11.2\n',
    'requirements.txt': 'flask\ngunicorn\n',
    'wsgi.py': WSGI,
  }));
  pausingCpDir = join(setup.work, 'pausing-cp');
  await mkdir(pausingCpDir);
  const realCp = (await execa('sh', ['-c', 'command -v cp'])).stdout;
  await writeFile(
    join(pausingCpDir, 'cp'),
    `#!/bin/sh
for last; do :; done
if [ -n "$PAUSE_CP_AT" ] && [ "$last" = "$PAUSE_CP_AT" ] && [ ! -e "$PAUSE_CP_MARK" ]; then
  echo $$ > "$PAUSE_CP_MARK.tmp" && mv "$PAUSE_CP_MARK.tmp" "$PAUSE_CP_MARK"
  kill -STOP $$
fi
exec ${realCp} "$@"
`,
  );
  await chmod(join(pausingCpDir, 'cp'), 0o755);
});

const index = () => ({ PIP_INDEX_URL: `${setup.server.url}/wheelhouse/simple/` });
const bpLayers = () => join(image.layers, 'pywarp_python');
const bpCache = () => join(image.cache, 'pywarp_python');
const mark = () => join(setup.work, 'cp-paused');

/** What identifies the image: its processes and each layer's metadata. */
function imageState(): Promise<string[]> {
  const files = [join(image.layers, 'config', 'metadata.toml'), ...['cpython.toml', 'venv.toml'].map((f) => join(bpLayers(), f))];
  return Promise.all(files.map((f) => readFile(f, 'utf8')));
}

/** Leftovers of a build that did not end: the image's are gone after a launch, the rest after the next build. */
function leftovers(of: 'image' | 'all' = 'all'): string[] {
  const inImage = [join(image.layers, '.previous'), join(image.layers, '.superseded')];
  const paths = of === 'image' ? inImage : [...inImage, join(image.layers, '.plan'), `${bpCache()}.new`];
  return paths.filter((p) => existsSync(p));
}

/** `pywarp build` in its own group, with the pausing cp first on PATH; `pauseAt` arms it. */
async function startBuild(pauseAt = ''): Promise<{ child: Build; output: () => string }> {
  await rm(mark(), { force: true });
  const child = image.startBuild(app, index(), {
    PATH: `${pausingCpDir}:${scrubbedEnv(image.home).PATH}`,
    PAUSE_CP_AT: pauseAt,
    PAUSE_CP_MARK: mark(),
  });
  let output = '';
  child.all?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  return { child, output: () => output };
}

/** Polls (bounded) until `ready()`; the build ending first is a failure of the test. */
async function until(child: Build, ready: () => boolean, output: () => string): Promise<void> {
  for (let waited = 0; !ready() && child.exitCode === null && waited < 120_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
  if (!ready()) throw new Error(`the kill point was not reached\n${output()}`);
}

/** The pid of the paused cp once it has stopped itself. */
async function pausedCp(child: Build, output: () => string): Promise<number> {
  let pid = 0;
  await until(
    child,
    () => {
      if (!pid && existsSync(mark())) pid = Number(readFileSync(mark(), 'utf8'));
      return pid > 0 && procState(pid) === 'T';
    },
    output,
  );
  return pid;
}

function procState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0];
  } catch {
    return undefined;
  }
}

/** Waits for the build to end; past a bound its whole group is killed. */
async function ended(child: Build) {
  const timer = setTimeout(() => process.kill(-(child.pid as number), 'SIGKILL'), 120_000);
  try {
    return await child;
  } finally {
    clearTimeout(timer);
  }
}

let edits = 0;
/** A new comment in requirements.txt: its hash changes, so the venv is built again. */
const touchRequirements = () => writeFile(join(app, 'requirements.txt'), `flask\ngunicorn\n# edit ${++edits}\n`);

interface KillPoint {
  name: string;
  /** what makes the next build reach the point */
  prepare?: () => Promise<void>;
  /** a log line reached at the point, or the destination of the cp that holds the build there */
  at: { log: RegExp } | { cp: () => string };
  signals: readonly ('SIGKILL' | 'SIGTERM')[];
  /** more to expect of the rebuild after the kill */
  rebuild?: RegExp;
}

const points: KillPoint[] = [
  {
    name: 'pip install',
    prepare: touchRequirements,
    at: { log: /Running 'pip install[^\n]*\n[\s\S]*Collecting / },
    signals: ['SIGKILL', 'SIGTERM'],
    rebuild: /Running 'pip install/,
  },
  {
    // The cache is dropped, so Python is downloaded and extracted again; the log line comes
    // right before the extraction.
    name: 'CPython extraction',
    prepare: () => rm(image.cache, { recursive: true, force: true }),
    at: { log: /sha256 [0-9a-f]{64} verified/ },
    signals: ['SIGKILL', 'SIGTERM'],
    rebuild: /Downloading Python 3\.11\.2/,
  },
  { name: 'restore', at: { cp: bpLayers }, signals: ['SIGKILL'] },
  { name: 'cache save', at: { cp: () => `${bpCache()}.new` }, signals: ['SIGKILL', 'SIGTERM'] },
];

describe.each(points)('a build stopped during $name', (point) => {
  test.each(point.signals.map((s) => [s]))('by %s: the previous build still serves, then a rebuild succeeds', async (signal) => {
    const before = await imageState();
    await point.prepare?.();
    const { child, output } = await startBuild('cp' in point.at ? point.at.cp() : '');
    let cp: number | undefined;
    try {
      if ('log' in point.at) {
        const line = point.at.log;
        await until(child, () => line.test(output()), output);
      } else cp = await pausedCp(child, output);
    } finally {
      // SIGKILL: the whole group (pywarp, bin/build, pip, cp), as the OOM killer or a closed
      // CI job would. SIGTERM: pywarp alone, as `kill PID` does; a paused cp is let go.
      if (child.exitCode === null) {
        if (signal === 'SIGKILL') process.kill(-(child.pid as number), 'SIGKILL');
        else process.kill(child.pid as number, 'SIGTERM');
      }
      if (cp && signal === 'SIGTERM') process.kill(cp, 'SIGCONT');
    }
    const result = await ended(child);
    if (signal === 'SIGKILL') expect(result.signal).toBe('SIGKILL');
    else {
      expect([result.exitCode, output()]).toEqual([143, expect.stringContaining('[Error: Build stopped by SIGTERM]\n')]);
      // pywarp put the previous image back itself
      expect(leftovers()).toEqual([]);
      expect(await imageState()).toEqual(before);
    }
    expect(output()).not.toContain('Process types:');

    await serve(image, app, 'hello');
    expect(leftovers('image')).toEqual([]);
    expect(await imageState()).toEqual(before);

    const rebuilt = await image.build(app, index());
    expect([rebuilt.exitCode, rebuilt.output]).toEqual([0, expect.stringContaining('Process types: web (default)')]);
    if (point.rebuild) expect(rebuilt.output).toMatch(point.rebuild);
    expect(leftovers()).toEqual([]);
  });
});

test('a cached layer without its <layer>.toml is not restored: the layer is built again', async () => {
  await rm(join(bpCache(), 'cpython.toml'));
  const build = await image.build(app, index());
  expect(build.output).not.toContain("Restored layer 'cpython'");
  expect(build.output).toContain('Downloading Python 3.11.2');
  expect(build.exitCode).toBe(0);
  await serve(image, app, 'hello');
});

test('two builds at once: the second fails at once naming the first, so does a launch; the first succeeds', async () => {
  const before = await imageState();
  const first = await startBuild(bpLayers());
  const cp = await pausedCp(first.child, first.output);
  try {
    const second = await image.build(app, index());
    expect(second.exitCode).toBe(1);
    expect(second.output).toContain(
      `[Error: Another build is running]\npywarp build (pid ${first.child.pid}) holds ${join(image.layers, '.pywarp-build.lock')}.\n`,
    );
    const launched = await image.run(app);
    expect(launched.exitCode).toBe(82);
    expect(launched.output).toContain('[Error: A build of this app is running]\n');
  } finally {
    process.kill(cp, 'SIGCONT');
  }
  const result = await ended(first.child);
  expect([result.exitCode, first.output()]).toEqual([0, expect.stringContaining('Process types: web (default)')]);
  expect(await imageState()).toEqual(before);
  expect(await readFile(join(image.layers, '.pywarp-build.lock'), 'utf8')).toBe('');
  await serve(image, app, 'hello');
});

/** Runs `fn` with `dir` mounted read-only or as a full 64 KiB tmpfs (a full disk); not being root, with `dir` read-only. */
async function withUnwritable(dir: string, how: 'read-only' | 'full', fn: () => Promise<void>): Promise<void> {
  if (process.getuid?.() !== 0) {
    await chmod(dir, 0o555);
    await chmod(join(dir, 'pywarp_python'), 0o555).catch(() => undefined);
    try {
      return await fn();
    } finally {
      await chmod(dir, 0o755);
      await chmod(join(dir, 'pywarp_python'), 0o755).catch(() => undefined);
    }
  }
  if (how === 'full') {
    await execa('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]);
    // not a byte left
    await execa('dd', ['if=/dev/zero', `of=${join(dir, 'filler')}`, 'bs=4k'], { reject: false });
  } else {
    await execa('mount', ['--bind', dir, dir]);
    await execa('mount', ['-o', 'remount,bind,ro', dir]).catch(async (err: unknown) => {
      await execa('umount', [dir]);
      throw err;
    });
  }
  try {
    await fn();
  } finally {
    await execa('umount', [dir]);
  }
}

describe.each(['read-only', 'full'] as const)('a %s cache directory', (how) => {
  test('a titled warning; the image is built and kept, nothing half-written is left in the cache', async () => {
    await touchRequirements();
    await withUnwritable(image.cache, how, async () => {
      const build = await image.build(app, index());
      expect(build.output).toMatch(/\[Warning: The cache was not saved\]\nWriting the cache to \S+pywarp_python failed: .+\.\n/);
      expect(build.output).toContain('The image was built and is kept');
      expect([build.exitCode, build.output]).toEqual([0, expect.stringContaining('Process types: web (default)')]);
      expect(leftovers()).toEqual([]);
      await serve(image, app, 'hello');
    });
    const next = await image.build(app, index());
    expect([next.exitCode, next.output]).toEqual([0, expect.stringContaining('Process types: web (default)')]);
  });
});
