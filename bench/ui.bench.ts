// The timeline under load: 100,000 events in the page of a real studio
// (browser mode, a real 3-node cluster), then measured in chromium:
// renderer heap (CDP Performance.getMetrics, after a GC) and the frame
// time while the list scrolls (requestAnimationFrame deltas). Prints
// figures and writes bench/results/ui.json; asserts nothing. Needs
// `npx electron-vite build` first.
//
// UI_BENCH_SOURCE picks where the events come from:
// - `inject` (default): synthetic `events:batch` pushes of 500 events,
//   sent to the page on its own WebSocket (playwright routeWebSocket)
//   next to the service's real traffic, so they take the renderer's
//   real path (carrier, push wiring, store) at full speed;
// - `service`: published through the service's HTTP API, one Raft
//   proposal each, and received through the ordinary pushes and backfill.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { WebSocketRoute } from 'playwright-core';

import { openBrowser } from '../test/support/browser';
import {
  startStudio,
  type StudioProcess,
} from '../test/e2e/support/studio-process';
import { waitFor } from '../test/support/wait-for';

const EVENTS = Number(process.env.UI_BENCH_EVENTS ?? 100_000);
const SOURCE = process.env.UI_BENCH_SOURCE === 'service' ? 'service' : 'inject';
const BATCH = 500;
// injected ids start far above anything the real cluster writes here
const FIRST_INDEX = 10_000_000;
const CONCURRENCY = 256;
const SCROLL_FRAMES = 600;

function percentile(sorted: number[], p: number): number {
  return (
    sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0
  );
}

async function main(): Promise<void> {
  const studio = await startStudio();
  const browser = await openBrowser();
  const { page } = browser;
  let socket: WebSocketRoute | undefined;
  await page.routeWebSocket(/\/ws$/, (ws) => {
    ws.connectToServer();
    socket = ws;
  });
  try {
    await page.goto(studio.url);
    await page.getByTestId('node-ring').waitFor({ timeout: 30_000 });
    await page.keyboard.press('Alt+3');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');

    const started = Date.now();
    if (SOURCE === 'service') {
      await publishThroughService(studio);
    } else {
      await injectPushes(() => socket);
    }
    const publishMs = Date.now() - started;

    const rowsOf = async () =>
      Number(
        ((await page.getByTestId('timeline-count').textContent()) ?? '0').split(
          ' ',
        )[0],
      );
    await waitFor(async () => (await rowsOf()) >= EVENTS, {
      timeoutMs: 180_000,
      intervalMs: 250,
      what: `${EVENTS} rows in the timeline`,
    });
    const loadedMs = Date.now() - started;
    const rows = await rowsOf();

    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const metric = (name: string) =>
      metrics.find((m) => m.name === name)?.value ?? 0;
    const heapUsedMb = metric('JSHeapUsedSize') / 2 ** 20;
    const heapTotalMb = metric('JSHeapTotalSize') / 2 ** 20;
    const domNodes = metric('Nodes');

    // frames with nothing to do first (the headless frame clock's own
    // jitter), then scrolling the list from the top, a step per frame
    await page.getByTestId('follow').click();
    const frameDeltas = (frames: number, step: number) =>
      page.evaluate(
        async ([frames, step]) => {
          const list = document.querySelector<HTMLElement>(
            '[data-testid="timeline-list"]',
          )!;
          list.scrollTop = 0;
          const out: number[] = [];
          let last = performance.now();
          for (let i = 0; i < frames; i++) {
            await new Promise<void>((resolve) =>
              requestAnimationFrame(() => {
                const now = performance.now();
                out.push(now - last);
                last = now;
                list.scrollTop += step;
                resolve();
              }),
            );
          }
          return out;
        },
        [frames, step] as const,
      );
    const idle = (await frameDeltas(SCROLL_FRAMES, 0))
      .slice(1)
      .sort((a, b) => a - b);
    const steady = (await frameDeltas(SCROLL_FRAMES, 4 * 26))
      .slice(1)
      .sort((a, b) => a - b);
    const deltas = await frameDeltas(SCROLL_FRAMES, 24 * 26);
    const sorted = deltas.slice(1).sort((a, b) => a - b);
    const frameP50 = percentile(sorted, 0.5);
    const frameP95 = percentile(sorted, 0.95);
    const frameMax = sorted[sorted.length - 1] ?? 0;

    const result = {
      date: new Date().toISOString(),
      source:
        SOURCE === 'service'
          ? 'published through the real service (events:publish over HTTP); pushes and events:range backfill'
          : 'synthetic events:batch pushes injected on the page WebSocket beside a real service',
      events: EVENTS,
      rowsShown: rows,
      publishSeconds: publishMs / 1000,
      publishPerSecond: Math.round(EVENTS / (publishMs / 1000)),
      loadedSeconds: loadedMs / 1000,
      heapUsedMb: Math.round(heapUsedMb * 10) / 10,
      heapTotalMb: Math.round(heapTotalMb * 10) / 10,
      domNodes,
      steadyScroll: {
        stepPx: 4 * 26,
        p50Ms: percentile(steady, 0.5),
        p95Ms: percentile(steady, 0.95),
      },
      idleFrames: {
        p50Ms: percentile(idle, 0.5),
        p95Ms: percentile(idle, 0.95),
      },
      scroll: {
        frames: sorted.length,
        stepPx: 24 * 26,
        p50Ms: frameP50,
        p95Ms: frameP95,
        maxMs: frameMax,
      },
      targets: { heapUsedMb: 300, frameP95Ms: 16 },
      pageProblems: browser.problems,
    };
    console.log(
      `ui bench (${SOURCE}): ${rows} rows (${EVENTS} sent in ${result.publishSeconds.toFixed(1)} s, ${result.publishPerSecond}/s; all shown after ${result.loadedSeconds.toFixed(1)} s)`,
    );
    console.log(
      `  renderer JS heap used ${result.heapUsedMb} MB (total ${result.heapTotalMb} MB; target <= 300 MB), DOM nodes ${domNodes}`,
    );
    console.log(
      `  scroll frame time p50 ${frameP50.toFixed(1)} ms, p95 ${frameP95.toFixed(1)} ms, max ${frameMax.toFixed(1)} ms over ${sorted.length} frames (target p95 <= 16 ms); idle frames p95 ${percentile(idle, 0.95).toFixed(1)} ms`,
    );
    console.log(
      `  steady scroll (4 rows a frame) p50 ${percentile(steady, 0.5).toFixed(1)} ms, p95 ${percentile(steady, 0.95).toFixed(1)} ms`,
    );
    const dir = join(process.cwd(), 'bench', 'results');
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, 'ui.json'),
      `${JSON.stringify(result, null, 2)}\n`,
    );
  } finally {
    await browser.close();
    await studio.close();
  }
}

function payloadOf(n: number) {
  return { n, user: `u-${n % 977}`, amount: (n * 37) % 1000, note: 'bench' };
}

function topicOf(n: number): string {
  return `bench.${['orders', 'users', 'audit'][n % 3]}.created`;
}

// publishes through the service's HTTP API, as an external client would
async function publishThroughService(studio: StudioProcess): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < EVENTS) {
      const n = next++;
      await studio.invoke('events:publish', {
        topic: topicOf(n),
        payload: payloadOf(n),
      });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

// sends batches shaped as the service sends them, one per task turn
async function injectPushes(
  socket: () => WebSocketRoute | undefined,
): Promise<void> {
  const ws = await waitFor(socket, { what: 'the page WebSocket' });
  const now = Date.now();
  for (let start = 0; start < EVENTS; start += BATCH) {
    const events = [];
    for (let n = start; n < Math.min(start + BATCH, EVENTS); n++) {
      events.push({
        id: `${FIRST_INDEX + n}.0`,
        topic: topicOf(n),
        time: now + n,
        payload: payloadOf(n),
        depth: 0,
      });
    }
    const next = `${FIRST_INDEX + start + events.length}.0`;
    ws.send(
      JSON.stringify({
        type: 'push',
        channel: 'events:batch',
        payload: { events, skipped: 0, skippedFrom: null, next },
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
