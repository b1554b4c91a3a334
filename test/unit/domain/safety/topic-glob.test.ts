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

  it.each(['', 'job..a', 'job.>.a', 'job.**.a', 'Job.*', 'job.a**', 'job.a b'])('refuses %j', (pattern) => {
    expect(topicGlobProblem(pattern)).not.toBeNull();
    expect(matchesTopicGlob(pattern, 'job.a')).toBe(false);
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
