/** "3.12.7" → "3.12": what the runtime's paths and the pip cache depend on. */
export function minorOf(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}
