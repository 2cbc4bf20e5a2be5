import { parseConfig } from './config.ts';
import { writeStderrLine } from './log.ts';
import { startService } from './service.ts';

// Entry point of the workload bundle (`node dist/server.js`). Configuration comes from the environment only.
const result = parseConfig(process.env);
if (result.ok) {
  startService(result.config);
} else {
  for (const problem of result.problems) writeStderrLine(`workload: ${problem}`);
  process.exit(2);
}
