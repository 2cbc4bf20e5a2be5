import { describe, expect, it } from 'vitest';
import type { PodObject } from './objects.ts';
import { DELETION_COST_ANNOTATION, rankForDeletion } from './replicaset-controller.ts';

const NOW = 100_000;

function pod(
  name: string,
  opts: { uid?: string; created: number; readySince?: number; phase?: 'Pending' | 'Running'; cost?: string },
): PodObject {
  const ready = opts.readySince !== undefined;
  return {
    kind: 'Pod',
    metadata: {
      name,
      uid: opts.uid ?? name,
      labels: {},
      annotations: opts.cost === undefined ? {} : { [DELETION_COST_ANNOTATION]: opts.cost },
      creationMs: opts.created,
      resourceVersion: 1,
    },
    spec: { containers: [] },
    status: {
      phase: opts.phase ?? 'Running',
      ready,
      ...(ready ? { readySinceMs: opts.readySince } : {}),
      container: opts.phase === 'Pending' ? 'waiting' : 'running',
    },
  };
}

const names = (pods: PodObject[]) => pods.map((p) => p.metadata.name);

describe('rankForDeletion (ActivePodsWithRanks.Less, LogarithmicScaleDown)', () => {
  it('puts Pending before running-but-not-ready, and orders not-ready pods by creation, not by readiness history', () => {
    const pending = pod('pending', { created: 10_000, phase: 'Pending' });
    // Went not ready recently (readySinceMs is that transition); must not outrank the Pending pod.
    const wasReady = pod('was-ready', { created: 90_000 });
    wasReady.status.readySinceMs = 99_000;
    const older = pod('older-not-ready', { created: 20_000 });
    const ready = pod('ready', { created: 99_000, readySince: 99_500 });
    expect(names(rankForDeletion([ready, older, wasReady, pending], NOW))).toEqual([
      'pending',
      'was-ready',
      'older-not-ready',
      'ready',
    ]);
  });

  it('puts the more recently ready first only across power-of-two age buckets; within one, the lower UID', () => {
    // Ready 1 s ago (bucket 29) vs 9 s ago (bucket 33): the recent one goes first whatever the UIDs.
    const recent = pod('recent', { uid: 'z', created: 0, readySince: NOW - 1_000 });
    const old = pod('old', { uid: 'a', created: 0, readySince: NOW - 9_000 });
    expect(names(rankForDeletion([old, recent], NOW))).toEqual(['recent', 'old']);
    // 9.0 s, 9.2 s and 9.4 s ago share bucket 33 (8.6–17.2 s): the UID decides, not the exact ready time.
    const a = pod('a', { uid: 'c', created: 0, readySince: NOW - 9_000 });
    const b = pod('b', { uid: 'a', created: 0, readySince: NOW - 9_200 });
    const c = pod('c', { uid: 'b', created: 0, readySince: NOW - 9_400 });
    expect(names(rankForDeletion([a, b, c], NOW))).toEqual(['b', 'c', 'a']);
  });

  it('compares ages in spec time: with timeScale 0.1, 0.50 s and 0.56 s of cell time are 5.0 s and 5.6 s', () => {
    const recent = pod('recent', { uid: 'z', created: 0, readySince: NOW - 500 });
    const older = pod('older', { uid: 'a', created: 0, readySince: NOW - 560 });
    // Unscaled, 0.50 s and 0.56 s fall on either side of 2^29 ns: the more recently ready goes first.
    expect(names(rankForDeletion([older, recent], NOW))).toEqual(['recent', 'older']);
    // As 5.0 s and 5.6 s they share bucket 32, so the lower UID goes first.
    expect(names(rankForDeletion([recent, older], NOW, 0.1))).toEqual(['older', 'recent']);
  });

  it('deletes a lower pod-deletion-cost first, before any time rule; invalid costs count as 0', () => {
    const cheap = pod('cheap', { created: 0, readySince: 1_000, cost: '-5' });
    const fresh = pod('fresh', { created: 99_000, readySince: 99_900 });
    const invalid = pod('invalid', { created: 0, readySince: 1_000, cost: '+7' });
    const dear = pod('dear', { created: 99_000, readySince: 99_900, cost: '100' });
    expect(names(rankForDeletion([dear, fresh, invalid, cheap], NOW))).toEqual(['cheap', 'fresh', 'invalid', 'dear']);
  });
});
