import { PROCESS_TYPE_PATTERN } from '../cnb/launch-toml.js';

/** `type: command` lines; blank lines and `#` comments are skipped. */
export function parseProcfile(text: string): { types: Map<string, string>; invalid: string[] } {
  const types = new Map<string, string>();
  const invalid: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([^:\s]+)\s*:\s*(.+)$/.exec(line);
    if (match?.[1] && match[2] && PROCESS_TYPE_PATTERN.test(match[1])) types.set(match[1], match[2].trim());
    else invalid.push(line);
  }
  return { types, invalid };
}
