// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  checkPattern,
  checkSubject,
  InvalidPatternError,
  InvalidSubjectError,
  isReserved,
  matchProduction,
  matchSubject,
  parsePattern,
  parseSubject,
  type SubjectProblem,
} from '../../../engine/pubsub/subject';

type Rejection = [text: string, problem: SubjectProblem];

const problem = (
  tokenIndex: number,
  token: string,
  offset: number,
  reason: string,
): SubjectProblem => ({ tokenIndex, token, offset, reason });

// shared by subjects and patterns: the token rules are the same
const COMMON: Rejection[] = [
  ['', problem(0, '', 0, 'is empty')],
  ['.a', problem(0, '', 0, 'is empty')],
  ['a..b', problem(1, '', 2, 'is empty')],
  ['a.b.', problem(2, '', 4, 'is empty')],
  ['a.b c.d', problem(1, 'b c', 2, 'contains whitespace U+0020')],
  ['ab.\tx', problem(1, '\tx', 3, 'contains whitespace U+0009')],
  ['a.\u00a0', problem(1, '\u00a0', 2, 'contains whitespace U+00A0')],
  ['中.文\u3000', problem(1, '文\u3000', 2, 'contains whitespace U+3000')],
  ['a.x\u0001', problem(1, 'x\u0001', 2, 'contains control character U+0001')],
  ['\u007f', problem(0, '\u007f', 0, 'contains control character U+007F')],
  ['a.\u0085', problem(1, '\u0085', 2, 'contains control character U+0085')],
  ['a.b\ud800', problem(1, 'b\ud800', 2, 'contains lone surrogate U+D800')],
  ['\udc00.b', problem(0, '\udc00', 0, 'contains lone surrogate U+DC00')],
  [
    `a.${'x'.repeat(257)}`,
    problem(1, 'x'.repeat(257), 2, 'is 257 bytes; the limit is 256'),
  ],
  [
    // 86 three-byte characters: 258 bytes in 86 code units
    `${'中'.repeat(86)}.b`,
    problem(0, '中'.repeat(86), 0, 'is 258 bytes; the limit is 256'),
  ],
  [
    Array.from({ length: 17 }, (_, i) => `t${i}`).join('.'),
    problem(16, 't16', 54, 'is past the limit of 16 tokens'),
  ],
];

const SUBJECT_ONLY: Rejection[] = [
  ['a.*', problem(1, '*', 2, 'is a wildcard; a subject takes none')],
  ['>', problem(0, '>', 0, 'is a wildcard; a subject takes none')],
  [
    'a.b*.c',
    problem(1, 'b*', 2, 'has a wildcard character; a subject takes none'),
  ],
];

const PATTERN_ONLY: Rejection[] = [
  ['a.>.b', problem(1, '>', 2, "is '>', which must be the last token")],
  ['>.>', problem(0, '>', 0, "is '>', which must be the last token")],
  ['a*', problem(0, 'a*', 0, 'has a wildcard that is not the whole token')],
  ['a.*b', problem(1, '*b', 2, 'has a wildcard that is not the whole token')],
  ['a.b>', problem(1, 'b>', 2, 'has a wildcard that is not the whole token')],
  [
    `${'a'.repeat(200)}.${'b'.repeat(56)}`,
    problem(1, 'b'.repeat(56), 201, 'takes the pattern past 256 bytes'),
  ],
];

describe('checkSubject()', () => {
  it.each([...COMMON, ...SUBJECT_ONLY])(
    'rejects %j naming the token, offset and reason',
    (subject, expected) => {
      expect(checkSubject(subject)).toEqual(expected);
    },
  );

  it.each([
    'a',
    'hooks.kv.write_committed',
    'é.中文.😀',
    '$studio.events',
    'a-b_c:d/e',
    Array.from({ length: 16 }, () => 'x'.repeat(256)).join('.'),
  ])('accepts %j', (subject) => {
    expect(checkSubject(subject)).toBeUndefined();
  });

  it('counts a surrogate pair as 4 bytes and accepts 64 emoji', () => {
    expect(checkSubject('😀'.repeat(64))).toBeUndefined();
    expect(checkSubject('😀'.repeat(65))?.reason).toBe(
      'is 260 bytes; the limit is 256',
    );
  });

  it('reports the first problem in reading order', () => {
    expect(checkSubject('a.*.b..c')).toEqual(SUBJECT_ONLY[0]?.[1]);
    expect(checkSubject('a b..c')?.tokenIndex).toBe(0);
  });
});

describe('checkPattern()', () => {
  it.each([...COMMON, ...PATTERN_ONLY])(
    'rejects %j naming the token, offset and reason',
    (pattern, expected) => {
      expect(checkPattern(pattern)).toEqual(expected);
    },
  );

  it.each(['>', '*', '*.*', 'a.>', '*.b.>', 'hooks.kv.*', '$studio.>'])(
    'accepts %j',
    (pattern) => {
      expect(checkPattern(pattern)).toBeUndefined();
    },
  );

  it('accepts a pattern of exactly 256 bytes', () => {
    expect(checkPattern(`${'a'.repeat(200)}.${'b'.repeat(55)}`)).toBe(
      undefined,
    );
  });

  it('lets subjects be longer than 256 bytes in total', () => {
    const long = `${'a'.repeat(200)}.${'b'.repeat(200)}`;
    expect(checkSubject(long)).toBeUndefined();
    expect(checkPattern(long)?.reason).toBe('takes the pattern past 256 bytes');
  });
});

describe('parseSubject()', () => {
  it('returns the tokens of a valid subject', () => {
    expect(parseSubject('é.中文.😀')).toEqual(['é', '中文', '😀']);
  });

  it('throws INVALID_SUBJECT naming the token when a subject is bad', () => {
    const error = catchError(() => parseSubject('orders.*.eu'));
    expect(error).toBeInstanceOf(InvalidSubjectError);
    expect(error).toMatchObject({
      code: 'INVALID_SUBJECT',
      problem: { tokenIndex: 1, token: '*', offset: 7 },
    });
    expect(error.message).toBe(
      'invalid subject "orders.*.eu": token 1 "*" (offset 7) ' +
        'is a wildcard; a subject takes none',
    );
  });

  it('says an empty subject is empty', () => {
    expect(catchError(() => parseSubject('')).message).toBe('subject is empty');
  });
});

describe('parsePattern()', () => {
  it('returns the tokens of a valid pattern', () => {
    expect(parsePattern('a.*.>')).toEqual(['a', '*', '>']);
  });

  it('throws INVALID_PATTERN naming the token when a pattern is bad', () => {
    const error = catchError(() => parsePattern('a.\u0007.>'));
    expect(error).toBeInstanceOf(InvalidPatternError);
    expect(error).toMatchObject({ code: 'INVALID_PATTERN' });
    expect(error.message).toBe(
      'invalid pattern "a.\\u0007.>": token 1 "\\u0007" (offset 2) ' +
        'contains control character U+0007',
    );
  });
});

describe('subject grammar', () => {
  // any code points, or the characters the grammar cares about, lone
  // surrogates included
  const text = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 24 }),
    fc.string({
      unit: fc.constantFrom('.', '*', '>', 'a', 'é', '😀', ' ', '\u0001'),
      maxLength: 24,
    }),
    fc.string({
      unit: fc.constantFrom('.', 'b', '\ud83d', '\ude00', '\u3000'),
      maxLength: 24,
    }),
  );

  it('locates every problem at a real token of the text', () => {
    fc.assert(
      fc.property(text, fc.boolean(), (input, isPattern) => {
        const found = isPattern ? checkPattern(input) : checkSubject(input);
        if (found !== undefined) {
          expect(input.split('.')[found.tokenIndex]).toBe(found.token);
          const end = found.offset + found.token.length;
          expect(input.startsWith(found.token, found.offset)).toBe(true);
          expect(['.', undefined]).toContain(input[end]);
        }
      }),
    );
  });

  it('throws from parse exactly when check finds a problem', () => {
    fc.assert(
      fc.property(text, (input) => {
        expect(throws(() => parseSubject(input))).toBe(
          checkSubject(input) !== undefined,
        );
        expect(throws(() => parsePattern(input))).toBe(
          checkPattern(input) !== undefined,
        );
      }),
    );
  });

  it('accepts as a pattern every valid subject', () => {
    fc.assert(
      fc.property(text, (input) => {
        if (checkSubject(input) === undefined) {
          expect(checkPattern(input)).toBeUndefined();
        }
      }),
    );
  });
});

describe('matchSubject()', () => {
  it.each([
    ['a.b', 'a.b', true],
    ['a.b', 'a.B', false],
    ['a.*', 'a.b', true],
    ['a.*', 'a', false],
    ['a.*', 'a.b.c', false],
    ['*.*', 'a.b', true],
    ['a.>', 'a', false],
    ['a.>', 'a.b', true],
    ['a.>', 'a.b.c', true],
    ['>', 'a', true],
    ['*.b.>', 'x.b.c.d', true],
    ['*.b.>', 'x.c.c.d', false],
    ['é.*', 'é.中文', true],
    ['e.*', 'é.x', false],
  ])('matches %j against %j: %s', (pattern, subject, expected) => {
    expect(matchSubject(pattern, subject)).toBe(expected);
  });

  it('never matches a reserved subject with a leading wildcard', () => {
    expect(matchSubject('>', '$studio.events')).toBe(false);
    expect(matchSubject('*.events', '$studio.events')).toBe(false);
    expect(matchSubject('$studio.>', '$studio.events')).toBe(true);
    expect(matchSubject('$studio.*', '$studio.events')).toBe(true);
    expect(matchSubject('a.>', 'a.$b')).toBe(true);
  });
});

describe('matchProduction()', () => {
  // reference/aspen-production.md §3.1, the whole table
  const TOPICS = [
    'hooks',
    'hooks.kv',
    'hooks.kv.write_committed',
    'hooks.cluster.leader_elected',
  ];
  const TABLE: Array<[string, boolean[]]> = [
    ['hooks.>', [true, true, true, true]],
    ['hooks.kv.*', [false, false, true, false]],
    ['hooks.kv.>', [false, true, true, false]],
    ['hooks.*.>', [false, true, true, true]],
    ['hooks.*.write_committed', [false, false, true, false]],
    ['>', [true, true, true, true]],
    ['hooks.kv', [false, true, false, false]],
  ];

  it.each(TABLE)('matches %j as production does', (pattern, expected) => {
    expect(TOPICS.map((topic) => matchProduction(pattern, topic))).toEqual(
      expected,
    );
  });

  it.each([
    ['a.>.b', 'a', true],
    ['hoo*', 'hooks', false],
    ['hoo*', 'hoo*', true],
    ['a>', 'a.b', false],
    ['', 'a', false],
    ['', '', true],
    ['*', '', true],
    ['a..b', 'a..b', true],
  ])('matches %j against %j without validating: %s', (p, t, expected) => {
    expect(matchProduction(p, t)).toBe(expected);
  });
});

describe('isReserved()', () => {
  it.each([
    ['$studio.events', true],
    ['$', true],
    ['studio.$events', false],
    ['', false],
    ['a$', false],
  ])('says %j is reserved: %s', (subject, expected) => {
    expect(isReserved(subject)).toBe(expected);
  });
});

function catchError(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

function throws(run: () => unknown): boolean {
  try {
    run();
    return false;
  } catch {
    return true;
  }
}
