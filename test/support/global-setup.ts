import { createRequire } from 'node:module';

// jest loads globalSetup without its moduleNameMapper, so an import of './fixtures.js'
// cannot find fixtures.ts; require() goes through jest's transform hook and can.
const { ensureFixtures } = createRequire(import.meta.url)('./fixtures.ts') as typeof import('./fixtures.js');

/** Builds (or finds) the fixtures once, before any test, so the slow build is outside test timeouts. */
export default async function globalSetup(): Promise<void> {
  const fixtures = await ensureFixtures();
  console.log(`\nfixtures: ${fixtures.source} ${fixtures.dir} (CPython ${fixtures.cpythonVersion})`);
}
