import { sbomProblems } from './build-output.js';

const CDX = 'application/vnd.cyclonedx+json';

test('declared formats pass and other files are not SBOMs', () => {
  expect(sbomProblems(['venv.sbom.cdx.json', 'launch.sbom.cdx.json', 'build.sbom.cdx.json', 'venv.toml', 'notes.txt'], [CDX])).toEqual([]);
});

test('an unsupported extension and an undeclared media type are both reported', () => {
  const problems = sbomProblems(['a.sbom.xml', 'b.sbom.spdx.json'], [CDX]);
  expect(problems).toHaveLength(2);
  expect(problems[0]).toMatch(/a\.sbom\.xml: unsupported SBOM format "xml"/);
  expect(problems[1]).toMatch(/b\.sbom\.spdx\.json: undeclared SBOM media type "application\/spdx\+json"/);
});
