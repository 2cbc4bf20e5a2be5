// Writes the development cluster's images as OCI archives into the folder given (pause.tar, workload.tar); up.sh
// imports them into the cluster's containerd. Usage: node --import tsx scripts/devcluster/images.ts DIR
import path from 'node:path';
import { writePauseArchive, writeWorkloadArchive } from '../../harness/platform/devcluster/images.ts';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: node --import tsx scripts/devcluster/images.ts DIR\n');
  process.exit(2);
}
await writePauseArchive(path.join(dir, 'pause.tar'));
await writeWorkloadArchive(path.join(dir, 'workload.tar'));
