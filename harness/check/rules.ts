import type { Rule } from './rule.ts';
import { allReplicasAtOnce } from './rules/all-replicas-at-once.ts';
import { execSleepWithoutSleepBinary } from './rules/exec-sleep-without-sleep-binary.ts';
import { graceTooShort } from './rules/grace-too-short.ts';
import { noPreStopHook } from './rules/no-prestop-hook.ts';
import { noReadinessProbe } from './rules/no-readiness-probe.ts';
import { preStopAtOrOverGrace } from './rules/prestop-at-or-over-grace.ts';
import { shellWithoutExec } from './rules/shell-without-exec.ts';

/** Every rule of `check`, in the order findings are listed; ids are stable (SARIF, JSON, README). */
export const RULES: readonly Rule[] = [
  noPreStopHook,
  execSleepWithoutSleepBinary,
  preStopAtOrOverGrace,
  graceTooShort,
  shellWithoutExec,
  noReadinessProbe,
  allReplicasAtOnce,
];
