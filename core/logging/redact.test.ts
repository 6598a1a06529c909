import { describe, expect, it } from 'vitest';
import { redactText, redactUrl } from './redact';

describe('log redaction', () => {
  it('cuts query strings, URL credentials and email addresses, and nothing else', () => {
    expect(redactUrl('/api/v1/contacts?identity=email:a@b.c')).toBe('/api/v1/contacts?[redacted]');
    expect(redactUrl('/api/v1/journeys')).toBe('/api/v1/journeys');
    expect(redactText('POST https://hooks.example.com/x?api_key=s3cr3t&y=1 answered 500')).toBe('POST https://hooks.example.com/x?[redacted] answered 500');
    expect(redactText('{"url":"/api/v1/contacts?identity=email:a@b.c","x":1}')).toBe('{"url":"/api/v1/contacts?[redacted]","x":1}');
    expect(redactText('connect mongodb://journeys:pw@db.internal:27017/x failed')).toBe('connect mongodb://[redacted]@db.internal:27017/x failed');
    expect(redactText('no user lily.wang+cs@example.com.cn here')).toBe('no user [email] here');
    const kept = 'at run (/app/node_modules/@temporalio/worker/lib/activity.js:104:20) pkg@1.24.0 is it ok? yes';
    expect(redactText(kept)).toBe(kept);
  });
});
