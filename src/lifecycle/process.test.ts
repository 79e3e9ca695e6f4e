import type { ImageMetadata } from './image-metadata.js';
import { processArgv, selectProcess } from './process.js';

test.each([
  ['a longer command keeps command[1..] and uses args', { command: ['bash', '-c'], args: ['run'] }, [], ['bash', '-c', 'run']],
  [
    'a longer command keeps command[1..] and user args replace args',
    { command: ['bash', '-c'], args: ['run'] },
    ['other'],
    ['bash', '-c', 'other'],
  ],
  ['a one-element command uses args', { command: ['gunicorn'], args: ['app:app'] }, [], ['gunicorn', 'app:app']],
  ['a one-element command has its args replaced', { command: ['gunicorn'], args: ['app:app'] }, ['--version'], ['gunicorn', '--version']],
  ['no args at all', { command: ['serve'] }, [], ['serve']],
])('%s', (_, process, userArgs, expected) => {
  expect(processArgv(process, userArgs)).toEqual(expected);
});

const metadata: ImageMetadata = {
  buildpacks: [{ id: 'bp', version: '1.0.0', api: '0.10' }],
  processes: [
    { type: 'web', command: ['gunicorn'], args: ['app:app'], buildpackId: 'bp' },
    { type: 'migrate', command: ['python', 'manage.py', 'migrate'], workingDir: 'src', buildpackId: 'bp' },
  ],
  defaultProcess: 'web',
};

test('the default process is used when none is asked for', () => {
  expect(selectProcess(metadata, undefined, [])).toEqual({ type: 'web', argv: ['gunicorn', 'app:app'] });
});

test('a requested process comes with its working dir', () => {
  expect(selectProcess(metadata, 'migrate', ['--check'])).toEqual({
    type: 'migrate',
    argv: ['python', 'manage.py', 'migrate', '--check'],
    workingDir: 'src',
  });
});

test('an unknown process type is an error naming the known ones', () => {
  expect(() => selectProcess(metadata, 'worker', [])).toThrow(/worker.*web, migrate/s);
});

test('without a default process the user args are the command, and are required', () => {
  const noDefault = { ...metadata, defaultProcess: undefined };
  expect(selectProcess(noDefault, undefined, ['python', '-V'])).toEqual({ argv: ['python', '-V'] });
  expect(() => selectProcess(noDefault, undefined, [])).toThrow(/command is required/);
});
