import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstMatchingGlob, matchesTopicGlob, topicGlobProblem } from '../../../../src/domain/safety/topic-glob.ts';

/** An independent reference: the glob as a regular expression. */
function reference(glob: string, topic: string): boolean {
  const segments = glob.split('.');
  const tail = ['>', '**'].includes(segments.at(-1) ?? '');
  const fixed = (tail ? segments.slice(0, -1) : segments).map((segment) =>
    segment
      .split('*')
      .map((part) => part.replace(/[-]/g, '\\-'))
      .join('[^.]*'),
  );
  const body = fixed.length === 0 ? '[^.]+(\\.[^.]+)*' : fixed.join('\\.') + (tail ? '(\\.[^.]+)+' : '');
  return new RegExp(`^${body}$`).test(topic);
}

const name = fc.stringMatching(/^[a-z0-9_-]{1,6}$/);
const topic = fc.array(name, { minLength: 1, maxLength: 5 }).map((names) => ['job', ...names].join('.'));
const globSegment = fc.oneof(
  name,
  fc.constant('*'),
  fc.tuple(fc.stringMatching(/^[a-z0-9]{0,2}$/), fc.stringMatching(/^[a-z0-9]{0,2}$/)).map(([a, b]) => `${a}*${b}`),
);
const glob = fc
  .tuple(fc.array(globSegment, { minLength: 0, maxLength: 5 }), fc.constantFrom(null, '>', '**'))
  .filter(([segments, tail]) => segments.length > 0 || tail !== null)
  .map(([segments, tail]) => [...segments, ...(tail === null ? [] : [tail])].join('.'));

describe('topic globs', () => {
  it.each([
    ['job.default', 'job.default', true],
    ['job.default', 'job.defaults', false],
    ['job.*', 'job.a', true],
    ['job.*', 'job.a.b', false],
    ['job.*', 'job', false],
    ['job.video-*', 'job.video-hd', true],
    ['job.video-*', 'job.audio-hd', false],
    ['job.a*', 'job.a', true],
    ['job.*-hd', 'job.video-hd', true],
    ['job.*x*y', 'job.axbxy', true],
    ['job.*x*y', 'job.ayx', false],
    ['job.>', 'job.a', true],
    ['job.>', 'job.a.b.c', true],
    ['job.>', 'job', false],
    ['job.**', 'job.a.b', true],
    ['>', 'job.a', true],
    ['job.*.encode', 'job.video.encode', true],
    ['job.*.encode', 'job.video.decode', false],
  ])('%s against %s is %s', (pattern, topicText, expected) => {
    expect(matchesTopicGlob(pattern, topicText)).toBe(expected);
  });

  it.each([
    ['', 'a topic glob cannot be empty'],
    ['job..a', 'a topic glob has no empty segments'],
    ['job.', 'a topic glob has no empty segments'],
    ['job.>.a', '">" may only be the last segment of a topic glob'],
    ['job.**.a', '"**" may only be the last segment of a topic glob'],
    ['Job.*', 'segment "Job" may use only a-z, 0-9, _, - and *'],
    ['job.a**', '"**" must be a whole segment, and the last one'],
    ['job.a b', 'segment "a b" may use only a-z, 0-9, _, - and *'],
  ])('refuses %j: %s', (pattern, problem) => {
    expect(topicGlobProblem(pattern)).toBe(problem);
    expect(matchesTopicGlob(pattern, 'job.a')).toBe(false);
  });

  it.each([
    ['job.a*a', 'job.a', false],
    ['job.ab*ba', 'job.aba', false],
    ['job.a*b*c', 'job.abc', true],
    ['job.a*b*c', 'job.acbc', true],
    ['job.a*b*c', 'job.acc', false],
    ['job.*b*', 'job.b', true],
    ['job.*bb*', 'job.b', false],
    ['job.a*bc*d', 'job.abcd', true],
    ['job.a*bc*d', 'job.abd', false],
    ['job.x*ab*b', 'job.xab', false],
  ])('matches several stars in one segment: %s against %s is %s', (pattern, topicText, expected) => {
    expect(matchesTopicGlob(pattern, topicText)).toBe(expected);
  });

  it('finds the first matching glob of a list', () => {
    expect(firstMatchingGlob(['job.x', 'job.*', 'job.>'], 'job.a')).toBe('job.*');
    expect(firstMatchingGlob(['job.x'], 'job.a')).toBeNull();
  });

  it('property: agrees with a regular-expression reference', () => {
    fc.assert(
      fc.property(glob, topic, (pattern, topicText) => {
        expect(topicGlobProblem(pattern)).toBeNull();
        expect(matchesTopicGlob(pattern, topicText)).toBe(reference(pattern, topicText));
      }),
      { numRuns: 500 },
    );
  });

  it('property: agrees with the reference on segments with several stars (a small alphabet, so literals overlap)', () => {
    const starred = fc
      .array(fc.stringMatching(/^[ab]{0,2}$/), { minLength: 2, maxLength: 4 })
      .map((parts) => `job.${parts.join('*')}`)
      .filter((pattern) => !pattern.includes('**')); // `**` inside a segment is refused (above)
    const word = fc.stringMatching(/^[ab]{1,6}$/).map((text) => `job.${text}`);
    fc.assert(
      fc.property(starred, word, (pattern, topicText) => {
        expect(matchesTopicGlob(pattern, topicText)).toBe(reference(pattern, topicText));
      }),
      { numRuns: 1_000 },
    );
  });

  it('property: a topic is a glob matching itself only (among topics)', () => {
    fc.assert(
      fc.property(topic, topic, (a, b) => {
        expect(matchesTopicGlob(a, a)).toBe(true);
        expect(matchesTopicGlob(a, b)).toBe(a === b);
      }),
    );
  });

  it('property: replacing segments with * still matches; a tail wildcard matches every extension', () => {
    fc.assert(
      fc.property(topic, fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), topic, (text, stars, extra) => {
        const segments = text.split('.');
        const starred = segments.map((segment, index) => (stars[index] ? '*' : segment)).join('.');
        expect(matchesTopicGlob(starred, text)).toBe(true);
        expect(matchesTopicGlob(`${starred}.>`, `${text}.${extra}`)).toBe(true);
        expect(matchesTopicGlob(`${starred}.**`, `${text}.${extra}`)).toBe(true);
        expect(matchesTopicGlob(`${starred}.>`, text)).toBe(false);
        expect(matchesTopicGlob(starred, `${text}.${extra}`)).toBe(false);
      }),
    );
  });
});
