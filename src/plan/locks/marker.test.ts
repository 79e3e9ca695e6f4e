import { ALWAYS, dnfAnd, dnfOf, dnfOr, marker, NEVER, parseMarker, printDnf, printMarker, selectionVariables } from './marker.js';

const id = (s: string) => s.toLowerCase();

test.each([
  ['sys_platform == "win32"', 'sys_platform == "win32"'],
  [
    "python_version >= '3.8' and (os_name == 'nt' or platform_machine != 'x86_64')",
    "python_version >= '3.8' and (os_name == 'nt' or platform_machine != 'x86_64')",
  ],
  ['(a == "1" and b == "2") or c not in "x y"', 'a == "1" and b == "2" or c not in "x y"'],
  ['"linux" in sys_platform', '"linux" in sys_platform'],
])('parse and print %s', (text, printed) => expect(printMarker(parseMarker(text))).toBe(printed));

test.each(['sys_platform ==', 'sys_platform == "a" and', '(os_name == "nt"', 'os_name = "nt"', 'os_name == "nt'])(
  'malformed: %s',
  (text) => {
    expect(() => parseMarker(text)).toThrow();
  },
);

test.each<[string, string[], string[], true | false | string]>([
  ['extra == "socks"', ['socks'], [], true],
  ['extra == "socks"', [], [], false],
  ['extra != "socks"', [], [], true],
  ['python_version < "3.8" and extra == "socks"', [], [], false],
  ['python_version < "3.8" and extra == "Socks"', ['socks'], [], 'python_version < "3.8"'],
  ['python_version < "3.8" or extra == "socks"', ['socks'], [], true],
  ['python_version < "3.8" or extra == "socks"', [], [], 'python_version < "3.8"'],
  ["'dev' in dependency_groups", [], ['dev'], true],
  ["'dev' not in dependency_groups and 'pg' in extras", ['pg'], [], true],
  ["'pg' in extras", [], [], false],
  ['os_name == "nt"', [], [], 'os_name == "nt"'],
])('partial evaluation of %s (extras %j, groups %j)', (text, extras, groups, expected) => {
  const m = marker(text, selectionVariables(new Set(extras), new Set(groups), id));
  expect(typeof m === 'boolean' ? m : printMarker(m)).toBe(expected);
});

test('an absent marker is always true', () => expect(marker(undefined)).toBe(true));

test('DNF: and, or, absorption', () => {
  const a = dnfOf(marker('a == "1"'));
  const b = dnfOf(marker('b == "1" or c == "1"'));
  expect(printDnf(dnfAnd(a, b))).toBe('(b == "1" or c == "1") and a == "1"');
  expect(printDnf(dnfOr(a, dnfAnd(a, b)))).toBe('a == "1"');
  expect(printDnf(dnfOr(a, b))).toBe('a == "1" or (b == "1" or c == "1")');
  expect(printDnf(dnfOr(dnfAnd(a, b), ALWAYS))).toBeUndefined();
  expect(dnfAnd(a, NEVER)).toEqual(NEVER);
  expect(printDnf(dnfOr(dnfAnd(a, dnfOf(marker('d == "1"'))), b))).toBe('(b == "1" or c == "1") or (a == "1" and d == "1")');
});
