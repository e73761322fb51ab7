// Vitest global setup: bundles report.html's browser script (src/reporters/html/client) so tests
// that write a report inline the current client, not a stale or missing dist/report-client.js.
// @ts-expect-error -- a plain .mjs build script without type declarations
import { buildClient } from '../scripts/build-client.mjs';

export default async function setup(): Promise<void> {
  await (buildClient as () => Promise<void>)();
}
