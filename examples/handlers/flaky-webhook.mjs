// In-process handler for the `flaky-webhook` hook (hooks.toml, job mode).
//
// It plays a webhook receiver that is down for a while: the first
// `fail_first` attempts of each event fail (payload field, default 1), the
// next one succeeds. The job retries with back-off until it succeeds or
// runs out of its retry_count attempts, and then lands in the DLQ.
//
//   { "id": 1 }                   fails once, then succeeds
//   { "id": 2, "fail_first": 0 }  succeeds at once
//   { "id": 3, "fail_first": 9 }  never succeeds: ends in the DLQ

import { mkdir, readFile, writeFile } from 'node:fs/promises';

// Attempts are counted in files, not in memory: a retry may run in another
// worker, or on another node after a failover, and must still see the
// attempts made before it. work/ is the workspace's scratch folder.
const ATTEMPTS_DIR = new URL('../work/attempts/', import.meta.url);

// log index plus entry time names one event of one cluster; the index
// alone would repeat on the fresh cluster of every scenario run
function eventKey(event) {
  return `${event.log_index}-${event.timestamp.time}`;
}

async function countAttempt(key) {
  await mkdir(ATTEMPTS_DIR, { recursive: true });
  // plain text, so no formatter or linter of the repository reads it
  const file = new URL(`${key}.count`, ATTEMPTS_DIR);
  const before = await readFile(file, 'utf8').then(Number, () => 0);
  const attempts = before + 1;
  await writeFile(file, String(attempts));
  return attempts;
}

export default async function flakyWebhook(event) {
  const failFirst = event.payload?.fail_first ?? 1;
  const attempt = await countAttempt(eventKey(event));
  if (attempt <= failFirst) {
    // a thrown error fails this attempt; job mode schedules the next one
    throw new Error(
      `receiver unavailable (attempt ${attempt}, fails the first ${failFirst})`,
    );
  }
  return { delivered: event.payload?.id ?? null, attempt };
}
