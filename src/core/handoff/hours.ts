// Is the call center open, and when does it open next? Always in Japan time, whatever the
// server's time zone: dates are computed from UTC + 9 h (Japan has no daylight saving) and
// the holiday table is read by its "YYYY-MM-DD" keys, never through a local-time Date.
import holidayJp from '@holiday-jp/holiday_jp';

const JST_OFFSET_MS = 9 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

export interface BusinessHours {
  opens: string; // "09:00"
  closes: string; // "17:00"
  companyHolidays: ReadonlySet<string>;
}

export interface DeskStatus {
  open: boolean;
  /** ISO 8601 with +09:00 when closed; null while open. */
  nextOpen: string | null;
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

/** JST calendar date "YYYY-MM-DD" of an instant. */
export function jstDate(instant: Date): string {
  return new Date(instant.getTime() + JST_OFFSET_MS).toISOString().slice(0, 10);
}

export function isBusinessDay(date: string, hours: BusinessHours): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  if (date in holidayJp.holidays) return false;
  return !hours.companyHolidays.has(date);
}

export function deskStatus(now: Date, hours: BusinessHours): DeskStatus {
  const jst = new Date(now.getTime() + JST_OFFSET_MS);
  const today = jst.toISOString().slice(0, 10);
  const minuteOfDay = jst.getUTCHours() * 60 + jst.getUTCMinutes();
  const opens = minutes(hours.opens);
  if (isBusinessDay(today, hours) && minuteOfDay >= opens && minuteOfDay < minutes(hours.closes)) {
    return { open: true, nextOpen: null };
  }
  // Today still counts when it is a business day and opening time has not come yet.
  let day = minuteOfDay < opens ? today : nextDate(today);
  for (let i = 0; i < 60 && !isBusinessDay(day, hours); i++) day = nextDate(day);
  return { open: false, nextOpen: `${day}T${hours.opens}:00+09:00` };
}

function nextDate(date: string): string {
  return new Date(new Date(`${date}T00:00:00Z`).getTime() + DAY_MS).toISOString().slice(0, 10);
}
