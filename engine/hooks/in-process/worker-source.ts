/**
 * The bootstrap each handler worker runs (evaluated as CommonJS, so it
 * needs no separate bundle). It loads the workspace module once, then runs
 * one attempt per message, reporting context calls and the outcome.
 *
 * Protocol, worker → pool: `{ kind: 'ready' }`, `{ kind: 'progress', id }`,
 * `{ kind: 'done', id, outcome }` with outcome `{ status: 'succeeded' |
 * 'retry' | 'failed' | 'terminal', message?, delayMs?, value? }`.
 */
export const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { pathToFileURL } = require('node:url');

let handlerPromise;
function loadHandler() {
  handlerPromise ??= import(pathToFileURL(workerData.modulePath).href).then(
    (mod) => {
      const handler = mod.default ?? mod.handler;
      if (typeof handler !== 'function') {
        throw new Error(workerData.modulePath +
          ' must export a default function (event, ctx) => ...');
      }
      return handler;
    },
  );
  return handlerPromise;
}

function describe(error) {
  if (error instanceof Error) {
    return error.name + ': ' + error.message;
  }
  return String(error);
}

parentPort.on('message', async ({ id, event }) => {
  let decided;
  const decide = (outcome) => {
    decided ??= outcome;
  };
  const ctx = {
    ack: (value) => decide({ status: 'succeeded', value }),
    nak: (delayMs = 0, message = 'nak') =>
      decide({ status: 'retry', delayMs: Number(delayMs) || 0, message }),
    term: (message = 'term') => decide({ status: 'terminal', message: String(message) }),
    inProgress: () => parentPort.postMessage({ kind: 'progress', id }),
  };
  let outcome;
  try {
    const handler = await loadHandler();
    const value = await handler(event, ctx);
    outcome = decided ?? { status: 'succeeded', value };
  } catch (error) {
    outcome = decided ?? { status: 'failed', message: describe(error) };
  }
  try {
    parentPort.postMessage({ kind: 'done', id, outcome });
  } catch {
    // a return value that cannot be cloned is reported, not lost
    parentPort.postMessage({
      kind: 'done',
      id,
      outcome: { status: outcome.status, message: outcome.message },
    });
  }
});
parentPort.postMessage({ kind: 'ready' });
`;
