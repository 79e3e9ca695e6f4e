import { exitCodeOf } from './spawn.js';

test.each([
  [0, null, 0],
  [3, null, 3],
  [null, 'SIGTERM', 143],
  [null, 'SIGKILL', 137],
] as const)('exit code %s, signal %s → %s', (code, signal, expected) => {
  expect(exitCodeOf(code, signal)).toBe(expected);
});
