/**
 * Reads `read()` until `until` accepts its value or `tries` reads have been made, `everyMs` apart,
 * and returns the last value: for state another process changes in its own time (MariaDB's
 * processlist), asserted on by the caller.
 */
export async function pollUntil<T>(
  read: () => Promise<T>,
  until: (value: T) => boolean,
  { tries = 50, everyMs = 100 } = {},
): Promise<T> {
  let value = await read();
  for (let i = 1; i < tries && !until(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, everyMs));
    value = await read();
  }
  return value;
}
