/**
 * Topic globs, used by safety rules (allow/deny, throttles), paused topics and worker topic lists.
 * A topic is dot-separated segments (`job.video.encode`). A glob is too, where:
 *   - `*` matches any run of characters inside one segment, never a `.`: `job.*` matches `job.a` but
 *     not `job.a.b`; `job.video-*` matches `job.video-hd`; `job.a*` matches `job.a` itself;
 *   - `>` or `**` as the last segment matches one or more remaining segments (NATS's `>`):
 *     `job.>` matches `job.a` and `job.a.b`, not `job`; a lone `>` matches every topic;
 *   - anything else matches itself, so an exact topic is a glob for just that topic.
 * Segments use the topic alphabet `[a-z0-9_-]` plus `*`; an invalid glob matches nothing.
 */

export const TAIL_WILDCARDS: readonly string[] = ['>', '**'];
const SEGMENT = /^[a-z0-9_*-]+$/;

/** Why a glob is invalid, or null when it is fine. */
export function topicGlobProblem(glob: string): string | null {
  if (glob === '') return 'a topic glob cannot be empty';
  const segments = glob.split('.');
  for (const [index, segment] of segments.entries()) {
    const last = index === segments.length - 1;
    if (TAIL_WILDCARDS.includes(segment)) {
      if (!last) return `"${segment}" may only be the last segment of a topic glob`;
      continue;
    }
    if (segment === '') return 'a topic glob has no empty segments';
    if (!SEGMENT.test(segment)) return `segment "${segment}" may use only a-z, 0-9, _, - and *`;
    if (segment.includes('**')) return '"**" must be a whole segment, and the last one';
  }
  return null;
}

export function matchesTopicGlob(glob: string, topic: string): boolean {
  if (topicGlobProblem(glob) !== null) return false;
  const patterns = glob.split('.');
  const segments = topic.split('.');
  const lastPattern = patterns[patterns.length - 1] ?? '';
  const tail = TAIL_WILDCARDS.includes(lastPattern);
  const fixed = tail ? patterns.length - 1 : patterns.length;
  if (tail ? segments.length <= fixed : segments.length !== fixed) return false;
  for (let i = 0; i < fixed; i++) {
    if (!matchesSegment(patterns[i] ?? '', segments[i] ?? '')) return false;
  }
  return true;
}

/** The first glob of `globs` that matches `topic`, or null. */
export function firstMatchingGlob(globs: readonly string[], topic: string): string | null {
  return globs.find((glob) => matchesTopicGlob(glob, topic)) ?? null;
}

/** `*` = any run of characters (the segment has no `.`, so it cannot cross one). */
function matchesSegment(pattern: string, segment: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === segment;
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  if (segment.length < first.length + last.length) return false;
  if (!segment.startsWith(first) || !segment.endsWith(last)) return false;
  // Middle literals in order, leftmost first: greedy-leftmost is exact for `*`-only patterns.
  let at = first.length;
  const end = segment.length - last.length;
  for (const part of parts.slice(1, -1)) {
    const found = segment.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}
