import { UserError } from '../core/errors.js';

/**
 * Moment.js-style date formatting in an IANA time zone, as metadata-action's
 * `{{date 'YYYYMMDD-HHmmss' tz='Asia/Tokyo'}}` does with moment-timezone — here on top of `Intl`,
 * so no time-zone database has to be bundled. Tokens: YYYY YY Q M MM MMM MMMM Mo D DD Do DDD DDDD
 * d dd ddd dddd E e H HH h hh k kk m mm s ss S… A a X x Z ZZ z zz, `[literal]` and `\x` escapes.
 * Anything else is copied as is.
 */
const TOKENS =
  /\[([^\]]*)\]|\\(.)|(YYYY|YY|Qo?|MMMM|MMM|MM|Mo|M|DDDD|DDDo|DDD|Do|DD|D|dddd|ddd|dd|do|d|E|e|HH|H|hh|h|kk|k|mm|m|ss|s|S{1,9}|A|a|X|x|ZZ|Z|zz|z)/g;

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface Parts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
  weekday: number; // 0 = Sunday
  offsetMin: number; // minutes east of UTC
  zoneAbbr: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: tz,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        timeZoneName: 'short',
      });
    } catch {
      throw new UserError(`unknown time zone "${tz}" (expected an IANA name such as Europe/Paris)`);
    }
    formatters.set(tz, f);
  }
  return f;
}

function partsIn(date: Date, tz: string): Parts {
  const got: Record<string, string> = {};
  for (const p of formatterFor(tz).formatToParts(date)) got[p.type] = p.value;
  const year = Number(got.year);
  const month = Number(got.month);
  const day = Number(got.day);
  const hour = Number(got.hour) % 24;
  const minute = Number(got.minute);
  const second = Number(got.second);
  const ms = date.getUTCMilliseconds();
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const offsetMin = Math.round((asUtc - date.getTime()) / 60000);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  // moment-timezone prints zone abbreviations (JST, CET); Intl gives those for some zones, GMT+9 else.
  const zoneAbbr = tz.toUpperCase() === 'UTC' ? 'UTC' : (got.timeZoneName ?? '');
  return { year, month, day, hour, minute, second, ms, weekday, offsetMin, zoneAbbr };
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

function ordinal(n: number): string {
  const b = n % 10;
  const suffix =
    Math.floor((n % 100) / 10) === 1 ? 'th' : b === 1 ? 'st' : b === 2 ? 'nd' : b === 3 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

function offset(min: number, sep: string): string {
  const sign = min < 0 ? '-' : '+';
  return `${sign}${pad(Math.floor(Math.abs(min) / 60))}${sep}${pad(Math.abs(min) % 60)}`;
}

function dayOfYear(p: Parts): number {
  return Math.round((Date.UTC(p.year, p.month - 1, p.day) - Date.UTC(p.year, 0, 1)) / 86_400_000) + 1;
}

function token(t: string, p: Parts, date: Date): string {
  const h12 = p.hour % 12 || 12;
  const quarter = Math.ceil(p.month / 3);
  if (/^S+$/.test(t)) return pad(p.ms, 3).padEnd(t.length, '0').slice(0, t.length);
  switch (t) {
    case 'YYYY':
      return pad(p.year, 4);
    case 'YY':
      return pad(p.year % 100);
    case 'Q':
      return String(quarter);
    case 'Qo':
      return ordinal(quarter);
    case 'M':
      return String(p.month);
    case 'Mo':
      return ordinal(p.month);
    case 'MM':
      return pad(p.month);
    case 'MMM':
      return MONTHS[p.month - 1].slice(0, 3);
    case 'MMMM':
      return MONTHS[p.month - 1];
    case 'D':
      return String(p.day);
    case 'Do':
      return ordinal(p.day);
    case 'DD':
      return pad(p.day);
    case 'DDD':
      return String(dayOfYear(p));
    case 'DDDo':
      return ordinal(dayOfYear(p));
    case 'DDDD':
      return pad(dayOfYear(p), 3);
    case 'd':
    case 'e':
      return String(p.weekday);
    case 'do':
      return ordinal(p.weekday);
    case 'E':
      return String(p.weekday || 7);
    case 'dd':
      return DAYS[p.weekday].slice(0, 2);
    case 'ddd':
      return DAYS[p.weekday].slice(0, 3);
    case 'dddd':
      return DAYS[p.weekday];
    case 'H':
      return String(p.hour);
    case 'HH':
      return pad(p.hour);
    case 'h':
      return String(h12);
    case 'hh':
      return pad(h12);
    case 'k':
      return String(p.hour || 24);
    case 'kk':
      return pad(p.hour || 24);
    case 'm':
      return String(p.minute);
    case 'mm':
      return pad(p.minute);
    case 's':
      return String(p.second);
    case 'ss':
      return pad(p.second);
    case 'A':
      return p.hour < 12 ? 'AM' : 'PM';
    case 'a':
      return p.hour < 12 ? 'am' : 'pm';
    case 'X':
      return String(Math.floor(date.getTime() / 1000));
    case 'x':
      return String(date.getTime());
    case 'Z':
      return offset(p.offsetMin, ':');
    case 'ZZ':
      return offset(p.offsetMin, '');
    default: // z, zz
      return p.zoneAbbr;
  }
}

/** Formats `date` with a moment.js format string in time zone `tz` (default UTC). */
export function formatDate(date: Date, format: string, tz = 'UTC'): string {
  const p = partsIn(date, tz);
  return format.replace(TOKENS, (_m, literal: string | undefined, escaped: string | undefined, t: string) => {
    if (literal !== undefined) return literal;
    if (escaped !== undefined) return escaped;
    return token(t, p, date);
  });
}
