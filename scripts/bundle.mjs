// Bundles the buildpack and the pywarp CLI into one file, so bin/detect starts
// fast and the packaged buildpack needs no node_modules.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/pywarp.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minifySyntax: true,
  legalComments: 'none',
  banner: {
    // Bundled CommonJS dependencies call require(); give them one in the ES module.
    js: "#!/usr/bin/env node\nimport { createRequire as __pywarpRequire } from 'node:module';\nconst require = __pywarpRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
