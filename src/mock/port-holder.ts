import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * Which process listens on a TCP port, as `node (pid 1234)`, for the message of a port in use: the
 * user's own forgotten `npm start` is the usual holder. Linux only, from /proc, and only a process
 * this user may look into; anything else is undefined, and the message goes without it. The name
 * is the process's short name, never its command line (that may carry a secret).
 */
export function portHolder(port: number): string | undefined {
  const inodes = listeningSockets(port);
  if (inodes.size === 0) return undefined;
  // This process first: a test setup that started the mocks twice holds the port itself.
  const pids = [String(process.pid), ...entries('/proc').filter((name) => /^\d+$/.test(name) && name !== String(process.pid))];
  for (const pid of pids) {
    for (const fd of entries(`/proc/${pid}/fd`)) {
      const target = link(`/proc/${pid}/fd/${fd}`);
      if (target?.startsWith('socket:[') && inodes.has(target.slice(8, -1))) return pid === String(process.pid) ? `this process (pid ${pid})` : `${name(pid)} (pid ${pid})`;
    }
  }
  return undefined;
}

/** The inodes of the sockets listening on `port`, on any address, IPv4 or IPv6. */
function listeningSockets(port: number): Set<string> {
  const suffix = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const row of text.split('\n').slice(1)) {
      // sl, local_address, rem_address, st (0A: listening), …, inode (the tenth field).
      const fields = row.trim().split(/\s+/);
      if (fields[3] === '0A' && fields[1]?.endsWith(suffix) && fields[9]) inodes.add(fields[9]);
    }
  }
  return inodes;
}

const entries = (folder: string) => {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
};

const link = (path: string) => {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
};

const name = (pid: string) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() || 'a process';
  } catch {
    return 'a process';
  }
};
