import { parseOsRelease, targetVars } from './target.js';

test('os-release values are read with or without quotes', () => {
  expect(parseOsRelease('ID=debian\nVERSION_ID="12"\nPRETTY_NAME=\'Debian 12\'\n# comment\n')).toEqual({
    ID: 'debian',
    VERSION_ID: '12',
    PRETTY_NAME: 'Debian 12',
  });
});

test.each([
  ['x64', 'amd64'],
  ['arm64', 'arm64'],
])('node arch %s is %s', (arch, expected) => {
  expect(targetVars(arch, {}).CNB_TARGET_ARCH).toBe(expected);
});

test('distro variables are set only when known', () => {
  expect(targetVars('x64', { ID: 'ubuntu', VERSION_ID: '24.04' })).toEqual({
    CNB_TARGET_OS: 'linux',
    CNB_TARGET_ARCH: 'amd64',
    CNB_TARGET_DISTRO_NAME: 'ubuntu',
    CNB_TARGET_DISTRO_VERSION: '24.04',
  });
  expect(targetVars('x64', {})).toEqual({ CNB_TARGET_OS: 'linux', CNB_TARGET_ARCH: 'amd64' });
});
