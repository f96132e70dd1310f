import { describe, expect, it } from 'vitest';

import {
  covers,
  matchesSubject,
  overlapWitness,
  patternProblem,
} from '../../../renderer/src/lib/subject-pattern';

describe('subject-pattern', () => {
  describe('matchesSubject()', () => {
    it('matches * to one token and > to one or more trailing tokens', () => {
      expect(matchesSubject('orders.*', 'orders.created')).toBe(true);
      expect(matchesSubject('orders.*', 'orders.created.eu')).toBe(false);
      expect(matchesSubject('orders.>', 'orders.created.eu')).toBe(true);
      expect(matchesSubject('orders.>', 'orders')).toBe(false);
    });

    it('never lets a leading wildcard match a $ subject', () => {
      expect(matchesSubject('>', '$studio.fault')).toBe(false);
      expect(matchesSubject('$studio.>', '$studio.fault')).toBe(true);
    });
  });

  describe('patternProblem()', () => {
    it('says why a pattern is malformed', () => {
      expect(patternProblem('a.>.b')).toMatch(/last token/);
      expect(patternProblem('a..b')).toMatch(/empty/);
      expect(patternProblem('a.b*')).toMatch(/stand alone/);
      expect(patternProblem('hooks.kv.*')).toBeUndefined();
    });
  });

  describe('overlapWitness()', () => {
    it('finds a subject both patterns match, and none when they cannot meet', () => {
      const witness = overlapWitness('orders.*.eu', 'orders.created.>');
      expect(witness).toBeDefined();
      expect(matchesSubject('orders.*.eu', witness!)).toBe(true);
      expect(matchesSubject('orders.created.>', witness!)).toBe(true);
      expect(overlapWitness('orders.*', 'users.*')).toBeUndefined();
      expect(overlapWitness('a.*', 'a.b.c')).toBeUndefined();
    });
  });

  describe('covers()', () => {
    it('holds when every subject of the inner pattern matches the outer one', () => {
      expect(covers('orders.>', 'orders.*')).toBe(true);
      expect(covers('orders.*', 'orders.>')).toBe(false);
      expect(covers('*.created', 'orders.created')).toBe(true);
      expect(covers('orders.created', '*.created')).toBe(false);
    });
  });
});
