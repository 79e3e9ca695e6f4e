// Lock files of every format, written for the fixture wheelhouse with the wheels' real hashes,
// turned into requirements by pywarp and installed by real pip against the fixture index.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { execa } from 'execa';
import { readApp } from '../../src/effects/read-app.js';
import { chooseInstallSource, lockFilesToRead } from '../../src/plan/install-source.js';
import { readLock } from '../../src/plan/locks/read-lock.js';
import { parseHashMismatches } from '../../src/plan/locks/hash-mismatch.js';
import { requirementsText } from '../../src/plan/locks/requirements-text.js';
import { writeApp } from '../support/apps.js';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server.js';
import { ensureFixtures, type Fixtures } from '../support/fixtures.js';
import {
  fixtureScenario,
  pipenvFiles,
  pipInstallLocked,
  poetryFiles,
  pylockFiles,
  SCENARIO_INSTALLS,
  uvFiles,
  type Scenario,
} from '../support/lock-files.js';
import { makeTempDir } from '../support/scrubbed-env.js';

jest.setTimeout(300_000);

let fixtures: Fixtures;
let server: FixtureServer;
let work: string;
let python: string;
let scenario: Scenario;

beforeAll(async () => {
  fixtures = await ensureFixtures();
  server = await startFixtureServer(fixtures.dir);
  work = await makeTempDir('pywarp-locks-');
  const prefix = join(work, 'cpython');
  await execa('mkdir', ['-p', prefix]);
  await execa('tar', ['-xzf', fixtures.cpythonTarball, '-C', prefix]);
  python = join(prefix, 'bin', 'python3');
  scenario = await fixtureScenario(fixtures.wheelhouse);
});

afterAll(async () => {
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

test.each<[string, (s: Scenario) => Record<string, string>, string, boolean]>([
  ['uv.lock', uvFiles, 'uv', true],
  ['poetry.lock', poetryFiles, 'poetry', true],
  ['Pipfile.lock', pipenvFiles, 'pipenv', false],
  ['pylock.toml', pylockFiles, 'pylock', true],
])(
  '%s installs exactly the locked main packages: no dev group, no Windows-only package, the fork for this Python',
  async (file, files, tool, project) => {
    const dir = join(work, tool);
    const app = await writeApp(join(dir, 'app'), { ...files(scenario), 'hello.py': 'X = 1\n', 'app.py': '' });
    const appFiles = await readApp(app, (a) => ({ files: lockFilesToRead(a.files), dirs: [] }));
    const source = chooseInstallSource(appFiles, {});
    expect(source).toMatchObject({ kind: 'lock', tool, file });
    if (source.kind !== 'lock') return;
    const plan = readLock(source.tool, source.file, appFiles, { python: fixtures.cpythonVersion, arch: 'amd64' }, {});
    expect(plan.localProjects).toEqual(project ? ['.'] : []);

    const result = await pipInstallLocked({
      python,
      work: dir,
      app,
      indexUrl: `${server.url}/wheelhouse/simple/`,
      requirements: requirementsText(plan),
      localProjects: plan.localProjects,
    });
    expect(result.installed).toEqual([...SCENARIO_INSTALLS, ...(project ? ['hello-app'] : [])].sort());
    expect(result.output).toMatch(/Ignoring colorama: markers .* don't match your environment/);
    if (tool !== 'pipenv')
      expect(result.output).toMatch(/Ignoring waitress: markers 'python_full_version < "3\.11"' don't match your environment/);
  },
);

test('a wrong hash in the lock stops pip, which names the package and both hashes', async () => {
  const dir = join(work, 'wrong-hash');
  const good = uvFiles(scenario);
  const flask = scenario.packages.find((p) => p.name === 'flask')?.files[0]?.sha256 as string;
  const app = await writeApp(join(dir, 'app'), {
    ...good,
    'uv.lock': (good['uv.lock'] as string).replace(flask, '0'.repeat(64)),
    'hello.py': '',
  });
  const appFiles = await readApp(app, () => ({ files: ['uv.lock'], dirs: [] }));
  const plan = readLock('uv', 'uv.lock', appFiles, { python: fixtures.cpythonVersion, arch: 'amd64' }, {});
  const failure = await pipInstallLocked({
    python,
    work: dir,
    app,
    indexUrl: `${server.url}/wheelhouse/simple/`,
    requirements: requirementsText(plan),
    localProjects: [],
  }).then(
    () => undefined,
    (err: { all?: string }) => err.all ?? '',
  );
  expect(parseHashMismatches(failure ?? '')).toEqual([
    { requirement: 'flask==2.2.2', algorithm: 'sha256', expected: ['0'.repeat(64)], got: flask },
  ]);
});
