import { appFrom } from './app.js';
import { installReads, MAX_REQUIREMENT_LINES, planInstall } from './install.js';

const TARGET = { python: '3.11.2', arch: 'amd64' };

test('includes are followed (relative to their file), once, into the reuse key', () => {
  const app = appFrom('/app', {
    'requirements.txt': '-r reqs/base.txt\nflask\n',
    'reqs/base.txt': '-c ../constraints.txt\n-r base.txt\n',
    'constraints.txt': 'flask<3\n',
  });
  const plan = planInstall(app, {}, TARGET);
  expect([...plan.keyFiles.keys()]).toEqual(['requirements.txt', 'reqs/base.txt', 'constraints.txt']);
  expect(plan.installArgs).toEqual(['--no-input', '--progress-bar', 'off', '-r', 'requirements.txt']);
});

test("what to read next: includes not read yet, editable projects' packaging files, wheelhouses", () => {
  const app = appFrom('/app', { 'requirements.txt': '-r more.txt\n-e ./lib\n' });
  expect(installReads(app, {})).toEqual({
    files: ['more.txt', 'lib/pyproject.toml', 'lib/setup.py', 'lib/setup.cfg'],
    dirs: ['vendor', '.warpdrive/wheelhouse'],
  });
});

test('a lock file is read with the app', () => {
  const app = appFrom('/app', { 'pyproject.toml': '[project]\nname = "x"\n', 'pylock.toml': '' });
  expect(installReads(app, {}).files).toEqual(['pylock.toml']);
});

test('an editable install puts its packaging files in the key; a local path makes reuse unsafe', () => {
  const app = appFrom('/app', { 'requirements.txt': '-e ./lib\n./other\n', 'lib/setup.py': 'setup()' });
  const plan = planInstall(app, {}, TARGET);
  expect([...plan.keyFiles.keys()]).toEqual(['requirements.txt', 'lib/setup.py']);
  expect([plan.editablePaths, plan.unsafeReuse]).toEqual([['./lib'], './other']);
});

test('a project install is never reused; a wheelhouse makes it offline and its listing is in the key', () => {
  const app = appFrom(
    '/app',
    { 'pyproject.toml': '[project]\nname = "x"\n' },
    { dirs: ['vendor', '.venv'], listings: { vendor: ['a-1-py3-none-any.whl'] } },
  );
  const plan = planInstall(app, {}, TARGET);
  expect(plan).toMatchObject({
    installArgs: ['--no-input', '--progress-bar', 'off', '--no-index', '--find-links', 'vendor', '.'],
    wheelhouse: 'vendor',
    unsafeReuse: "the app itself ('pip install .' from pyproject.toml)",
    venvDirsInApp: ['.venv'],
  });
  expect(plan.keyFiles.get('vendor/ (listing)')).toBe('a-1-py3-none-any.whl');
});

test('a directory of other files is no wheelhouse', () => {
  expect(
    planInstall(appFrom('/app', { 'requirements.txt': '' }, { listings: { vendor: ['README'] } }), {}, TARGET).wheelhouse,
  ).toBeUndefined();
});

test('a lock: its files are the key, pip gets its hashed requirements, the project after them, and reuse is unsafe', () => {
  const hash = 'a'.repeat(64);
  const lock = `lock-version = "1.0"\nrequires-python = ">=3.12"\ncreated-by = "uv"\n\n[[packages]]\nname = "flask"\nversion = "2.2.2"\nwheels = [{ name = "Flask-2.2.2-py3-none-any.whl", hashes = { sha256 = "${hash}" } }]\n\n[[packages]]\nname = "app"\ndirectory = { path = "." }\n`;
  const app = appFrom(
    '/app',
    { 'pylock.toml': lock, 'pyproject.toml': '[project]\nname = "app"\n' },
    { listings: { vendor: ['Flask-2.2.2-py3-none-any.whl'] } },
  );
  const plan = planInstall(app, {}, { python: '3.12.7', arch: 'amd64' });
  expect([...plan.keyFiles.keys()]).toEqual(['pylock.toml', 'vendor/ (listing)']);
  expect(plan.lock?.requirements).toContain(`flask==2.2.2 \\\n    --hash=sha256:${hash}`);
  expect(plan.lock?.localProjectArgs).toEqual([
    ['--no-input', '--progress-bar', 'off', '--no-deps', '--no-index', '--find-links', 'vendor', '.'],
  ]);
  expect(plan.installArgs).toEqual([
    '--no-input',
    '--progress-bar',
    'off',
    '--no-deps',
    '--no-index',
    '--find-links',
    'vendor',
    '--require-hashes',
    '-r',
    'locked-requirements.txt',
    '--no-input',
    '--progress-bar',
    'off',
    '--no-deps',
    '--no-index',
    '--find-links',
    'vendor',
    '.',
  ]);
  expect(plan.unsafeReuse).toBe("the app itself ('pip install --no-deps' from pylock.toml)");
  // the lock is read for the target's Python
  expect(() => planInstall(app, {}, TARGET)).toThrow('pylock.toml does not allow Python 3.11.2');
});

test('more requirement lines than MAX_REQUIREMENT_LINES, includes counted: a titled error; the limit itself installs', () => {
  const lines = (n: number) => 'flask\n'.repeat(n);
  const over = appFrom('/app', { 'requirements.txt': `-r more.txt\n${lines(MAX_REQUIREMENT_LINES - 1)}`, 'more.txt': lines(1) });
  expect(() => planInstall(over, {}, TARGET)).toThrow(
    expect.objectContaining({
      failure: { kind: 'requirements-too-long', files: ['requirements.txt', 'more.txt'], lines: 20_001, limit: 20_000 },
    }),
  );
  const limit = appFrom('/app', { 'requirements.txt': `# comment\n${lines(MAX_REQUIREMENT_LINES)}\n\n` });
  expect(planInstall(limit, {}, TARGET).keyFiles.size).toBe(1);
});
