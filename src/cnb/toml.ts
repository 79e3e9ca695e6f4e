import TOML from '@iarna/toml';

export type TomlTable = Record<string, unknown>;

/** Parses TOML text; throws an Error whose message names `what` (a file, usually). */
export function parseToml(text: string, what: string): TomlTable {
  try {
    return TOML.parse(text) as TomlTable;
  } catch (err) {
    throw new Error(`${what} is not valid TOML: ${(err as Error).message.split('\n')[0]}`);
  }
}

export function stringifyToml(table: TomlTable): string {
  return TOML.stringify(table as TOML.JsonMap);
}

export function isTable(value: unknown): value is TomlTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}
