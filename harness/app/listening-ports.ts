import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** LISTEN in the `st` column of /proc/net/tcp. */
const TCP_LISTEN = '0A';

/** Ids of the processes in process group `pgid` (field 5 of /proc/<pid>/stat), the leader first. */
export function processGroupMembers(pgid: number): number[] {
  const members: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [pgid];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold blanks and parentheses: the fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) members.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return members.sort((a, b) => (a === pgid ? -1 : b === pgid ? 1 : a - b));
}

/** Socket inodes of TCP listeners in this network namespace, with their port. */
function listenerInodes(): Map<string, number> {
  const byInode = new Map<string, number>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[1];
      if (cols[3] !== TCP_LISTEN || local === undefined) continue;
      byInode.set(cols[9] ?? '', Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16));
    }
  }
  return byInode;
}

/**
 * TCP ports the processes of group `pgid` listen on (Linux: their socket fds matched against /proc/net/tcp{,6});
 * empty where /proc cannot tell.
 */
export function listeningPorts(pgid: number): number[] {
  const listeners = listenerInodes();
  const ports = new Set<number>();
  for (const pid of processGroupMembers(pgid)) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
        const port = inode === undefined ? undefined : listeners.get(inode);
        if (port !== undefined) ports.add(port);
      } catch {
        // closed meanwhile
      }
    }
  }
  return [...ports].sort((a, b) => a - b);
}
