// An instance's files (data dir, socket, pid file, error log, state, lock) and its port, from its
// name; and the small state file that remembers the port it was started on.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { baseDir, DEFAULT_PORTS, MAX_SOCKET_PATH, OTHER_PORT } from './config.mjs';

function checkName(name) {
  if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(name)) {
    throw new Error(`invalid instance name ${JSON.stringify(name)} (letters, digits, "_", "-")`);
  }
  return name;
}

export function instanceDir(name) {
  return path.join(baseDir, checkName(name));
}

export function defaultPort(name) {
  const env = process.env.LOCAL_DB_PORT_OFFSET;
  const offset = env != null && env !== '' ? Number(env) : 0;
  const port = (DEFAULT_PORTS[checkName(name)] ?? OTHER_PORT) + offset;
  if (!Number.isInteger(port) || port < 1024 || port > 65535) {
    throw new Error(`LOCAL_DB_PORT_OFFSET=${env} gives an invalid port (${port})`);
  }
  return port;
}

export function paths(name) {
  const dir = instanceDir(name);
  let socket = path.join(dir, 'mariadb.sock');
  if (Buffer.byteLength(socket) > MAX_SOCKET_PATH) {
    const hash = createHash('sha256').update(dir).digest('hex').slice(0, 16);
    socket = path.join(os.tmpdir(), `adv-mariadb-${hash}.sock`);
    if (Buffer.byteLength(socket) > MAX_SOCKET_PATH) socket = `/tmp/adv-mariadb-${hash}.sock`;
  }
  return {
    name,
    dir,
    dataDir: path.join(dir, 'data'),
    socket,
    pidFile: path.join(dir, 'mariadb.pid'),
    errLog: path.join(dir, 'mariadb.err'),
    stateFile: path.join(dir, 'instance.json'),
    initMarker: path.join(dir, '.initialised'),
    lockDir: `${dir}.lock`,
  };
}

export function readState(p) {
  try {
    return JSON.parse(fs.readFileSync(p.stateFile, 'utf8'));
  } catch {
    return null;
  }
}

export function writeState(p, state) {
  const tmp = `${p.stateFile}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  fs.renameSync(tmp, p.stateFile);
}
