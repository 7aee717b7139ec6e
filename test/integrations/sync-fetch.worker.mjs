// synckit worker: one HTTP request, answered to the blocked caller (UrlFetchApp is synchronous).
import { runAsWorker } from 'synckit';

runAsWorker(async (url, init) => {
  const response = await fetch(url, init);
  const body = Buffer.from(await response.arrayBuffer()).toString('base64');
  return { status: response.status, headers: [...response.headers.entries()], body };
});
