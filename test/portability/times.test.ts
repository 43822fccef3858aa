/**
 * A document's times are read character by character (main/registry/portability/items.ts) rather
 * than parsed as Dates: these cases hold it to the calendar, and a property compares it with
 * what Date itself accepts for the one form the API writes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isIsoTime } from '../../main/registry/portability/items';

/** The reference: a time is valid when Date reads it and writes back the very same text. */
function dateAccepts(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(text)) return false;
  const ms = Date.parse(text);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === text;
}

describe('times in an export document', () => {
  it.each([
    ['2024-02-29T12:00:00.000Z', 'Feb 29 in a leap year'],
    ['2000-02-29T00:00:00.000Z', 'Feb 29 in 2000 (divisible by 400)'],
    ['2023-02-28T23:59:59.999Z', 'the last moment of a non-leap February'],
    ['2024-12-31T23:59:59.999Z', 'the last moment of a year'],
    ['2024-04-30T00:00:00.000Z', 'the 30th of a 30-day month'],
    ['1970-01-01T00:00:00.000Z', 'the epoch'],
  ])('accepts %s (%s)', (text) => {
    expect(isIsoTime(text)).toBe(true);
  });

  it.each([
    ['2023-02-29T12:00:00.000Z', 'Feb 29 in a non-leap year'],
    ['2100-02-29T12:00:00.000Z', 'Feb 29 in 2100 (divisible by 100, not 400)'],
    ['2024-02-30T12:00:00.000Z', 'Feb 30'],
    ['2024-04-31T12:00:00.000Z', 'the 31st of a 30-day month'],
    ['2024-13-01T12:00:00.000Z', 'month 13'],
    ['2024-00-10T12:00:00.000Z', 'month 0'],
    ['2024-01-00T12:00:00.000Z', 'day 0'],
    ['2024-01-01T24:00:00.000Z', 'hour 24'],
    ['2024-01-01T12:60:00.000Z', 'minute 60'],
    ['2024-01-01T12:00:60.000Z', 'second 60'],
    ['2024-01-01T12:00:00Z', 'no milliseconds'],
    ['2024-01-01T12:00:00.000+00:00', 'an offset instead of Z'],
    ['2024-01-01 12:00:00.000Z', 'a space instead of T'],
    ['2024-01-01T12:00:00.000z', 'a lower-case z'],
    ['2024-1-01T12:00:00.000Z', 'a one-digit month'],
    ['+02024-01-01T12:00:00.000Z', 'an expanded year'],
    ['2024-01-01T1a:00:00.000Z', 'a letter among the digits'],
    ['２０２４-01-01T12:00:00.000Z', 'full-width digits'],
  ])('refuses %s (%s)', (text) => {
    expect(isIsoTime(text)).toBe(false);
  });

  it('refuses what is not text', () => {
    for (const value of [null, undefined, 0, Date.now(), new Date(), ['2024-01-01T12:00:00.000Z']]) expect(isIsoTime(value)).toBe(false);
  });

  it('agrees with Date on every time of that form, valid or not', () => {
    const digits = (n: number, max: number) => fc.integer({ min: 0, max }).map((v) => String(v).padStart(n, '0'));
    const nearlyValid = fc
      .tuple(digits(4, 9999), digits(2, 14), digits(2, 32), digits(2, 25), digits(2, 61), digits(2, 61), digits(3, 999))
      .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
    const real = fc
      .date({ min: new Date('0000-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true })
      .map((d) => d.toISOString());
    fc.assert(
      fc.property(fc.oneof(nearlyValid, real, fc.string({ maxLength: 30 })), (text) => {
        expect(isIsoTime(text)).toBe(dateAccepts(text));
      }),
      { numRuns: 20_000 },
    );
  });
});
