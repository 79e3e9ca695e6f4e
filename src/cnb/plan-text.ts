/**
 * A build plan that provides and requires plain names, as TOML text. Detect runs on
 * every build and must start fast, so this avoids loading a TOML library for a fixed shape;
 * build-plan.test.ts checks the text against the full parser.
 */
export function formatPlainPlan(names: readonly string[]): string {
  const entries = (kind: string) => names.map((n) => `[[${kind}]]\nname = ${JSON.stringify(n)}\n`).join('\n');
  return `${entries('provides')}\n${entries('requires')}`;
}
