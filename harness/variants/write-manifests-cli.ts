// Writes manifests/variants/*.yaml from the variant catalog; with --check, only reports files that are out of date.
// Wired as `npm run manifests` by the CLI; runnable alone: `npx tsx harness/variants/write-manifests-cli.ts [--check]`.
import { relative } from 'node:path';
import { checkManifests, writeManifests } from './render-manifest.ts';

const show = (path: string) => relative(process.cwd(), path);

if (process.argv.includes('--check')) {
  const stale = await checkManifests();
  if (stale.length > 0) {
    console.error(`manifests out of date (expected them to match harness/variants/catalog.ts):`);
    for (const path of stale) console.error(`  ${show(path)}`);
    console.error('run `npm run manifests` to regenerate them');
    process.exitCode = 1;
  } else {
    console.log('manifests are up to date');
  }
} else {
  for (const path of await writeManifests()) console.log(`wrote ${show(path)}`);
}
