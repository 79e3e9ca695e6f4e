import { appFrom } from './app.js';
import { BuildError } from '../output/build-error.js';
import { chooseInstallSource, lockFilesToRead, pipInstallArgs } from './install-source.js';
import { failureText } from '../output/messages.js';

const app = (files: Record<string, string>) => appFrom('/app', files);

test.each<[string, Record<string, string>, Record<string, string>, object]>([
  ['requirements.txt', { 'requirements.txt': 'flask' }, {}, { kind: 'requirements', files: ['requirements.txt'] }],
  [
    'plus BP_PIP_REQUIREMENT',
    { 'requirements.txt': '', 'prod.txt': '' },
    { BP_PIP_REQUIREMENT: 'prod.txt' },
    { kind: 'requirements', files: ['requirements.txt', 'prod.txt'] },
  ],
  [
    'BP_PIP_REQUIREMENT alone',
    { 'a.txt': '', 'b.txt': '' },
    { BP_PIP_REQUIREMENT: 'a.txt b.txt' },
    { kind: 'requirements', files: ['a.txt', 'b.txt'] },
  ],
  [
    'requirements.txt wins over pyproject',
    { 'requirements.txt': '', 'pyproject.toml': '[project]\nname="x"\n' },
    {},
    { kind: 'requirements' },
  ],
  ['pyproject with [project]', { 'pyproject.toml': '[project]\nname="x"\n' }, {}, { kind: 'project', file: 'pyproject.toml' }],
  [
    'pyproject without [project] falls to setup.py',
    { 'pyproject.toml': '[tool.black]\n', 'setup.py': '' },
    {},
    { kind: 'project', file: 'setup.py' },
  ],
  ['setup.cfg', { 'setup.cfg': '' }, {}, { kind: 'project', file: 'setup.cfg' }],
  ['nothing', { 'app.py': '' }, {}, { kind: 'none' }],
])('%s', (_n, files, config, expected) => expect(chooseInstallSource(app(files), config)).toMatchObject(expected));

test('a misspelt requirements file is a titled error', () => {
  expect(() => chooseInstallSource(app({ 'requirments.txt': 'flask' }), {})).toThrow(
    new BuildError({ kind: 'requirements-misspelt', file: 'requirments.txt' }),
  );
});

test('BP_PIP_REQUIREMENT naming a missing file is an error', () => {
  expect(() => chooseInstallSource(app({ 'requirements.txt': '' }), { BP_PIP_REQUIREMENT: 'nope.txt' })).toThrow(
    'A requirements file named in BP_PIP_REQUIREMENT is missing',
  );
});

test('pip arguments', () => {
  expect(pipInstallArgs({ kind: 'requirements', files: ['requirements.txt', 'x.txt'], reason: '' }, undefined)).toEqual([
    '--no-input',
    '--progress-bar',
    'off',
    '-r',
    'requirements.txt',
    '-r',
    'x.txt',
  ]);
  expect(pipInstallArgs({ kind: 'project', file: 'setup.py', reason: '' }, 'vendor')).toEqual([
    '--no-input',
    '--progress-bar',
    'off',
    '--no-index',
    '--find-links',
    'vendor',
    '.',
  ]);
  expect(pipInstallArgs({ kind: 'none', reason: '' }, undefined)).toEqual([]);
});

describe('lock files', () => {
  const POETRY_ONLY = '[tool.poetry]\nname = "x"\nversion = "1"\n\n[tool.poetry.dependencies]\npython = "^3.11"\nflask = "*"\n';
  test.each<[string, Record<string, string>, Record<string, string>, object]>([
    [
      'Pipfile.lock',
      { Pipfile: '', 'Pipfile.lock': '{}' },
      {},
      {
        kind: 'lock',
        tool: 'pipenv',
        file: 'Pipfile.lock',
        reason: 'Installing exactly what Pipfile.lock locks (Pipenv), with pip, --no-deps and hash checking.',
      },
    ],
    ['poetry.lock', { 'pyproject.toml': POETRY_ONLY, 'poetry.lock': '' }, {}, { kind: 'lock', tool: 'poetry', file: 'poetry.lock' }],
    ['uv.lock', { 'pyproject.toml': '[project]\nname="x"\n', 'uv.lock': '' }, {}, { kind: 'lock', tool: 'uv', file: 'uv.lock' }],
    ['pylock.toml', { 'pylock.toml': '' }, {}, { kind: 'lock', tool: 'pylock', file: 'pylock.toml' }],
    ['the one named pylock', { 'pylock.prod.toml': '' }, {}, { kind: 'lock', tool: 'pylock', file: 'pylock.prod.toml' }],
    ['pylock.toml before named ones', { 'pylock.toml': '', 'pylock.dev.toml': '' }, {}, { kind: 'lock', file: 'pylock.toml' }],
    ["the service's own pylock first", { 'pylock.toml': '', 'pylock.pywarp.toml': '' }, {}, { kind: 'lock', file: 'pylock.pywarp.toml' }],
    [
      'BP_PYTHON_INSTALLER picks one of several',
      { 'requirements.txt': '', 'uv.lock': '' },
      { BP_PYTHON_INSTALLER: 'uv' },
      {
        kind: 'lock',
        tool: 'uv',
        reason: 'Installing exactly what uv.lock locks (uv), with pip, --no-deps and hash checking. BP_PYTHON_INSTALLER=uv chooses it.',
      },
    ],
    [
      'BP_PYTHON_INSTALLER=pip picks requirements.txt',
      { 'requirements.txt': '', 'poetry.lock': '' },
      { BP_PYTHON_INSTALLER: 'pip' },
      { kind: 'requirements', files: ['requirements.txt'] },
    ],
    [
      'BP_PYTHON_INSTALLER=pip without requirements.txt installs the project',
      { 'pyproject.toml': '[project]\nname="x"\n', 'uv.lock': '' },
      { BP_PYTHON_INSTALLER: 'PIP' },
      { kind: 'project', file: 'pyproject.toml' },
    ],
    [
      'Poetry dependencies with a build backend: pip install .',
      { 'pyproject.toml': `${POETRY_ONLY}\n[build-system]\nrequires = ["poetry-core"]\nbuild-backend = "poetry.core.masonry.api"\n` },
      {},
      { kind: 'project' },
    ],
    ['a Pipfile next to requirements.txt', { Pipfile: '', 'requirements.txt': '' }, {}, { kind: 'requirements' }],
    ['environment.yml next to requirements.txt', { 'environment.yml': '', 'requirements.txt': '' }, {}, { kind: 'requirements' }],
  ])('%s', (_n, files, config, expected) => expect(chooseInstallSource(app(files), config)).toMatchObject(expected));

  test.each<[string, Record<string, string>, Record<string, string>, string]>([
    [
      'two lock files',
      { 'requirements.txt': '', 'poetry.lock': '', 'pylock.toml': '', 'pylock.dev.toml': '' },
      {},
      'More than one file says how to install dependencies',
    ],
    ['a Pipfile without its lock', { Pipfile: '[packages]\nflask = "*"\n' }, {}, 'Pipfile has no Pipfile.lock'],
    [
      'Poetry dependencies without poetry.lock or a build backend',
      { 'pyproject.toml': POETRY_ONLY },
      {},
      'pyproject.toml has Poetry dependencies but no poetry.lock',
    ],
    ['conda', { 'environment.yml': 'dependencies:\n  - flask\n', 'app.py': '' }, {}, 'Conda environments are not supported'],
    [
      'an unknown installer',
      { 'requirements.txt': '' },
      { BP_PYTHON_INSTALLER: 'conda' },
      'BP_PYTHON_INSTALLER names an unknown installer: conda',
    ],
    [
      "an installer whose file isn't there",
      { 'requirements.txt': '' },
      { BP_PYTHON_INSTALLER: 'poetry' },
      'BP_PYTHON_INSTALLER=poetry but the app has no poetry.lock',
    ],
    [
      'BP_PIP_REQUIREMENT with a lock installer',
      { 'x.txt': '', 'uv.lock': '' },
      { BP_PIP_REQUIREMENT: 'x.txt', BP_PYTHON_INSTALLER: 'uv' },
      'BP_PIP_REQUIREMENT and BP_PYTHON_INSTALLER disagree',
    ],
    ['several named pylock files', { 'pylock.a.toml': '', 'pylock.b.toml': '' }, {}, 'More than one PEP 751 lock file'],
  ])('%s is a titled error', (_n, files, config, title) => {
    let thrown: unknown;
    try {
      chooseInstallSource(app(files), config);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(BuildError);
    expect(failureText((thrown as BuildError).failure).title).toBe(title);
  });

  test('the multiple-files error lists them and the fix', () => {
    expect(() => chooseInstallSource(app({ 'requirements.txt': '', 'uv.lock': '' }), {})).toThrow(
      'The app has requirements.txt, uv.lock, and each of them',
    );
  });

  test('the lock files to read', () => {
    expect(lockFilesToRead(new Set(['uv.lock', 'pylock.toml', 'pylock.x.toml', 'app.py', 'pylock.a.b.toml']))).toEqual([
      'uv.lock',
      'pylock.toml',
      'pylock.x.toml',
    ]);
  });
});
