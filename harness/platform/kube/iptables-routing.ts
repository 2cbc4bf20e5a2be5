import { execFile } from 'node:child_process';

/**
 * Where kube-proxy (iptables mode) sends new connections for `clusterIP:port`, read from `iptables-save -t nat`: the
 * DNAT destinations (`ip:port`) of the KUBE-SEP chains its KUBE-SVC chain jumps to. Those chains list only the
 * endpoints it routes to (ready ones, or serving-terminating ones when none is ready). `undefined` when the dump has
 * no rule for the address (not this host's kube-proxy, or a Service without endpoints: kube-proxy then rejects in
 * the filter table instead).
 */
export function serviceDestinations(natDump: string, clusterIP: string, port: number): string[] | undefined {
  const lines = natDump.split('\n');
  const svc = lines
    .filter(
      (l) => l.startsWith('-A KUBE-SERVICES ') && l.includes(` -d ${clusterIP}/32 `) && l.includes(` --dport ${port} `),
    )
    .map((l) => /-j (KUBE-SVC-\S+)/.exec(l)?.[1])
    .find((c) => c !== undefined);
  if (!svc) return undefined;
  const seps = new Set(
    lines.flatMap((l) => (l.startsWith(`-A ${svc} `) ? [/-j (KUBE-SEP-\S+)/.exec(l)?.[1] ?? ''] : [])).filter(Boolean),
  );
  const destinations = lines.flatMap((l) => {
    const chain = /^-A (KUBE-SEP-\S+) /.exec(l)?.[1];
    if (!chain || !seps.has(chain)) return [];
    const to = /--to-destination (\S+)/.exec(l)?.[1];
    return to ? [to] : [];
  });
  return [...new Set(destinations)].sort();
}

type Listener = (dump: string) => void;

/** How often the rules are read while any cell watches them (ms): the resolution of the routing times. */
export const ROUTING_POLL_MS = 50;

/** One `iptables-save -t nat` at a time for the whole process, shared by every cell that watches. */
class NatPoller {
  private readonly listeners = new Set<Listener>();
  private timer: NodeJS.Timeout | undefined;

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    if (!this.timer) this.schedule(0);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.timer) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
    };
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      readNat()
        .then(
          (dump) => {
            for (const l of this.listeners) l(dump);
          },
          () => undefined,
        )
        .finally(() => {
          if (this.listeners.size > 0) this.schedule(ROUTING_POLL_MS);
        });
    }, ms);
    this.timer.unref();
  }
}

const poller = new NatPoller();

/** The nat table as iptables-save prints it (needs root, and this host's kube-proxy to mean anything). */
export function readNat(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('iptables-save', ['-t', 'nat'], { timeout: 5_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
  });
}

/**
 * Whether this machine's iptables hold kube-proxy's rules for the address: then kube-proxy runs here (the development
 * cluster) and the moment it stops routing to a pod can be seen, not only the EndpointSlice it reads. False when
 * iptables-save is missing, not permitted, or has no such rule.
 */
export async function canObserveRouting(clusterIP: string, port: number): Promise<boolean> {
  if (process.platform !== 'linux') return false;
  try {
    return serviceDestinations(await readNat(), clusterIP, port) !== undefined;
  } catch {
    return false;
  }
}

/**
 * Calls `onChange` with the sorted destinations each time they differ from the last reading (the first reading
 * included); a Service whose rule disappeared counts as no destination. Returns the function that stops watching.
 */
export function watchServiceRouting(
  clusterIP: string,
  port: number,
  onChange: (destinations: string[]) => void,
): () => void {
  let last: string | undefined;
  return poller.subscribe((dump) => {
    const destinations = serviceDestinations(dump, clusterIP, port) ?? [];
    const key = destinations.join(',');
    if (key === last) return;
    last = key;
    onChange(destinations);
  });
}
