import TOML from '@iarna/toml';
import { stringifyToml, type TomlTable } from './toml.js';
import { formatBuildpackPlan, parseBuildPlan, parseBuildpackPlan, type BuildPlan, type BuildpackPlan } from './build-plan.js';
import { cnbFormatError } from '../../test/support/build-errors.js';

describe('parseBuildPlan accepts what bin/detect may write (assertions 21–24)', () => {
  test.each<[string, string, BuildPlan]>([
    ['an empty plan', '', { provides: [], requires: [] }],
    [
      'provides and requires',
      '[[provides]]\nname = "cpython"\n[[requires]]\nname = "cpython"\n',
      { provides: [{ name: 'cpython' }], requires: [{ name: 'cpython' }] },
    ],
    [
      'requires with metadata',
      '[[provides]]\nname = "cpython"\n[[requires]]\nname = "cpython"\n[requires.metadata]\nversion = "3.12"\nlaunch = true\n[requires.metadata.nested]\nx = 1\n',
      { provides: [{ name: 'cpython' }], requires: [{ name: 'cpython', metadata: { version: '3.12', launch: true, nested: { x: 1 } } }] },
    ],
    ['requires without provides', '[[requires]]\nname = "node"\n', { provides: [], requires: [{ name: 'node' }] }],
    [
      'the same name twice',
      '[[requires]]\nname = "a"\n[[requires]]\nname = "a"\n',
      { provides: [], requires: [{ name: 'a' }, { name: 'a' }] },
    ],
    [
      'an [[or]] alternative',
      '[[provides]]\nname = "cpython"\n[[requires]]\nname = "cpython"\n[[or]]\n[[or.provides]]\nname = "pip"\n[[or.requires]]\nname = "pip"\n[or.requires.metadata]\nbuild = true\n',
      {
        provides: [{ name: 'cpython' }],
        requires: [{ name: 'cpython' }],
        or: [{ provides: [{ name: 'pip' }], requires: [{ name: 'pip', metadata: { build: true } }] }],
      },
    ],
    ['an empty [[or]] alternative', '[[or]]\n', { provides: [], requires: [], or: [{ provides: [], requires: [] }] }],
  ])('%s', (_what, text, plan) => expect(parseBuildPlan(text)).toEqual(plan));
});

describe('parseBuildPlan rejects what the lifecycle rejects', () => {
  test.each([
    [
      'a top-level version in requires (assertion 22)',
      '[[requires]]\nname = "cpython"\nversion = "3.12"\n',
      /has a "version" key which is not supported/,
    ],
    [
      'a top-level version in or.requires (assertion 22)',
      '[[or]]\n[[or.requires]]\nname = "cpython"\nversion = "3.12"\n',
      /"or.requires" entry "cpython" has a "version" key/,
    ],
    ['an unknown top-level key (assertion 21)', 'version = "1"\n[[requires]]\nname = "a"\n', /unknown keys: version/],
    ['a [[bom]] table (assertion 21)', '[[bom]]\nname = "a"\n', /unknown keys: bom/],
    ['metadata that is a string (assertion 24)', '[[requires]]\nname = "a"\nmetadata = "3.12"\n', /metadata that is not a table/],
    ['metadata that is an array (assertion 24)', '[[requires]]\nname = "a"\nmetadata = ["3.12"]\n', /metadata that is not a table/],
    ['metadata that is a date (assertion 24)', '[[requires]]\nname = "a"\nmetadata = 1979-05-27\n', /metadata that is not a table/],
    ['metadata on a provide', '[[provides]]\nname = "a"\n[provides.metadata]\nx = 1\n', /"provides" entry "a" has metadata/],
    ['an empty requires name (assertion 22)', '[[requires]]\nname = ""\n', /"requires" entry has no name/],
    ['a missing requires name (assertion 22)', '[[requires]]\n[requires.metadata]\nversion = "3"\n', /"requires" entry has no name/],
    ['an empty provides name (assertion 22)', '[[provides]]\nname = ""\n', /"provides" entry has no name/],
    ['a non-string name (assertion 22)', '[[provides]]\nname = 1\n', /"provides" entry has no name/],
    ['an empty or.provides name (assertion 22)', '[[or]]\n[[or.provides]]\nname = ""\n', /"or.provides" entry has no name/],
    ['requires that is not an array', 'requires = "a"\n', /"requires" must be an array of tables/],
    ['a requires entry that is not a table', 'requires = ["a"]\n', /every "requires" entry must be a table/],
    ['or that is not an array of tables', 'or = ["a"]\n', /"or" must be an array of tables/],
  ])('%s', (_what, text, message) => {
    expect(() => parseBuildPlan(text)).toThrow(cnbFormatError('build plan'));
    expect(() => parseBuildPlan(text)).toThrow(message);
  });

  test('invalid TOML is an error (the lifecycle fails detect)', () => {
    expect(() => parseBuildPlan('[[requires]\n')).toThrow('the build plan is not valid TOML');
  });
});

/** A plan written as a buildpack would, checked by the parser the lifecycle stands for. */
function formatBuildPlan(plan: BuildPlan): string {
  const text = stringifyToml(plan as unknown as TomlTable);
  parseBuildPlan(text);
  return text;
}

describe('written plans', () => {
  test.each<[string, BuildPlan]>([
    ['empty', { provides: [], requires: [] }],
    [
      'standalone cpython (assertion 23)',
      {
        provides: [{ name: 'cpython' }],
        requires: [{ name: 'cpython', metadata: { version: '3.12', 'version-source': '.python-version' } }],
      },
    ],
    [
      'with [[or]]',
      {
        provides: [{ name: 'a' }],
        requires: [{ name: 'a' }],
        or: [{ provides: [{ name: 'b' }], requires: [{ name: 'b', metadata: { launch: true } }] }],
      },
    ],
  ])('output parses back to the same plan: %s', (_what, plan) => {
    const text = formatBuildPlan(plan);
    expect(parseBuildPlan(text)).toEqual(plan);
    const table = TOML.parse(text);
    expect(Object.keys(table).every((k) => ['provides', 'requires', 'or'].includes(k))).toBe(true);
  });

  test('the version goes under metadata, never at the top of a require (assertion 22)', () => {
    const table = TOML.parse(
      formatBuildPlan({ provides: [{ name: 'cpython' }], requires: [{ name: 'cpython', metadata: { version: '3.13' } }] }),
    );
    expect(table.requires).toEqual([{ name: 'cpython', metadata: { version: '3.13' } }]);
  });

  test.each<[string, BuildPlan]>([
    ['an empty name', { provides: [{ name: '' }], requires: [] }],
    ['a top-level version', { provides: [], requires: [{ name: 'a', version: '1' } as unknown as { name: string }] }],
  ])('refuses to write %s', (_what, plan) => {
    expect(() => formatBuildPlan(plan)).toThrow(cnbFormatError('build plan'));
  });
});

describe('buildpack plan (what bin/build reads, assertion 29)', () => {
  test.each<[string, string, BuildpackPlan]>([
    ['zero entries: an empty file', '', { entries: [] }],
    ['zero entries: entries = []', 'entries = []\n', { entries: [] }],
    ['one entry without metadata', '[[entries]]\nname = "cpython"\n', { entries: [{ name: 'cpython', metadata: {} }] }],
    [
      'duplicate names, each with its own metadata',
      '[[entries]]\nname = "cpython"\n[entries.metadata]\nversion = "3.12"\n[[entries]]\nname = "cpython"\n[entries.metadata]\nversion = "3.13"\n',
      {
        entries: [
          { name: 'cpython', metadata: { version: '3.12' } },
          { name: 'cpython', metadata: { version: '3.13' } },
        ],
      },
    ],
  ])('parses %s', (_what, text, plan) => expect(parseBuildpackPlan(text)).toEqual(plan));

  test.each<[string, BuildpackPlan]>([
    ['zero entries', { entries: [] }],
    [
      'duplicate names',
      {
        entries: [
          { name: 'cpython', metadata: { version: '3.12' } },
          { name: 'cpython', metadata: {} },
          { name: 'pip', metadata: { launch: false, n: 2 } },
        ],
      },
    ],
  ])('round trip: %s', (_what, plan) => expect(parseBuildpackPlan(formatBuildpackPlan(plan))).toEqual(plan));

  test.each([
    ['an entry without a name', '[[entries]]\n[entries.metadata]\nversion = "3"\n', /no name/],
    ['metadata that is not a table', '[[entries]]\nname = "a"\nmetadata = "x"\n', /not a table/],
  ])('rejects %s', (_what, text, message) => expect(() => parseBuildpackPlan(text)).toThrow(message));
});

test('formatPlainPlan writes what the full parser reads back', async () => {
  const { formatPlainPlan } = await import('./plan-text.js');
  expect(parseBuildPlan(formatPlainPlan(['cpython']))).toEqual({ provides: [{ name: 'cpython' }], requires: [{ name: 'cpython' }] });
  expect(parseBuildPlan(formatPlainPlan(['a', 'b"c']))).toEqual({
    provides: [{ name: 'a' }, { name: 'b"c' }],
    requires: [{ name: 'a' }, { name: 'b"c' }],
  });
});
