// In-process handler for the `cache-invalidate` hook (hooks.toml).
//
// The studio loads this module once per worker and calls the default export
// with each HookEvent and a context: ctx.ack(value), ctx.nak(delayMs),
// ctx.term(reason) and ctx.inProgress(). Returning normally acks; throwing
// fails the attempt.
//
// A real service would drop entries from its own cache here. This stand-in
// keeps one in the worker so the handler has something to invalidate, and
// returns what it dropped, which the studio shows with the delivery.

const cache = new Map();

// what the app would have cached for a product: filled on first sight so
// that the next update of the same product has an entry to drop
function remember(sku, payload) {
  cache.set(`product:${sku}`, { ...payload, cachedAt: Date.now() });
}

export default async function cacheInvalidate(event, ctx) {
  const sku = event.payload?.sku;
  if (typeof sku !== 'string' || sku === '') {
    // a malformed event will not get better on retry
    ctx.term('payload has no "sku": nothing to invalidate');
    return undefined;
  }

  const key = `product:${sku}`;
  const wasCached = cache.delete(key);
  remember(sku, event.payload);
  return { invalidated: key, wasCached, topic: event.event_type };
}
