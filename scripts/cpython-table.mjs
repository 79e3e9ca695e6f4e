// Prints buildpack.toml's [[metadata.dependencies]] CPython entries from a
// python-build-standalone table (JSON: [{version, arch, uri, sha256, source_release}]).
//   node scripts/cpython-table.mjs ../shared/data/cpython-dependencies.json
import { readFileSync } from 'node:fs';

const rows = JSON.parse(readFileSync(process.argv[2], 'utf8'));
for (const r of rows) {
  console.log(`[[metadata.dependencies]]
id = "cpython"
name = "CPython"
version = "${r.version}"
arch = "${r.arch}"
uri = "${r.uri}"
sha256 = "${r.sha256}"
strip-components = 1
source = "python-build-standalone ${r.source_release}"
`);
}
