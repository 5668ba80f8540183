import { describe, expect, it } from 'vitest';
import { classifySendFailure } from './failure.ts';

const smtpError = (code: string, responseCode?: number, response?: string) =>
  Object.assign(new Error(response ?? code), { code, responseCode, response });

describe('what a failed send means', () => {
  it('is a bounce when the server refuses the recipient or the message for good', () => {
    expect(classifySendFailure(smtpError('EENVELOPE', 550, '550 No such user'))).toEqual({
      kind: 'bounce',
      message: '550 No such user',
      responseCode: 550,
    });
    expect(classifySendFailure(smtpError('EMESSAGE', 554)).kind).toBe('bounce');
  });

  it('is retried for a temporary refusal or a network failure', () => {
    expect(classifySendFailure(smtpError('EENVELOPE', 451, '451 Greylisted')).kind).toBe('retry');
    expect(classifySendFailure(smtpError('ESOCKET')).kind).toBe('retry');
    expect(classifySendFailure(smtpError('ETIMEDOUT')).kind).toBe('retry');
    expect(classifySendFailure(new Error('boom')).kind).toBe('retry');
  });

  it('never blames the recipient for our own configuration (a refused login)', () => {
    expect(classifySendFailure(smtpError('EAUTH', 535, '535 Authentication failed')).kind).toBe('retry');
  });
});
