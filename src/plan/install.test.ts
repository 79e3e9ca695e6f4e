import { appFrom } from './app.js';
import { installReads, planInstall } from './install.js';

test('includes are followed (relative to their file), once, into the reuse key', () => {
  const app = appFrom('/app', { 'requirements.txt': '-r reqs/base.txt\nflask\n', 'reqs/base.txt': '-c ../constraints.txt\n-r base.txt\n', 'constraints.txt': 'flask<3\n' });
  const plan = planInstall(app, {});
  expect([...plan.keyFiles.keys()]).toEqual(['requirements.txt', 'reqs/base.txt', 'constraints.txt']);
  expect(plan.installArgs).toEqual(['--no-input', '--progress-bar', 'off', '-r', 'requirements.txt']);
});

test('what to read next: includes not read yet, editable projects\' packaging files, wheelhouses', () => {
  const app = appFrom('/app', { 'requirements.txt': '-r more.txt\n-e ./lib\n' });
  expect(installReads(app, {})).toEqual({ files: ['more.txt', 'lib/pyproject.toml', 'lib/setup.py', 'lib/setup.cfg'], dirs: ['vendor', '.warpdrive/wheelhouse'] });
});

test('a lock file is read with the app', () => {
  const app = appFrom('/app', { 'pyproject.toml': '[project]\nname = "x"\n', 'pylock.toml': '' });
  expect(installReads(app, {}).files).toEqual(['pylock.toml']);
});

test('an editable install puts its packaging files in the key; a local path makes reuse unsafe', () => {
  const app = appFrom('/app', { 'requirements.txt': '-e ./lib\n./other\n', 'lib/setup.py': 'setup()' });
  const plan = planInstall(app, {});
  expect([...plan.keyFiles.keys()]).toEqual(['requirements.txt', 'lib/setup.py']);
  expect([plan.editablePaths, plan.unsafeReuse]).toEqual([['./lib'], './other']);
});

test('a project install is never reused; a wheelhouse makes it offline and its listing is in the key', () => {
  const app = appFrom('/app', { 'pyproject.toml': '[project]\nname = "x"\n' }, { dirs: ['vendor', '.venv'], listings: { vendor: ['a-1-py3-none-any.whl'] } });
  const plan = planInstall(app, {});
  expect(plan).toMatchObject({
    installArgs: ['--no-input', '--progress-bar', 'off', '--no-index', '--find-links', 'vendor', '.'],
    wheelhouse: 'vendor', unsafeReuse: "the app itself ('pip install .' from pyproject.toml)", venvDirsInApp: ['.venv'],
  });
  expect(plan.keyFiles.get('vendor/ (listing)')).toBe('a-1-py3-none-any.whl');
});

test('a directory of other files is no wheelhouse', () => {
  expect(planInstall(appFrom('/app', { 'requirements.txt': '' }, { listings: { vendor: ['README'] } }), {}).wheelhouse).toBeUndefined();
});
