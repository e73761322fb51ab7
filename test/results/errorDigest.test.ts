import { describe, expect, it } from 'vitest';
import { ErrorDigest } from '../../src/results/errorDigest.js';
import { describeErrorGroup } from '../../src/reporters/errorGroups.js';

describe('error digest: errored cases grouped by message', () => {
  it('counts cases per distinct message, most frequent first, first seen first among equals', () => {
    const d = new ErrorDigest();
    const add = (kind: string, message: string, times: number): void => {
      for (let i = 0; i < times; i++) d.add({ kind, message });
    };
    add('auth', '401 Incorrect API key', 2);
    add('not-found', '404 model gone', 5);
    add('grader', 'script threw', 2);
    add('transient', '500 upstream', 1);
    // 2 + 5 + 2 + 1 = 10 cases in 4 groups; the top 3 are 5, then the two 2s in arrival order.
    expect(d.top()).toEqual([
      { kind: 'not-found', message: '404 model gone', cases: 5 },
      { kind: 'auth', message: '401 Incorrect API key', cases: 2 },
      { kind: 'grader', message: 'script threw', cases: 2 },
    ]);
    expect(d.distinct()).toBe(4);
  });

  it('treats messages differing only by an id (a cache key) as one reason, shown as first seen', () => {
    const d = new ErrorDigest();
    d.add({ kind: 'cache-miss', message: 'no cached answer (cache key 9dba2579b24d)' });
    d.add({ kind: 'cache-miss', message: 'no cached answer (cache key 16e45990328d)' });
    expect(d.top()).toEqual([{ kind: 'cache-miss', message: 'no cached answer (cache key 9dba2579b24d)', cases: 2 }]);
  });

  it('keeps the first provider request id of a group and quotes it after the message', () => {
    const d = new ErrorDigest();
    d.add({ kind: 'transient', message: '500 upstream' });
    d.add({ kind: 'transient', message: '500 upstream', requestId: 'req_b' });
    d.add({ kind: 'transient', message: '500 upstream', requestId: 'req_c' });
    d.add({ kind: 'auth', message: '401 bad key', requestId: 'req_a' });
    const [outage, auth] = d.top();
    expect(describeErrorGroup(outage!)).toBe('3 cases: 500 upstream (request id of the first: req_b)');
    expect(describeErrorGroup(auth!)).toBe('1 case: 401 bad key (request id req_a)');
  });

  it('keeps one line per message, cut to a readable length', () => {
    const d = new ErrorDigest();
    d.add({ kind: 'grader', message: `line one\n   line two ${'x'.repeat(500)}` });
    const [g] = d.top();
    expect(g!.message.startsWith('line one line two x')).toBe(true);
    expect(g!.message.length).toBe(300);
  });
});
