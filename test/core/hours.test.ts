// Call-center hours: weekdays 9:00–17:00 Japan time, except weekends, public holidays and
// company holidays — whatever the process time zone is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskStatus, isBusinessDay, jstDate, type BusinessHours, type DeskStatus } from '../../src/core/handoff/hours.ts';
import { loadKnowledge } from '../../src/core/knowledge/load.ts';

const cc = loadKnowledge().contact.callCenter;
const hoursWith = (extra: string[] = [], base: readonly string[] = cc.companyHolidays): BusinessHours => ({
  opens: cc.opens,
  closes: cc.closes,
  companyHolidays: new Set([...base, ...extra]),
});
const CONTACT = hoursWith();
const NO_COMPANY_HOLIDAYS = hoursWith([], []);

const open: DeskStatus = { open: true, nextOpen: null };
const closedUntil = (nextOpen: string): DeskStatus => ({ open: false, nextOpen });

interface Case {
  name: string;
  now: string;
  hours: BusinessHours;
  expected: DeskStatus;
}

// 2026-06-01 is a Monday; 2026-06-03 a Wednesday.
const CASES: Case[] = [
  { name: 'weekday 10:00 JST is open', now: '2026-06-03T10:00:00+09:00', hours: CONTACT, expected: open },
  { name: 'weekday 09:00 sharp is open', now: '2026-06-03T09:00:00+09:00', hours: CONTACT, expected: open },
  { name: 'weekday 16:59 is open', now: '2026-06-03T16:59:59+09:00', hours: CONTACT, expected: open },
  { name: 'weekday 17:00 sharp is closed', now: '2026-06-03T17:00:00+09:00', hours: CONTACT, expected: closedUntil('2026-06-04T09:00:00+09:00') },
  { name: 'weekday 17:30 → next weekday 09:00', now: '2026-06-03T17:30:00+09:00', hours: CONTACT, expected: closedUntil('2026-06-04T09:00:00+09:00') },
  { name: 'weekday 08:59 → same day 09:00', now: '2026-06-03T08:59:00+09:00', hours: CONTACT, expected: closedUntil('2026-06-03T09:00:00+09:00') },
  { name: 'weekday 00:00 → same day 09:00', now: '2026-06-03T00:00:00+09:00', hours: CONTACT, expected: closedUntil('2026-06-03T09:00:00+09:00') },
  { name: 'weekday 23:59 → next day 09:00', now: '2026-06-03T23:59:59+09:00', hours: CONTACT, expected: closedUntil('2026-06-04T09:00:00+09:00') },
  { name: 'Friday 17:30 → Monday 09:00', now: '2026-06-05T17:30:00+09:00', hours: CONTACT, expected: closedUntil('2026-06-08T09:00:00+09:00') },
  { name: 'Saturday noon → Monday 09:00', now: '2026-06-06T12:00:00+09:00', hours: CONTACT, expected: closedUntil('2026-06-08T09:00:00+09:00') },
  { name: 'Saturday 08:00 → Monday 09:00 (not Saturday 09:00)', now: '2026-06-06T08:00:00+09:00', hours: CONTACT, expected: closedUntil('2026-06-08T09:00:00+09:00') },
  { name: 'Sunday 10:00 → Monday 09:00', now: '2026-06-07T10:00:00+09:00', hours: CONTACT, expected: closedUntil('2026-06-08T09:00:00+09:00') },
  { name: 'Monday 09:30 is open', now: '2026-06-08T09:30:00+09:00', hours: CONTACT, expected: open },
  // 2026-11-23 (Monday) 勤労感謝の日.
  { name: 'public holiday 2026-11-23 (Mon) 10:00 → Tuesday 09:00', now: '2026-11-23T10:00:00+09:00', hours: CONTACT, expected: closedUntil('2026-11-24T09:00:00+09:00') },
  { name: 'public holiday 08:00 → next day, not the holiday itself', now: '2026-11-23T08:00:00+09:00', hours: CONTACT, expected: closedUntil('2026-11-24T09:00:00+09:00') },
  { name: 'Friday before the holiday weekend → Tuesday', now: '2026-11-20T18:00:00+09:00', hours: CONTACT, expected: closedUntil('2026-11-24T09:00:00+09:00') },
  // Golden Week 2026: 5/3 (Sun) 憲法記念日, 5/4 みどりの日, 5/5 こどもの日, 5/6 振替休日.
  { name: 'Golden Week: Friday 5/1 after hours → Thursday 5/7', now: '2026-05-01T17:00:00+09:00', hours: CONTACT, expected: closedUntil('2026-05-07T09:00:00+09:00') },
  // Silver Week 2026: 9/21 敬老の日, 9/22 国民の休日, 9/23 秋分の日.
  { name: 'Silver Week: Friday 9/18 after hours → Thursday 9/24', now: '2026-09-18T17:00:00+09:00', hours: CONTACT, expected: closedUntil('2026-09-24T09:00:00+09:00') },
  // New Year: company holidays 2026-12-29…31, 2027-01-02…03 (contact.yaml) and 2027-01-01 元日.
  { name: 'year end: 2026-12-28 17:00 → 2027-01-04 09:00', now: '2026-12-28T17:00:00+09:00', hours: CONTACT, expected: closedUntil('2027-01-04T09:00:00+09:00') },
  { name: 'year end: 2026-12-28 16:59 is still open', now: '2026-12-28T16:59:00+09:00', hours: CONTACT, expected: open },
  { name: 'company holiday 2026-12-30 10:00 is closed → 2027-01-04', now: '2026-12-30T10:00:00+09:00', hours: CONTACT, expected: closedUntil('2027-01-04T09:00:00+09:00') },
  { name: 'New Year 2027-01-04 10:00 is open again', now: '2027-01-04T10:00:00+09:00', hours: CONTACT, expected: open },
  { name: 'without company holidays, 2026-12-28 17:00 → 2026-12-29', now: '2026-12-28T17:00:00+09:00', hours: NO_COMPANY_HOLIDAYS, expected: closedUntil('2026-12-29T09:00:00+09:00') },
  { name: 'without company holidays, 2026-12-29 10:00 is open', now: '2026-12-29T10:00:00+09:00', hours: NO_COMPANY_HOLIDAYS, expected: open },
  { name: 'without company holidays, 12-31 17:00 → 01-04 (元日 + weekend)', now: '2026-12-31T17:00:00+09:00', hours: NO_COMPANY_HOLIDAYS, expected: closedUntil('2027-01-04T09:00:00+09:00') },
  // A company holiday passed in addition (as COMPANY_HOLIDAYS does at run time).
  { name: 'extra company holiday 2026-06-04: Wednesday 17:30 → Friday', now: '2026-06-03T17:30:00+09:00', hours: hoursWith(['2026-06-04']), expected: closedUntil('2026-06-05T09:00:00+09:00') },
  { name: 'extra company holiday 2026-06-04: that day 10:00 is closed', now: '2026-06-04T10:00:00+09:00', hours: hoursWith(['2026-06-04']), expected: closedUntil('2026-06-05T09:00:00+09:00') },
  { name: 'extra company holiday on a Friday: → Monday', now: '2026-06-04T17:00:00+09:00', hours: hoursWith(['2026-06-05']), expected: closedUntil('2026-06-08T09:00:00+09:00') },
  // Instants given in UTC whose JST date is already the next day.
  { name: 'UTC Thursday 23:30 = JST Friday 08:30 → Friday 09:00', now: '2026-06-04T23:30:00Z', hours: CONTACT, expected: closedUntil('2026-06-05T09:00:00+09:00') },
  { name: 'UTC Sunday 23:59 = JST Monday 08:59 → Monday 09:00', now: '2026-06-07T23:59:00Z', hours: CONTACT, expected: closedUntil('2026-06-08T09:00:00+09:00') },
  { name: 'UTC Monday 00:00 = JST Monday 09:00 → open', now: '2026-06-08T00:00:00Z', hours: CONTACT, expected: open },
  { name: 'UTC Friday 15:00 = JST Saturday 00:00 → Monday', now: '2026-06-05T15:00:00Z', hours: CONTACT, expected: closedUntil('2026-06-08T09:00:00+09:00') },
  { name: 'UTC Friday 07:59 = JST Friday 16:59 → open', now: '2026-06-05T07:59:00Z', hours: CONTACT, expected: open },
  { name: 'UTC 2026-11-22 (Sun) 23:30 = JST holiday Monday 08:30 → Tuesday', now: '2026-11-22T23:30:00Z', hours: CONTACT, expected: closedUntil('2026-11-24T09:00:00+09:00') },
  { name: 'UTC 2026-12-31 15:00 = JST 2027-01-01 00:00 → 2027-01-04', now: '2026-12-31T15:00:00Z', hours: NO_COMPANY_HOLIDAYS, expected: closedUntil('2027-01-04T09:00:00+09:00') },
  { name: 'Los Angeles Sunday evening = JST Monday 10:00 → open', now: '2026-06-07T18:00:00-07:00', hours: CONTACT, expected: open },
];

describe('the company holidays of contact.yaml', () => {
  it('hold the year-end days this table relies on', () => {
    for (const d of ['2026-12-29', '2026-12-30', '2026-12-31', '2027-01-02', '2027-01-03']) expect(cc.companyHolidays).toContain(d);
    expect(cc.companyHolidays).not.toContain('2026-12-28');
    expect(cc.companyHolidays).not.toContain('2027-01-04');
    expect(cc.opens).toBe('09:00');
    expect(cc.closes).toBe('17:00');
  });
});

const ORIGINAL_TZ = process.env.TZ;
const results = new Map<string, (DeskStatus | string)[]>();
const ZONES = ['UTC', 'America/Los_Angeles', 'Asia/Tokyo'] as const;

describe.each(ZONES)('process time zone %s', (zone) => {
  beforeAll(() => {
    process.env.TZ = zone;
  });
  afterAll(() => {
    if (ORIGINAL_TZ === undefined) delete process.env.TZ;
    else process.env.TZ = ORIGINAL_TZ;
  });

  it('the time zone change is in effect (otherwise this group proves nothing)', () => {
    const offset = new Date('2026-06-08T01:00:00Z').getTimezoneOffset();
    expect(offset).toBe({ UTC: 0, 'America/Los_Angeles': 420, 'Asia/Tokyo': -540 }[zone]);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const now = new Date(c.now);
    const status = deskStatus(now, c.hours);
    expect(status).toEqual(c.expected);
    if (status.nextOpen !== null) {
      expect(status.nextOpen).toMatch(/^\d{4}-\d{2}-\d{2}T09:00:00\+09:00$/);
      const next = new Date(status.nextOpen);
      expect(next.getTime()).toBeGreaterThan(now.getTime());
      // The next opening is open, one minute before it is not.
      expect(deskStatus(next, c.hours).open).toBe(true);
      expect(deskStatus(new Date(next.getTime() - 60_000), c.hours).open).toBe(false);
    }
    const list = results.get(zone) ?? [];
    list.push(status);
    results.set(zone, list);
  });

  it('jstDate and isBusinessDay', () => {
    const extra = [jstDate(new Date('2026-06-04T23:30:00Z')), jstDate(new Date('2026-06-04T14:59:59Z')), jstDate(new Date('2026-12-31T15:00:00Z'))];
    expect(extra).toEqual(['2026-06-05', '2026-06-04', '2027-01-01']);
    expect(isBusinessDay('2026-06-05', CONTACT)).toBe(true);
    expect(isBusinessDay('2026-06-06', CONTACT)).toBe(false);
    expect(isBusinessDay('2026-06-07', CONTACT)).toBe(false);
    expect(isBusinessDay('2026-11-23', CONTACT)).toBe(false);
    expect(isBusinessDay('2026-12-29', CONTACT)).toBe(false);
    expect(isBusinessDay('2026-12-29', NO_COMPANY_HOLIDAYS)).toBe(true);
    expect(isBusinessDay('2027-01-01', NO_COMPANY_HOLIDAYS)).toBe(false);
    const list = results.get(zone) ?? [];
    list.push(...extra);
    results.set(zone, list);
  });
});

describe('independence from the process time zone', () => {
  it('every zone gave identical results', () => {
    expect(process.env.TZ).toBe(ORIGINAL_TZ);
    const [first, ...rest] = ZONES.map((z) => results.get(z));
    expect(first).toHaveLength(CASES.length + 3);
    for (const r of rest) expect(r).toEqual(first);
  });
});
