// The small parsers the lock readers share: Python's json.dumps, PEP 508 requirements, Poetry constraints.
import { parseRequirement } from './pep508.js';
import { poetryToPep440, pythonConstraintMarker } from './poetry-constraint.js';
import { pythonJsonDumps } from './python-json.js';

test("json.dumps(sort_keys=True) as Python prints it (output of Python 3.11's json module)", () => {
  const value = { b: ['é', 'x"y', 1, true, null], a: { z: 1.5, ü: '\u{1F600}' } };
  expect(pythonJsonDumps(value)).toBe('{"a": {"z": 1.5, "\\u00fc": "\\ud83d\\ude00"}, "b": ["\\u00e9", "x\\"y", 1, true, null]}');
  expect(pythonJsonDumps({ b: ['é'], a: 2 }, [',', ':'])).toBe('{"a":2,"b":["\\u00e9"]}');
  expect(pythonJsonDumps({ n: 'a\nb\t\\' })).toBe('{"n": "a\\nb\\t\\\\"}');
});

test.each<[string, object | undefined]>([
  ['flask', { name: 'flask', extras: [], specifier: '' }],
  [
    'Flask_Login[Async, dotenv] >= 2.0, <3 ; python_version < "3.12"',
    { name: 'flask-login', extras: ['async', 'dotenv'], specifier: '<3,>=2.0', marker: 'python_version < "3.12"' },
  ],
  ['waitress (>=2.1) ; sys_platform != "win32"', { name: 'waitress', extras: [], specifier: '>=2.1', marker: 'sys_platform != "win32"' }],
  ['lib @ https://example.com/lib-1.0.tar.gz', { name: 'lib', extras: [], specifier: '', url: 'https://example.com/lib-1.0.tar.gz' }],
  ['Django >= 4.00, != 4.1-RC1, == 4.*', { name: 'django', extras: [], specifier: '!=4.1rc1,==4.*,>=4.0' }],
  ['not a requirement!', undefined],
])('PEP 508: %s', (text, expected) => expect(parseRequirement(text)).toEqual(expected));

test.each<[string, string[]]>([
  ['*', ['']],
  ['^1.2.3', ['>=1.2.3,<2']],
  ['^0.2.3', ['>=0.2.3,<0.3']],
  ['^0.0.3', ['>=0.0.3,<0.0.4']],
  ['^3.11', ['>=3.11,<4']],
  ['~1.2.3', ['>=1.2.3,<1.3']],
  ['~1', ['>=1,<2']],
  ['~=1.2', ['~=1.2']],
  ['2.2.2', ['==2.2.2']],
  ['1.2.*', ['==1.2.*']],
  ['>= 1.2, < 2', ['>=1.2,<2']],
  ['>=1.2 <2', ['>=1.2,<2']],
  ['>=1.5.6,<1.5.7 || >1.5.7', ['>=1.5.6,<1.5.7', '>1.5.7']],
])('Poetry constraint %s', (constraint, expected) => expect(poetryToPep440(constraint)).toEqual(expected));

test('Poetry python constraints as markers', () => {
  expect(pythonConstraintMarker('*')).toBeUndefined();
  expect(pythonConstraintMarker('<3.12')).toBe('python_full_version < "3.12"');
  expect(pythonConstraintMarker('^3.8')).toBe('python_full_version >= "3.8" and python_full_version < "4"');
  expect(pythonConstraintMarker('~2.7 || >=3.8')).toBe(
    '(python_full_version >= "2.7" and python_full_version < "2.8") or python_full_version >= "3.8"',
  );
});
