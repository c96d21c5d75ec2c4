// Why an answer was not delivered, read off the error the deliverer or Meta's status stored.
import { describe, expect, it } from 'vitest';
import { undeliveredReason } from '../../../bots/telegram/staff-notices.ts';

describe('undeliveredReason', () => {
  it('tells the closed 24-hour window, an unreachable customer, another refusal and no reason at all apart', () => {
    expect(undeliveredReason('131047: Re-engagement message')).toBe('undelivered-window');
    expect(undeliveredReason('unreachable: 131047: Message failed to send because more than 24 hours have passed')).toBe('undelivered-window');
    expect(undeliveredReason('unreachable: Forbidden: bot was blocked by the user')).toBe('undelivered-unreachable');
    expect(undeliveredReason('131026: Message undeliverable')).toBe('undelivered-other');
    expect(undeliveredReason('1310470: not the window')).toBe('undelivered-other');
    expect(undeliveredReason(null)).toBe('undelivered-unknown');
    expect(undeliveredReason(' ')).toBe('undelivered-unknown');
  });
});
