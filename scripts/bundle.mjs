// Bundles the buildpack and the pywarp CLI into one file, and detect into a tiny
// CommonJS one (CommonJS starts measurably faster than an ES module on Node 20), so the
// packaged buildpack needs no node_modules and detect starts almost as fast as node.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/detect-main.ts'],
  outfile: 'dist/detect.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});

const banner = {
  // Bundled CommonJS dependencies call require(); give them one in the ES module.
  js: "#!/usr/bin/env node\nimport { createRequire as __pywarpRequire } from 'node:module';\nconst require = __pywarpRequire(import.meta.url);",
};

// The demo (npm run demo) reuses the test fixtures' code; it is not part of the buildpack.
await build({
  entryPoints: ['scripts/demo.ts'],
  outfile: 'dist/demo.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  banner,
  logLevel: 'warning',
});

await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/pywarp.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minifySyntax: true,
  legalComments: 'none',
  banner,
  logLevel: 'warning',
});
