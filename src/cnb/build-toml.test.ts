import TOML from '@iarna/toml';
import type { BuildpackPlan } from './build-plan.js';
import { BuildTomlError, parseBuildToml, type BuildToml } from './build-toml.js';
import { stringifyToml } from './toml.js';

/** build.toml as a buildpack writes it: names only. */
const formatBuildToml = (build: BuildToml) => stringifyToml({ unmet: build.unmet.map(({ name }) => ({ name })) });

const plan: BuildpackPlan = {
  entries: [
    { name: 'cpython', metadata: { version: '3.12' } },
    { name: 'cpython', metadata: {} },
    { name: 'pip', metadata: {} },
  ],
};

describe('build.toml unmet entries (spec §4.1, assertion 30)', () => {
  test.each([
    ['no unmet', { unmet: [] }],
    ['one unmet name from the plan', { unmet: [{ name: 'pip' }] }],
    ['a name that appears twice in the plan', { unmet: [{ name: 'cpython' }] }],
    ['every name', { unmet: [{ name: 'cpython' }, { name: 'pip' }] }],
  ])('round trip: %s', (_what, build) => expect(parseBuildToml(formatBuildToml(build), plan)).toEqual(build));

  test('the written file has only [[unmet]] with names (assertions 30, 32)', () => {
    const table = TOML.parse(formatBuildToml({ unmet: [{ name: 'pip', extra: 1 } as { name: string }] }));
    expect(table).toEqual({ unmet: [{ name: 'pip' }] });
  });

  test('an empty file has no unmet entries', () => expect(parseBuildToml('', plan)).toEqual({ unmet: [] }));

  test.each([
    ['a name not in the plan', '[[unmet]]\nname = "node"\n', /unmet.name "node" must match a requested dependency/],
    ['a name of another case', '[[unmet]]\nname = "CPython"\n', /must match a requested dependency/],
    ['an empty name', '[[unmet]]\nname = ""\n', /unmet.name is required/],
    ['a missing name', '[[unmet]]\n', /unmet.name is required/],
    ['a non-string name', '[[unmet]]\nname = 1\n', /unmet.name is required/],
    ['a deprecated [[bom]] (assertion 32)', '[[bom]]\nname = "x"\n', /\[\[bom\]\] is deprecated/],
  ])('rejects %s', (_what, text, message) => {
    expect(() => parseBuildToml(text, plan)).toThrow(BuildTomlError);
    expect(() => parseBuildToml(text, plan)).toThrow(message);
  });

  test('with an empty plan every unmet name is refused (assertion 29)', () => {
    expect(() => parseBuildToml('[[unmet]]\nname = "cpython"\n', { entries: [] })).toThrow(BuildTomlError);
  });
});
