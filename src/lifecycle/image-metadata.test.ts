import { describeProcesses, formatImageMetadata, imageMetadata, parseImageMetadata } from './image-metadata.js';

const launch = {
  processes: [
    { type: 'web', command: ['bash', '-c'], args: ['exec gunicorn'], default: true },
    { type: 'migrate', command: ['python', 'manage.py', 'migrate'], workingDir: 'src' },
  ],
};

test('the image metadata records the buildpack, its processes and the default', () => {
  const metadata = imageMetadata({ id: 'acme/python', version: '1.0.0', api: '0.10' }, launch);
  expect(metadata.defaultProcess).toBe('web');
  expect(metadata.processes[1]).toEqual({
    type: 'migrate',
    command: ['python', 'manage.py', 'migrate'],
    workingDir: 'src',
    buildpackId: 'acme/python',
  });
  expect(parseImageMetadata(formatImageMetadata(metadata))).toEqual(metadata);
});

test('process types are listed with the default marked', () => {
  const metadata = imageMetadata({ id: 'bp', version: '1.0.0', api: '0.10' }, launch);
  expect(describeProcesses(metadata)).toBe('web (default), migrate');
  expect(describeProcesses(imageMetadata({ id: 'bp', version: '1.0.0', api: '0.10' }, { processes: [] }))).toBe('(none)');
});

test('a malformed process is rejected', () => {
  expect(() => parseImageMetadata('[[processes]]\ntype = "web"\ncommand = "gunicorn"\nbuildpack-id = "bp"\n')).toThrow(/malformed process/);
});
