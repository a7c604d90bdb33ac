// Collects results: one line per failure, saying page, width, theme and
// what failed; a closing "e2e: N passed, N failed" line.

export class Report {
  /** `log` prints each failure as it happens (the self-test silences it). */
  constructor({ log = console.log } = {}) {
    this.log = log;
    this.passed = 0;
    this.records = []; // every check: { scope, name, problems }
    this.failures = [];
    this.notes = [];
  }

  /** Records one check: `problems` empty means it passed. */
  check(scope, name, problems) {
    this.records.push({ scope, name, problems });
    if (problems.length === 0) {
      this.passed++;
      return true;
    }
    const where = [scope.page, scope.width && `${scope.width}px`, scope.theme && `theme ${scope.theme}`]
      .filter(Boolean)
      .join(' @ ');
    const shown = problems.slice(0, 8);
    const more = problems.length > shown.length ? [`... and ${problems.length - shown.length} more`] : [];
    const text = `FAIL ${where}: ${name}\n` + [...shown, ...more].map((p) => `       - ${p}`).join('\n');
    this.failures.push(text);
    this.log(text);
    return false;
  }

  note(text) {
    this.notes.push(text);
  }

  get failed() {
    return this.failures.length;
  }

  summary(label = 'e2e') {
    const lines = [];
    for (const n of this.notes) lines.push(`note: ${n}`);
    if (this.failed > 0) {
      lines.push('', `${this.failed} failure(s):`, ...this.failures);
    }
    lines.push('', `${label}: ${this.passed} passed, ${this.failed} failed`);
    return lines.join('\n');
  }
}
