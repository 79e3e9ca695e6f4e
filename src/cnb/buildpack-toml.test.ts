import { lstat, open, readFile, readlink, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDependencies } from '../plan/cpython-table.js';
import { buildpackTomlProblems, escapeBuildpackId, parseBuildpackToml } from './buildpack-toml.js';
import { isTable, parseToml, type TomlTable } from './toml.js';
import { cnbFormatError } from '../../test/support/build-errors.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

const GOOD = `api = "0.10"
[buildpack]
id = "acme/python"
version = "1.2.3"
name = "Acme Python"
clear-env = false
sbom-formats = ["application/vnd.cyclonedx+json", "application/spdx+json", "application/vnd.syft+json"]
[[buildpack.licenses]]
type = "MIT"
[[buildpack.licenses]]
uri = "https://example.com/license"
[[targets]]
os = "linux"
arch = "amd64"
[[targets.distros]]
name = "ubuntu"
version = "24.04"
[[targets]]
os = "linux"
arch = "arm64"
variant = "v8"
[metadata]
anything = { goes = true }
`;

const good = (): TomlTable => parseToml(GOOD, 'good');
function mutate(fn: (t: TomlTable, bp: TomlTable) => void): TomlTable {
  const t = good();
  fn(t, t.buildpack as TomlTable);
  return t;
}

describe('buildpackTomlProblems (spec §2)', () => {
  test('a good descriptor has no problems', () => expect(buildpackTomlProblems(good())).toEqual([]));

  test.each(['0.7', '0.8', '0.9', '0.10', '0.11', '0.12'])('api "%s" is supported (assertion 2)', (api) => {
    expect(
      buildpackTomlProblems(
        mutate((t) => {
          t.api = api;
        }),
      ),
    ).toEqual([]);
  });

  test.each<[string, (t: TomlTable, bp: TomlTable) => void, RegExp]>([
    [
      'api as a number (assertion 2)',
      (t) => {
        t.api = 0.1;
      },
      /^api must be a string/,
    ],
    [
      'api 0.6 (assertion 2)',
      (t) => {
        t.api = '0.6';
      },
      /^api must be a string/,
    ],
    [
      'api 0.13 (assertion 2)',
      (t) => {
        t.api = '0.13';
      },
      /^api must be a string/,
    ],
    [
      'api "1" (assertion 2)',
      (t) => {
        t.api = '1';
      },
      /^api must be a string/,
    ],
    [
      'no api (assertion 2)',
      (t) => {
        delete t.api;
      },
      /^api must be a string/,
    ],
    [
      'id with a space (assertion 3)',
      (_t, bp) => {
        bp.id = 'acme python';
      },
      /buildpack.id is missing or invalid/,
    ],
    [
      'id with "_" (assertion 3)',
      (_t, bp) => {
        bp.id = 'acme_python';
      },
      /buildpack.id is missing or invalid/,
    ],
    [
      'id "app" (assertion 3)',
      (_t, bp) => {
        bp.id = 'app';
      },
      /buildpack.id is missing or invalid/,
    ],
    [
      'id "config" (assertion 3)',
      (_t, bp) => {
        bp.id = 'config';
      },
      /buildpack.id/,
    ],
    [
      'id "generated" (assertion 3)',
      (_t, bp) => {
        bp.id = 'generated';
      },
      /buildpack.id/,
    ],
    [
      'id "sbom" (assertion 3)',
      (_t, bp) => {
        bp.id = 'sbom';
      },
      /buildpack.id/,
    ],
    [
      'id empty (assertion 3)',
      (_t, bp) => {
        bp.id = '';
      },
      /buildpack.id/,
    ],
    [
      'version 1.2 (assertion 4)',
      (_t, bp) => {
        bp.version = '1.2';
      },
      /buildpack.version must be X.Y.Z/,
    ],
    [
      'version 01.2.3 (assertion 4)',
      (_t, bp) => {
        bp.version = '01.2.3';
      },
      /X.Y.Z/,
    ],
    [
      'version 1.2.3-rc1 (assertion 4)',
      (_t, bp) => {
        bp.version = '1.2.3-rc1';
      },
      /X.Y.Z/,
    ],
    [
      'version v1.2.3 (assertion 4)',
      (_t, bp) => {
        bp.version = 'v1.2.3';
      },
      /X.Y.Z/,
    ],
    [
      'no version (assertion 4)',
      (_t, bp) => {
        delete bp.version;
      },
      /X.Y.Z/,
    ],
    [
      'empty name (assertion 5)',
      (_t, bp) => {
        bp.name = '';
      },
      /buildpack.name must be a non-empty string/,
    ],
    [
      'no name (assertion 5)',
      (_t, bp) => {
        delete bp.name;
      },
      /buildpack.name/,
    ],
    [
      'an unknown sbom format (assertion 6)',
      (_t, bp) => {
        bp['sbom-formats'] = ['application/json'];
      },
      /sbom-formats lists an unknown media type/,
    ],
    [
      'sbom-formats as a string (assertion 6)',
      (_t, bp) => {
        bp['sbom-formats'] = 'application/vnd.cyclonedx+json';
      },
      /sbom-formats/,
    ],
    [
      'a license with neither type nor uri (assertion 7)',
      (_t, bp) => {
        bp.licenses = [{ name: 'MIT' }];
      },
      /licenses entry needs type or uri/,
    ],
    [
      'clear-env as a string (assertion 8)',
      (_t, bp) => {
        bp['clear-env'] = 'true';
      },
      /clear-env must be a boolean/,
    ],
    [
      'a target with arch-variant (assertion 10, spec D1)',
      (t) => {
        t.targets = [{ os: 'linux', arch: 'arm64', 'arch-variant': 'v8' }];
      },
      /\[\[targets\]\] has unknown keys: arch-variant/,
    ],
    [
      'a distro without version (assertion 10)',
      (t) => {
        t.targets = [{ os: 'linux', distros: [{ name: 'ubuntu' }] }];
      },
      /targets.distros\]\] needs a string name and version/,
    ],
    [
      'a distro with a numeric version (assertion 10)',
      (t) => {
        t.targets = [{ os: 'linux', distros: [{ name: 'ubuntu', version: 24.04 }] }];
      },
      /targets.distros/,
    ],
    [
      'a target that is not a table (assertion 10)',
      (t) => {
        t.targets = ['linux/amd64'];
      },
      /every \[\[targets\]\] entry must be a table/,
    ],
    [
      '[[stacks]] (assertion 11)',
      (t) => {
        t.stacks = [{ id: 'io.buildpacks.stacks.jammy' }];
      },
      /\[\[stacks\]\] is deprecated/,
    ],
    [
      '[[order]] with [[targets]] (assertion 11)',
      (t) => {
        t.order = [{ group: [{ id: 'a', version: '1.0.0' }] }];
      },
      /\[\[order\]\] cannot go with \[\[targets\]\]/,
    ],
    [
      'exec-env as strings (assertion 12, spec D2)',
      (_t, bp) => {
        bp['exec-env'] = ['production'];
      },
      /exec-env/,
    ],
    [
      '[[buildpack.exec-env]] (assertion 12, spec D2)',
      (_t, bp) => {
        bp['exec-env'] = [{ name: 'production' }];
      },
      /exec-env/,
    ],
  ])('%s', (_what, fn, problem) => {
    const problems = buildpackTomlProblems(mutate(fn));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(problem);
  });

  test('every problem is reported at once', () => {
    expect(buildpackTomlProblems({ api: 10, buildpack: { id: 'app', version: '1', 'clear-env': 1 }, stacks: [] })).toHaveLength(6);
  });

  test('no [buildpack] table: id, version and name are all missing (assertions 3–5)', () => {
    expect(
      buildpackTomlProblems(
        mutate((t) => {
          delete t.buildpack;
        }),
      ),
    ).toEqual(['buildpack.id is missing or invalid', 'buildpack.version must be X.Y.Z', 'buildpack.name must be a non-empty string']);
  });
});

describe('parseBuildpackToml', () => {
  test('reads a good descriptor', () => {
    expect(parseBuildpackToml(GOOD)).toEqual({
      api: '0.10',
      id: 'acme/python',
      version: '1.2.3',
      name: 'Acme Python',
      clearEnv: false,
      sbomFormats: ['application/vnd.cyclonedx+json', 'application/spdx+json', 'application/vnd.syft+json'],
      targets: [
        { os: 'linux', arch: 'amd64', distros: [{ name: 'ubuntu', version: '24.04' }] },
        { os: 'linux', arch: 'arm64', variant: 'v8' },
      ],
      metadata: { anything: { goes: true } },
    });
  });

  test('defaults: no clear-env, sbom formats, targets or metadata', () => {
    const d = parseBuildpackToml('api = "0.10"\n[buildpack]\nid = "a"\nversion = "0.0.1"\nname = "A"\n');
    expect([d.clearEnv, d.sbomFormats, d.targets, d.metadata]).toEqual([false, [], [], {}]);
  });

  test('problems are one error naming the file', () => {
    expect(() => parseBuildpackToml('api = 0.10\n', '/bp/buildpack.toml')).toThrow(
      cnbFormatError('buildpack.toml', /^\/bp\/buildpack.toml: api must be/),
    );
  });

  test('invalid TOML (assertion 1)', () => {
    expect(() => parseBuildpackToml('api = \n')).toThrow('buildpack.toml is not valid TOML');
  });
});

describe('escapeBuildpackId', () => {
  test.each([
    ['pywarp/python', 'pywarp_python'],
    ['a/b/c', 'a_b_c'],
    ['plain', 'plain'],
  ])('%s → %s', (id, escaped) => expect(escapeBuildpackId(id)).toBe(escaped));
});

describe("the repo's buildpack.toml (spec §9 assertions 1–13)", () => {
  let text: string;
  let table: TomlTable;
  let bp: TomlTable;
  beforeAll(async () => {
    text = await readFile(path.join(REPO, 'buildpack.toml'), 'utf8');
    table = parseToml(text, 'buildpack.toml');
    bp = table.buildpack as TomlTable;
  });

  test('1: exists at the root and parses; parseBuildpackToml and buildpackTomlProblems accept it', () => {
    expect(isTable(table.buildpack)).toBe(true);
    expect(buildpackTomlProblems(table)).toEqual([]);
    expect(() => parseBuildpackToml(text)).not.toThrow();
  });

  test('2: api is the string "0.10" (no exec-env in use)', () => {
    expect(table.api).toBe('0.10');
    expect(table.api).toMatch(/^\d+(\.\d+)?$/);
  });

  test('3: id is valid and not reserved', () => {
    expect(bp.id).toMatch(/^[A-Za-z0-9./-]+$/);
    expect(['app', 'config', 'generated', 'sbom']).not.toContain(bp.id);
  });

  test('4: version is X.Y.Z', () => expect(bp.version).toMatch(/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/));

  test('5: name is a non-empty string', () => {
    expect(typeof bp.name).toBe('string');
    expect(bp.name).not.toBe('');
  });

  test('6: sbom-formats are known media types and include CycloneDX', () => {
    const formats = bp['sbom-formats'] as unknown[];
    expect(Array.isArray(formats)).toBe(true);
    for (const f of formats) expect(['application/vnd.cyclonedx+json', 'application/spdx+json', 'application/vnd.syft+json']).toContain(f);
    expect(formats).toContain('application/vnd.cyclonedx+json');
  });

  test('7: every license has type or uri', () => {
    for (const l of (bp.licenses ?? []) as TomlTable[]) expect(l.type !== undefined || l.uri !== undefined).toBe(true);
  });

  test('8: clear-env, if present, is a boolean', () => {
    if ('clear-env' in bp) expect(typeof bp['clear-env']).toBe('boolean');
  });

  test('9: linux targets for amd64 and arm64', () => {
    const targets = table.targets as TomlTable[];
    expect(Array.isArray(targets)).toBe(true);
    for (const t of targets) expect(t.os).toBe('linux');
    expect(targets.map((t) => t.arch).sort()).toEqual(['amd64', 'arm64']);
  });

  test('10: target keys ⊆ {os, arch, variant, distros}, no arch-variant; distros have string name and version', () => {
    for (const t of table.targets as TomlTable[]) {
      for (const key of Object.keys(t)) expect(['os', 'arch', 'variant', 'distros']).toContain(key);
      for (const d of (t.distros ?? []) as TomlTable[]) {
        expect(typeof d.name).toBe('string');
        expect(typeof d.version).toBe('string');
      }
    }
  });

  test('11: no [[stacks]], no [[order]]', () => {
    expect(table).not.toHaveProperty('stacks');
    expect(table).not.toHaveProperty('order');
  });

  test('12: no exec-env under [buildpack]', () => expect(bp).not.toHaveProperty('exec-env'));

  test('13: bin/detect is an executable 0755 script; bin/build is a symlink to it', async () => {
    const detect = path.join(REPO, 'bin', 'detect');
    const build = path.join(REPO, 'bin', 'build');
    expect((await lstat(detect)).isFile()).toBe(true);
    expect((await stat(detect)).mode & 0o777).toBe(0o755);
    expect((await lstat(build)).isSymbolicLink()).toBe(true);
    expect(await readlink(build)).toBe('detect');
    expect((await stat(build)).mode & 0o777).toBe(0o755);
    for (const file of [detect, build]) {
      const handle = await open(file, 'r');
      try {
        const { buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
        expect(buffer.toString('latin1')).toBe('#!');
      } finally {
        await handle.close();
      }
    }
  });

  describe('[[metadata.dependencies]]', () => {
    let raw: TomlTable[];
    beforeAll(() => {
      raw = (table.metadata as TomlTable).dependencies as TomlTable[];
    });

    test('readDependencies accepts every entry', () => {
      const deps = readDependencies(table.metadata as TomlTable);
      expect(deps.length).toBeGreaterThan(0);
      expect(deps).toHaveLength(raw.length);
    });

    test('every entry has id, name, version, arch, uri, sha256, strip-components and source', () => {
      for (const [i, d] of raw.entries()) {
        const where = `metadata.dependencies[${i}]`;
        for (const key of ['id', 'name', 'version', 'uri', 'source']) {
          expect([where, key, typeof d[key]]).toEqual([where, key, 'string']);
          expect([where, key, d[key]]).not.toEqual([where, key, '']);
        }
        expect([where, d.arch]).toEqual([where, expect.stringMatching(/^(amd64|arm64)$/)]);
        expect([where, d.sha256]).toEqual([where, expect.stringMatching(/^[0-9a-f]{64}$/)]);
        expect([where, Number.isInteger(d['strip-components']) && (d['strip-components'] as number) >= 0]).toEqual([where, true]);
        expect([where, d.uri]).toEqual([where, expect.stringMatching(/^https:\/\//)]);
      }
    });

    test('no two entries share id, version and arch; no two share a sha256', () => {
      const deps = readDependencies(table.metadata as TomlTable);
      const keys = deps.map((d) => `${d.id}@${d.version}/${d.arch}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(new Set(deps.map((d) => d.sha256)).size).toBe(deps.length);
    });

    test('every version is available for both target arches', () => {
      const deps = readDependencies(table.metadata as TomlTable);
      for (const v of new Set(deps.map((d) => `${d.id}@${d.version}`))) {
        expect([
          v,
          deps
            .filter((d) => `${d.id}@${d.version}` === v)
            .map((d) => d.arch)
            .sort(),
        ]).toEqual([v, ['amd64', 'arm64']]);
      }
    });
  });
});
