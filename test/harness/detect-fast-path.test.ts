// bin/detect's sh fast path (dist/detect.sh) against the Node detect (dist/detect.cjs) on
// every sample, every app the tests write and edge cases: the same exit code, stdout,
// stderr and files written. bin/detect runs with no node anywhere, so a case it passes
// to Node fails loudly unless the case says it must (only what the sh cannot decide).
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { EXIT } from '../../src/cnb/exit-codes.js';
import { KNOWN_PYTHON_PROJECT_DIRS, KNOWN_PYTHON_PROJECT_FILES } from '../../src/plan/detect.js';
import { detectFastPathSh } from '../../src/plan/detect-fast-path.js';
import { appTreesInSources, type TopLevel } from '../support/app-trees.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const NODE_DIR = path.dirname(process.execPath);
// The shells bin/detect meets as /bin/sh: dash (Debian) here, bash (others, macOS) when present.
const SHELLS = ['/bin/sh', '/bin/bash'].filter((s) => existsSync(s));

interface Case {
  name: string;
  /** An existing app dir (the samples), else one made by `make` (or left empty). */
  app?: string;
  make?: (app: string) => Promise<void>;
  /** Positional args and CNB_* variables; by default both, as the lifecycle passes them. */
  args?: (c: Paths) => string[];
  env?: (c: Paths) => Record<string, string>;
  /** The plan file before detect: the lifecycle pre-creates it empty. */
  planBefore?: string | null;
  /** Only the Node detect can answer: bin/detect must start Node. */
  needsNode?: boolean;
  exit?: number;
}

interface Paths {
  platform: string;
  plan: string;
  out: string;
}
interface Outcome {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  out: Record<string, string>;
}

const files = (names: readonly string[]) => async (app: string) => {
  for (const n of names) await writeFile(path.join(app, n), '');
};
const dirs = (names: readonly string[]) => async (app: string) => {
  for (const n of names) await mkdir(path.join(app, n));
};
const tree = (top: TopLevel) => async (app: string) => {
  for (const [n, kind] of Object.entries(top)) await (kind === 'dir' ? mkdir(path.join(app, n)) : writeFile(path.join(app, n), ''));
};
const python = files(['requirements.txt']);

const samples = (await readdir(path.join(REPO, 'samples')))
  .sort()
  .map((s): Case => ({ name: `sample ${s}`, app: path.join(REPO, 'samples', s), exit: EXIT.ok }));
const written = (await appTreesInSources(['harness', 'integration', 'unit'].map((d) => path.join(REPO, 'test', d)))).map(
  ({ source, tree: top }): Case => ({ name: `test app ${source} ${Object.keys(top).join(' ')}`, make: tree(top) }),
);

const FILE_MARKERS: readonly string[] = KNOWN_PYTHON_PROJECT_FILES;
const DIR_MARKERS: readonly string[] = KNOWN_PYTHON_PROJECT_DIRS;
const markers: Case[] = [
  ...FILE_MARKERS.map((f): Case => ({ name: `only ${f}`, make: files([f]), exit: EXIT.ok })),
  ...DIR_MARKERS.map((d): Case => ({ name: `only ${d}/`, make: dirs([d]), exit: EXIT.ok })),
  // Detect goes by names: a directory named like a file marker counts, and the reverse.
  ...FILE_MARKERS.map((f): Case => ({ name: `a directory named ${f}`, make: dirs([f]), exit: EXIT.ok })),
  ...DIR_MARKERS.map((d): Case => ({ name: `a file named ${d}`, make: files([d]), exit: EXIT.ok })),
  {
    name: 'every marker, listed in the table order',
    make: async (app) => {
      await dirs([...DIR_MARKERS].reverse())(app);
      await files([...FILE_MARKERS].reverse())(app);
    },
    exit: EXIT.ok,
  },
];

const edges: Case[] = [
  { name: 'an empty directory', exit: EXIT.detectFail },
  { name: 'not Python', make: files(['package.json', 'index.html', '.env']), exit: EXIT.detectFail },
  { name: 'only a misspelt requirements file the table knows', make: files(['requirments.txt']), exit: EXIT.ok },
  {
    name: 'near misses: other cases, suffixes, a nested requirements.txt',
    make: async (app) => {
      await files([
        'REQUIREMENTS.TXT',
        'requirements.txt~',
        'requirements.txt.bak',
        'requirements',
        'Requirement.txt',
        'APP.PY',
        'Wsgi',
        'requirements.txt ',
      ])(app);
      await mkdir(path.join(app, 'src'));
      await writeFile(path.join(app, 'src', 'requirements.txt'), '');
    },
    exit: EXIT.detectFail,
  },
  {
    name: 'names a glob or a case pattern would misread',
    make: files(['*', '?pp.py', '[r]equirements.txt', 'app.py*', '-n', "it's.py", 'a\\b', 'app.py\n', '.*']),
    exit: EXIT.detectFail,
  },
  {
    name: 'named PEP 751 locks: pylock.NAME.toml is one, NAME without dots',
    make: files(['pylock.prod.toml', 'pylock.dev.toml']),
    exit: EXIT.ok,
  },
  {
    name: 'near misses of named PEP 751 locks',
    make: files(['pylock..toml', 'pylock.a.b.toml', 'pylock.toml.bak', 'Pylock.x.toml', 'pylock.x.TOML']),
    exit: EXIT.detectFail,
  },
  { name: 'glob-looking names next to a marker', make: files(['*', '[w]sgi.py', 'wsgi.py']), exit: EXIT.ok },
  {
    name: 'a symlink to a marker outside the app',
    make: async (app) => {
      await writeFile(path.join(app, '..', 'reqs.txt'), 'flask\n');
      await symlink('../reqs.txt', path.join(app, 'requirements.txt'));
    },
    exit: EXIT.ok,
  },
  { name: 'a dangling symlink named app.py', make: async (app) => symlink('missing.py', path.join(app, 'app.py')), exit: EXIT.ok },
  { name: 'a symlink loop named setup.py', make: async (app) => symlink('setup.py', path.join(app, 'setup.py')), exit: EXIT.ok },
  {
    name: 'a symlink to a directory named wsgi',
    make: async (app) => {
      await mkdir(path.join(app, 'real'));
      await symlink('real', path.join(app, 'wsgi'));
    },
    exit: EXIT.ok,
  },
  {
    name: 'a marker only in a subdirectory, as a symlink',
    make: async (app) => {
      await mkdir(path.join(app, 'sub'));
      await symlink('../index.html', path.join(app, 'sub', 'manage.py'));
    },
    exit: EXIT.detectFail,
  },
  {
    name: '3000 other files and one marker',
    make: async (app) => {
      await files(Array.from({ length: 3000 }, (_, i) => `static-${i}.css`))(app);
      await python(app);
    },
    exit: EXIT.ok,
  },
  { name: 'a plan file that is not there yet', make: python, planBefore: null, exit: EXIT.ok },
  { name: 'a plan file with longer content in it', make: python, planBefore: `${'# old\n'.repeat(100)}`, exit: EXIT.ok },
  { name: 'positional arguments only', make: python, env: () => ({}), exit: EXIT.ok },
  { name: 'CNB_* variables only', make: python, args: () => [], exit: EXIT.ok },
  {
    name: 'empty CNB_* variables, positional arguments',
    make: python,
    env: () => ({ CNB_PLATFORM_DIR: '', CNB_BUILD_PLAN_PATH: '' }),
    exit: EXIT.ok,
  },
  {
    name: 'CNB_BUILD_PLAN_PATH wins over the argument',
    make: python,
    args: (p) => [p.platform, path.join(p.out, 'arg-plan.toml')],
    exit: EXIT.ok,
  },
  {
    name: 'a plan path with spaces and quotes',
    make: python,
    env: (p) => ({ CNB_PLATFORM_DIR: p.platform, CNB_BUILD_PLAN_PATH: path.join(p.out, `it's a "plan".toml`) }),
    args: () => [],
    exit: EXIT.ok,
  },
  {
    name: 'not Python, plan path in a missing directory (nothing to write)',
    env: (p) => ({ CNB_PLATFORM_DIR: p.platform, CNB_BUILD_PLAN_PATH: path.join(p.out, 'missing', 'plan.toml') }),
    args: () => [],
    exit: EXIT.detectFail,
  },
  // What only the Node detect answers: its error messages.
  {
    name: 'no platform dir at all',
    make: python,
    args: () => [],
    env: (p) => ({ CNB_BUILD_PLAN_PATH: p.plan }),
    needsNode: true,
    exit: EXIT.error,
  },
  {
    name: 'no plan path at all',
    make: python,
    args: () => [],
    env: (p) => ({ CNB_PLATFORM_DIR: p.platform }),
    needsNode: true,
    exit: EXIT.error,
  },
  { name: 'not Python, no plan path', args: () => [], env: (p) => ({ CNB_PLATFORM_DIR: p.platform }), needsNode: true, exit: EXIT.error },
  {
    name: 'a plan path in a missing directory',
    make: python,
    env: (p) => ({ CNB_PLATFORM_DIR: p.platform, CNB_BUILD_PLAN_PATH: path.join(p.out, 'missing', 'plan.toml') }),
    args: () => [],
    needsNode: true,
    exit: EXIT.error,
  },
  {
    name: 'a plan path that is a directory',
    make: python,
    env: (p) => ({ CNB_PLATFORM_DIR: p.platform, CNB_BUILD_PLAN_PATH: p.out }),
    args: () => [],
    needsNode: true,
    exit: EXIT.error,
  },
  // root reads any directory, so both detects list it; anyone else gets Node's EACCES.
  {
    name: 'an app dir that cannot be listed',
    make: async (app) => {
      await python(app);
      await chmod(app, 0o311);
    },
    needsNode: process.getuid?.() !== 0,
  },
];

let work: string;
let emptyPath: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'pywarp-detect-'));
  emptyPath = path.join(work, 'empty-path');
  await mkdir(emptyPath);
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** Names and contents of the files in `dir`, recursively. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, file)] = entry.isFile() ? await readFile(file, 'utf8') : `<${entry.isDirectory() ? 'dir' : 'other'}>`;
  }
  return out;
}

let n = 0;
async function setUp(c: Case): Promise<{ app: string; paths: Paths; run: (cmd: string[], pathVar: string) => Promise<Outcome> }> {
  const root = path.join(work, String(++n));
  const app = c.app ?? path.join(root, 'app');
  const paths = { platform: path.join(root, 'platform'), out: path.join(root, 'out'), plan: path.join(root, 'out', 'plan.toml') };
  await mkdir(paths.platform, { recursive: true });
  if (!c.app) {
    await mkdir(app);
    await c.make?.(app);
  }
  const args = (c.args ?? ((p: Paths) => [p.platform, p.plan]))(paths);
  const env = (c.env ?? ((p: Paths) => ({ CNB_PLATFORM_DIR: p.platform, CNB_BUILD_PLAN_PATH: p.plan })))(paths);
  const run = async (cmd: string[], pathVar: string): Promise<Outcome> => {
    await rm(paths.out, { recursive: true, force: true });
    await mkdir(paths.out);
    const before = c.planBefore === undefined ? '' : c.planBefore;
    if (before !== null) await writeFile(paths.plan, before);
    const [file, ...rest] = cmd as [string, ...string[]];
    const result = await execa(file, [...rest, ...args], {
      cwd: app,
      extendEnv: false,
      reject: false,
      stripFinalNewline: false,
      timeout: 60_000,
      env: { PATH: pathVar, HOME: root, CNB_BUILDPACK_DIR: REPO, CNB_TARGET_OS: 'linux', CNB_TARGET_ARCH: 'amd64', ...env },
    });
    return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr, out: await snapshot(paths.out) };
  };
  return { app, paths, run };
}

test('dist/detect.sh is what the detect tables render (npm run build makes it)', async () => {
  expect(await readFile(path.join(REPO, 'dist', 'detect.sh'), 'utf8')).toBe(detectFastPathSh());
});

test.each([...samples, ...written, ...markers, ...edges].map((c) => [c.name, c] as const))(
  '%s',
  async (_name, c) => {
    const { app, run } = await setUp(c);
    try {
      const node = await run([process.execPath, path.join(REPO, 'dist', 'detect.cjs')], NODE_DIR);
      if (c.exit !== undefined) expect(node).toMatchObject({ exitCode: c.exit });
      for (const shell of SHELLS) {
        const detect = [shell, path.join(REPO, 'bin', 'detect')];
        const withoutNode = await run(detect, emptyPath);
        if (c.needsNode) {
          expect([shell, withoutNode]).toMatchObject([
            shell,
            { exitCode: 1, stdout: '', stderr: expect.stringContaining('no Node.js runtime found') },
          ]);
          expect([shell, await run(detect, NODE_DIR)]).toEqual([shell, node]);
        } else {
          expect([shell, withoutNode]).toEqual([shell, node]);
        }
      }
    } finally {
      if (!c.app) await chmod(app, 0o755);
    }
  },
  60_000,
);

test('bin/build, the same file, never takes the detect path', async () => {
  const { run } = await setUp({ name: 'build', make: python });
  expect(await run([path.join(REPO, 'bin', 'build')], emptyPath)).toMatchObject({
    exitCode: 1,
    stdout: '',
    stderr: expect.stringContaining('no Node.js runtime found'),
    out: { 'plan.toml': '' },
  });
});
