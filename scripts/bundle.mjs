// Bundles the buildpack and the pywarp CLI into one file, and detect into a tiny
// CommonJS one (CommonJS starts measurably faster than an ES module on Node 20), so the
// packaged buildpack needs no node_modules and detect starts almost as fast as node.
// Writes dist/detect.sh too, detect's sh fast path, from the same tables as detect.cjs.
import { mkdirSync, writeFileSync } from 'node:fs';
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

// Rendered by running its TypeScript source, so the sh and the Node detect share one table.
const renderer = await build({
  entryPoints: ['src/plan/detect-fast-path.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  write: false,
  logLevel: 'warning',
});
const { detectFastPathSh } = await import(`data:text/javascript;base64,${Buffer.from(renderer.outputFiles[0].text).toString('base64')}`);
mkdirSync('dist', { recursive: true });
writeFileSync('dist/detect.sh', detectFastPathSh());

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
