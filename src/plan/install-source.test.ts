import { appFrom } from './app.js';
import { BuildError } from '../output/build-error.js';
import { chooseInstallSource, pipInstallArgs } from './install-source.js';

const app = (files: Record<string, string>) => appFrom('/app', files);

test.each<[string, Record<string, string>, Record<string, string>, object]>([
  ['requirements.txt', { 'requirements.txt': 'flask' }, {}, { kind: 'requirements', files: ['requirements.txt'] }],
  ['plus BP_PIP_REQUIREMENT', { 'requirements.txt': '', 'prod.txt': '' }, { BP_PIP_REQUIREMENT: 'prod.txt' }, { kind: 'requirements', files: ['requirements.txt', 'prod.txt'] }],
  ['BP_PIP_REQUIREMENT alone', { 'a.txt': '', 'b.txt': '' }, { BP_PIP_REQUIREMENT: 'a.txt b.txt' }, { kind: 'requirements', files: ['a.txt', 'b.txt'] }],
  ['requirements.txt wins over pyproject', { 'requirements.txt': '', 'pyproject.toml': '[project]\nname="x"\n' }, {}, { kind: 'requirements' }],
  ['pyproject with [project]', { 'pyproject.toml': '[project]\nname="x"\n' }, {}, { kind: 'project', file: 'pyproject.toml' }],
  ['pyproject without [project] falls to setup.py', { 'pyproject.toml': '[tool.black]\n', 'setup.py': '' }, {}, { kind: 'project', file: 'setup.py' }],
  ['setup.cfg', { 'setup.cfg': '' }, {}, { kind: 'project', file: 'setup.cfg' }],
  ['nothing', { 'app.py': '' }, {}, { kind: 'none' }],
])('%s', (_n, files, config, expected) => expect(chooseInstallSource(app(files), config)).toMatchObject(expected));

test('a misspelt requirements file is a titled error', () => {
  expect(() => chooseInstallSource(app({ 'requirments.txt': 'flask' }), {})).toThrow(new BuildError('Found requirments.txt; did you mean requirements.txt?', ''));
});

test('BP_PIP_REQUIREMENT naming a missing file is an error', () => {
  expect(() => chooseInstallSource(app({ 'requirements.txt': '' }), { BP_PIP_REQUIREMENT: 'nope.txt' })).toThrow('A requirements file named in BP_PIP_REQUIREMENT is missing');
});

test('pip arguments', () => {
  expect(pipInstallArgs({ kind: 'requirements', files: ['requirements.txt', 'x.txt'], reason: '' }, undefined)).toEqual(['--no-input', '--progress-bar', 'off', '-r', 'requirements.txt', '-r', 'x.txt']);
  expect(pipInstallArgs({ kind: 'project', file: 'setup.py', reason: '' }, 'vendor')).toEqual(['--no-input', '--progress-bar', 'off', '--no-index', '--find-links', 'vendor', '.']);
  expect(pipInstallArgs({ kind: 'none', reason: '' }, undefined)).toEqual([]);
});
