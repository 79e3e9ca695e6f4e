import TOML from '@iarna/toml';
import { formatLaunchToml, launchProblems, parseLaunchToml, PROCESS_TYPE_PATTERN, type Launch } from './launch-toml.js';
import { cnbFormatError } from '../../test/support/build-errors.js';

const web = {
  type: 'web',
  command: ['bash', '-c'],
  args: ['exec gunicorn --bind "0.0.0.0:${PORT:-8000}" app:app'],
  default: true,
  workingDir: '/workspace',
};

describe('formatLaunchToml + parseLaunchToml', () => {
  test.each<[string, Launch]>([
    ['a full web process with a label', { processes: [web], labels: [{ key: 'io.pywarp.server', value: 'gunicorn' }] }],
    ['a one-element command, no args, not default', { processes: [{ type: 'worker', command: ['python'] }] }],
    ['empty args are kept', { processes: [{ type: 'task', command: ['/bin/true'], args: [] }] }],
    [
      'several processes, one default',
      {
        processes: [
          web,
          { type: 'worker', command: ['celery', 'worker'] },
          { type: 'release.v2', command: ['python', 'manage.py', 'migrate'] },
        ],
      },
    ],
    ['quotes, backslashes and unicode survive', { processes: [{ type: 'q', command: ['sh', '-c'], args: ['echo "a\\b" \'c\' ✓'] }] }],
    ['no processes', { processes: [] }],
  ])('round trip: %s', (_what, launch) => {
    expect(parseLaunchToml(formatLaunchToml(launch))).toEqual(launch);
  });

  test('the written file has only the keys the lifecycle knows (assertions 54, 56, 58)', () => {
    const table = TOML.parse(formatLaunchToml({ processes: [web], labels: [{ key: 'k', value: 'v' }] }));
    expect(Object.keys(table).sort()).toEqual(['labels', 'processes']);
    expect(table.processes).toEqual([
      { type: 'web', command: ['bash', '-c'], args: [web.args[0]], default: true, 'working-dir': '/workspace' },
    ]);
    expect(table.labels).toEqual([{ key: 'k', value: 'v' }]);
  });

  test('no [[labels]] table without labels, no direct key ever (assertion 57)', () => {
    const text = formatLaunchToml({ processes: [{ type: 'web', command: ['x'] }], labels: [] });
    expect(text).not.toMatch(/labels|direct/);
  });

  test('a [[slices]] table is accepted on parse (assertion 54)', () => {
    expect(parseLaunchToml('[[processes]]\ntype = "web"\ncommand = ["x"]\n\n[[slices]]\npaths = ["static/**"]\n')).toEqual({
      processes: [{ type: 'web', command: ['x'] }],
    });
  });
});

describe('parseLaunchToml rejects what the lifecycle rejects', () => {
  const proc = (body: string) => `[[processes]]\n${body}\n`;
  test.each([
    ['a string command (assertion 56)', proc('type = "web"\ncommand = "gunicorn app:app"'), /command must be an array of strings/],
    ['a command of non-strings (assertion 56)', proc('type = "web"\ncommand = [1, 2]'), /command must be an array/],
    ['a missing command (assertion 56)', proc('type = "web"'), /command must be an array/],
    ['an empty command (assertion 56)', proc('type = "web"\ncommand = []'), /empty command/],
    ['an empty executable (assertion 56)', proc('type = "web"\ncommand = [""]'), /empty command/],
    ['direct = false (assertion 57)', proc('type = "web"\ncommand = ["x"]\ndirect = false'), /process.direct is not supported/],
    ['direct = true (assertion 57)', proc('type = "web"\ncommand = ["x"]\ndirect = true'), /process.direct is not supported/],
    ['non-string args (assertion 58)', proc('type = "web"\ncommand = ["x"]\nargs = [1, 2]'), /args must be an array of strings/],
    ['a string args (assertion 58)', proc('type = "web"\ncommand = ["x"]\nargs = "a b"'), /args must be an array of strings/],
    ['a non-boolean default', proc('type = "web"\ncommand = ["x"]\ndefault = "true"'), /default must be a boolean/],
    [
      'two defaults (assertion 59)',
      proc('type = "a"\ncommand = ["x"]\ndefault = true') + proc('type = "b"\ncommand = ["x"]\ndefault = true'),
      /multiple default process types aren't allowed/,
    ],
    ['an empty type (assertion 55)', proc('type = ""\ncommand = ["x"]'), /type is required for all processes/],
    ['a missing type (assertion 55)', proc('command = ["x"]'), /type is required for all processes/],
    ['a non-string type (assertion 55)', proc('type = 1\ncommand = ["x"]'), /type is required for all processes/],
    ['a type with "/" (assertion 55)', proc('type = "a/b"\ncommand = ["x"]'), /not made of letters/],
    ['a type with a space (assertion 55)', proc('type = "my web"\ncommand = ["x"]'), /not made of letters/],
    ['a type with ":" (assertion 55)', proc('type = "web:1"\ncommand = ["x"]'), /not made of letters/],
    ['a duplicate type (assertion 55)', proc('type = "web"\ncommand = ["x"]') + proc('type = "web"\ncommand = ["y"]'), /defined twice/],
    ['an empty working-dir (assertion 60)', proc('type = "web"\ncommand = ["x"]\nworking-dir = ""'), /empty working-dir/],
    ['a non-string working-dir (assertion 60)', proc('type = "web"\ncommand = ["x"]\nworking-dir = 1'), /working-dir must be a string/],
    ['an unknown top-level key (assertion 54)', 'bom = []\n' + proc('type = "web"\ncommand = ["x"]'), /unknown keys: bom/],
    ['processes that is not an array', 'processes = "web"\n', /processes must be an array/],
    ['a process that is not a table', 'processes = ["web"]\n', /must be a table/],
    ['a label without value (assertion 65)', '[[labels]]\nkey = "k"\n', /string key and value/],
    ['a label with a non-string value (assertion 65)', '[[labels]]\nkey = "k"\nvalue = 1\n', /string key and value/],
    [
      'two labels with one key (assertion 65)',
      '[[labels]]\nkey = "k"\nvalue = "1"\n[[labels]]\nkey = "k"\nvalue = "2"\n',
      /label key is used twice/,
    ],
  ])('%s', (_what, text, message) => {
    expect(() => parseLaunchToml(text)).toThrow(cnbFormatError('launch.toml'));
    expect(() => parseLaunchToml(text)).toThrow(message);
  });

  test('invalid TOML is an error naming the file', () => {
    expect(() => parseLaunchToml('[[processes]\n')).toThrow('launch.toml is not valid TOML');
    expect(() => parseLaunchToml('x = ', '/layers/bp/launch.toml')).toThrow('/layers/bp/launch.toml is not valid TOML');
  });
});

describe('formatLaunchToml refuses what the lifecycle would reject', () => {
  test.each<[string, Launch, RegExp]>([
    [
      'two defaults (assertion 59)',
      {
        processes: [
          { ...web, type: 'a' },
          { ...web, type: 'b' },
        ],
      },
      /multiple default/,
    ],
    ['an empty type (assertion 55)', { processes: [{ type: '', command: ['x'] }] }, /process type ""/],
    ['a type with "/" (assertion 55)', { processes: [{ type: 'a/b', command: ['x'] }] }, /process type "a\/b"/],
    [
      'a duplicate type (assertion 55)',
      {
        processes: [
          { type: 'w', command: ['x'] },
          { type: 'w', command: ['y'] },
        ],
      },
      /defined twice/,
    ],
    ['an empty command (assertion 56)', { processes: [{ type: 'w', command: [] }] }, /empty command/],
    ['an empty working-dir (assertion 60)', { processes: [{ type: 'w', command: ['x'], workingDir: '' }] }, /empty working-dir/],
    [
      'duplicate label keys (assertion 65)',
      {
        processes: [],
        labels: [
          { key: 'k', value: '1' },
          { key: 'k', value: '2' },
        ],
      },
      /label key/,
    ],
  ])('%s', (_what, launch, message) => {
    expect(() => formatLaunchToml(launch)).toThrow(cnbFormatError('launch.toml'));
    expect(() => formatLaunchToml(launch)).toThrow(message);
  });

  test('launchProblems lists every problem at once', () => {
    expect(
      launchProblems({
        processes: [
          { type: 'a b', command: [], default: true },
          { type: 'a b', command: ['x'], default: true },
        ],
      }),
    ).toHaveLength(5);
  });
});

describe('PROCESS_TYPE_PATTERN (assertion 55, spec D3)', () => {
  test.each(['web', 'worker-1', 'release.v2', 'A_B', '0', '...', '.web'])('%j is valid', (t) =>
    expect(PROCESS_TYPE_PATTERN.test(t)).toBe(true),
  );
  test.each(['', 'a/b', 'a b', 'a>b', 'a<b', 'a:b', 'a|b', 'a&b', 'a\\b', 'wéb', '.', '..'])('%j is invalid', (t) =>
    expect(PROCESS_TYPE_PATTERN.test(t)).toBe(false),
  );
});
