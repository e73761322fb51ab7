// Bundles report.html's browser script (src/reporters/html/client/*.ts) into dist/report-client.js,
// which src/reporters/html/page.ts inlines into every report. Run by `npm run build`.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

export async function buildClient() {
  await mkdir(`${root}/dist`, { recursive: true });
  await build({
    entryPoints: [`${root}/src/reporters/html/client/main.ts`],
    outfile: `${root}/dist/report-client.js`,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'warning',
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildClient();
