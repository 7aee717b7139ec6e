// A scratch database of the test MariaDB (created and dropped by the suite through the admin
// binding DB_ADMIN), reached as a Hyperdrive binding with the admin's credentials, for a Worker
// under test given dirtier or larger data than the seed (`{ ...env, DB_CONSOLE: scratchHyperdrive(...) }`).
export function scratchHyperdrive(admin: Hyperdrive, database: string): Hyperdrive {
  return {
    host: admin.host,
    port: admin.port,
    user: admin.user,
    password: admin.password,
    database,
  } as Hyperdrive;
}
