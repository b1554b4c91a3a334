/** NATS subject matching: a filter's `*` matches one token, a final `>` one or more. */
export function subjectMatches(filter: string, subject: string): boolean {
  if (filter === '>') return subject.length > 0;
  let f = 0;
  let s = 0;
  for (;;) {
    const fEnd = filter.indexOf('.', f);
    const sEnd = subject.indexOf('.', s);
    const fToken = fEnd === -1 ? filter.slice(f) : filter.slice(f, fEnd);
    if (fToken === '>') return s < subject.length || sEnd !== -1;
    const sToken = sEnd === -1 ? subject.slice(s) : subject.slice(s, sEnd);
    if (fToken !== '*' && fToken !== sToken) return false;
    if (fEnd === -1 || sEnd === -1) return fEnd === -1 && sEnd === -1;
    f = fEnd + 1;
    s = sEnd + 1;
  }
}
