// The fixed facts of the local MariaDB instances: where they live, their ports, the throwaway
// credentials, the timeouts. Everything else in scripts/local-db/ reads them from here.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Bump when provisioning semantics change: every database is reloaded once.
export const SCRIPT_VERSION = '1';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const baseDir = path.join(projectRoot, '.local', 'mariadb');

// Throwaway credentials of a LOCAL-ONLY instance (bound to 127.0.0.1, seed data only).
// They are not secrets and must never be used for anything but these local instances.
export const PUBLIC_USER = 'public_api';
export const ADMIN_USER = 'public_api_admin';
export const LOCAL_PASSWORD = 'local-dev-only';
export const HOST = '127.0.0.1';

export const DEFAULT_PORTS = { dev: 33306, test: 33307, bench: 33308, faults: 33309, load: 33310 };
export const OTHER_PORT = 33311;
export const DEFAULT_DB_NAMES = ['console', 'aggregate'];
export const META_DB = 'adv_local_meta';
export const LOCK_TIMEOUT_MS = 60_000;
export const READY_TIMEOUT_MS = 30_000;
export const STOP_TIMEOUT_MS = 30_000;
export const MAX_SOCKET_PATH = 107; // sun_path is 108 bytes including the trailing NUL
