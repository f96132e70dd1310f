// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { hooksConfigJsonSchema } from '../../../../engine/hooks/config/json-schema';
import { KNOWN_KEYS } from '../../../../engine/hooks/config/schema';

interface Node {
  properties?: Record<string, Node>;
  description?: string;
  [key: string]: unknown;
}

// every property in the schema, with its description, at any depth
function properties(node: unknown, found = new Map<string, unknown>()) {
  if (Array.isArray(node)) {
    node.forEach((item) => properties(item, found));
  } else if (typeof node === 'object' && node !== null) {
    const { properties: own, ...rest } = node as Node;
    for (const [key, child] of Object.entries(own ?? {})) {
      found.set(key, child.description);
      properties(child, found);
    }
    Object.values(rest).forEach((item) => properties(item, found));
  }
  return found;
}

const EVERY_KEY = new Set([
  ...KNOWN_KEYS.config,
  ...KNOWN_KEYS.studio,
  ...KNOWN_KEYS.rateLimit,
  ...Object.values(KNOWN_KEYS.handler).flat(),
]);

describe('hooksConfigJsonSchema', () => {
  it('describes every key of the JSON form', () => {
    const found = properties(hooksConfigJsonSchema('json'));

    expect(new Set(found.keys())).toEqual(EVERY_KEY);
    for (const [key, description] of found) {
      expect(description, key).toEqual(expect.any(String));
    }
  });

  it('nests the same keys under [hooks] and [studio] for TOML', () => {
    const schema = hooksConfigJsonSchema('toml') as Node;
    const found = properties(schema);

    expect(Object.keys(schema.properties ?? {})).toEqual(['hooks', 'studio']);
    expect(new Set(found.keys())).toEqual(new Set(['hooks', ...EVERY_KEY]));
  });

  it('shows serde defaults and keeps defaulted keys optional', () => {
    const schema = hooksConfigJsonSchema('json') as Node;
    const handlers = schema.properties?.handlers as {
      items: { oneOf: Node[] };
    };
    const shell = handlers.items.oneOf.find(
      (variant) => variant.properties?.type?.const === 'shell',
    );

    expect(shell?.required).toEqual(['name', 'pattern', 'type', 'command']);
    expect(shell?.properties?.timeout_ms).toMatchObject({
      default: 5000,
      type: 'integer',
      minimum: 0,
    });
    expect(shell?.additionalProperties).toEqual({});
  });
});
