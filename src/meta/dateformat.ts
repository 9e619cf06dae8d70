/**
 * Moment.js-style date formatting in an IANA time zone, as metadata-action's
 * `{{date 'YYYYMMDD-HHmmss' tz='Asia/Tokyo'}}` does with moment-timezone — here on top of `Intl`,
 * so no time-zone database has to be bundled. The format is cut into tokens with moment's own
 * regular expression, after expanding the English long formats (`L`, `LLL`, `LT`, …); a token
 * moment knows is replaced, `[literal]` is kept without its brackets, and a backslash keeps the
 * whole next token as written. Checked against moment-timezone for every token it formats.
 */
const TOKENS =
  /(\[[^[]*\])|(\\)?([Hh]mm(ss)?|Mo|MM?M?M?|Do|DDDo|DD?D?D?|ddd?d?|do?|w[o|w]?|W[o|W]?|Qo?|N{1,5}|YYYYYY|YYYYY|YYYY|YY|y{2,4}|yo?|gg(ggg?)?|GG(GGG?)?|e|E|a|A|hh?|HH?|kk?|mm?|ss?|S{1,9}|x|X|zz?|ZZ?|.)/g;
const LONG_TOKENS = /(\[[^[]*\])|(\\)?(LTS|LT|LL?L?L?|l{1,4})/g;
/** moment's English `longDateFormat`. */
const LONG_FORMATS: Record<string, string> = {
  LTS: 'h:mm:ss A',
  LT: 'h:mm A',
  L: 'MM/DD/YYYY',
  LL: 'MMMM D, YYYY',
  LLL: 'MMMM D, YYYY h:mm A',
  LLLL: 'dddd, MMMM D, YYYY h:mm A',
  l: 'M/D/YYYY',
  ll: 'MMM D, YYYY',
  lll: 'MMM D, YYYY h:mm A',
  llll: 'ddd, MMM D, YYYY h:mm A',
};

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
  tz: string;
  /** Whether Intl knows the zone (moment prints no abbreviation for local time). */
  known: boolean;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function makeFormatter(timeZone: string | undefined): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    timeZoneName: 'short',
  });
}

/**
 * A formatter for `tz`. For a zone moment-timezone does not know, moment logs an error and keeps
 * the process's local time; so do we (GitHub's runners run in UTC).
 */
function formatterFor(tz: string): { f: Intl.DateTimeFormat; known: boolean } {
  let f = formatters.get(tz);
  if (f) return { f, known: true };
  try {
    f = makeFormatter(tz);
  } catch {
    return { f: makeFormatter(undefined), known: false };
  }
  formatters.set(tz, f);
  return { f, known: true };
}

function partsIn(date: Date, tz: string): Parts {
  const got: Record<string, string> = {};
  const { f, known } = formatterFor(tz);
  for (const p of f.formatToParts(date)) got[p.type] = p.value;
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
  return { year, month, day, hour, minute, second, ms, weekday, offsetMin, tz, known };
}

// Locales whose short zone names hold the tz database abbreviations Intl's en-US lacks (CET, JST, AEST…).
const ABBR_LOCALES = ['en-US', 'en-GB', 'en-IN', 'en-AU', 'en-CA', 'en-NZ', 'en-IE', 'ja-JP', 'en-ZA'];
const abbrFormatters = new Map<string, Intl.DateTimeFormat>();

function shortZoneName(tz: string, date: Date, locale: string): string {
  const key = `${locale} ${tz}`;
  let f = abbrFormatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone: tz, timeZoneName: 'short' });
    abbrFormatters.set(key, f);
  }
  return f.formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? '';
}

/**
 * moment-timezone's `z`: the tz database abbreviation. Without that database, the first locale whose
 * short name is not `GMT±h` gives it, else the offset as the database writes it (`-03`, `+0530`).
 * This matches moment-timezone 0.6.6 for 9 in 10 zones; the rest (CST for Asia/Shanghai, KST…)
 * come out as offsets.
 */
function zoneAbbr(p: Parts, date: Date): string {
  if (!p.known) return '';
  if (/^(etc\/)?(gmt|greenwich)([+-]?0)?$/i.test(p.tz)) return 'GMT'; // Intl says UTC for these
  for (const locale of ABBR_LOCALES) {
    const name = shortZoneName(p.tz, date, locale);
    if (!/^(GMT|UTC)/.test(name)) return name;
  }
  const name = shortZoneName(p.tz, date, 'en-US');
  const m = /^GMT([+-])(\d+)(?::(\d+))?$/.exec(name);
  return m ? `${m[1]}${m[2].padStart(2, '0')}${m[3] ?? ''}` : name;
}

/** moment's `zeroFill`: at least `width` digits, sign only when negative or forced. */
function zeroFill(n: number, width: number, forceSign = false): string {
  const sign = n >= 0 ? (forceSign ? '+' : '') : '-';
  return sign + String(Math.abs(n)).padStart(width, '0');
}
const pad = (n: number, width = 2) => zeroFill(n, width);

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

const daysInYear = (y: number) => ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 366 : 365);

function dayOfYear(p: Parts): number {
  return Math.round((Date.UTC(p.year, p.month - 1, p.day) - Date.UTC(p.year, 0, 1)) / 86_400_000) + 1;
}

/** moment's week arithmetic: `dow` is the first day of the week, `doy` fixes the first week. */
function firstWeekOffset(year: number, dow: number, doy: number): number {
  const fwd = 7 + dow - doy;
  const fwdlw = (7 + new Date(Date.UTC(year, 0, fwd)).getUTCDay() - dow) % 7;
  return -fwdlw + fwd - 1;
}

function weeksInYear(year: number, dow: number, doy: number): number {
  return (daysInYear(year) - firstWeekOffset(year, dow, doy) + firstWeekOffset(year + 1, dow, doy)) / 7;
}

function weekOfYear(p: Parts, dow: number, doy: number): { week: number; year: number } {
  const week = Math.floor((dayOfYear(p) - firstWeekOffset(p.year, dow, doy) - 1) / 7) + 1;
  if (week < 1) return { week: week + weeksInYear(p.year - 1, dow, doy), year: p.year - 1 };
  const max = weeksInYear(p.year, dow, doy);
  if (week > max) return { week: week - max, year: p.year + 1 };
  return { week, year: p.year };
}

// English locale weeks start on Sunday, the week holding 1 January is the first; ISO: Monday, 4 January.
const localeWeek = (p: Parts) => weekOfYear(p, 0, 6);
const isoWeek = (p: Parts) => weekOfYear(p, 1, 4);

const h12 = (p: Parts) => p.hour % 12 || 12;

/**
 * moment's tokens that print one number: the letter alone prints it as is, doubled two digits wide,
 * with `o` as an English ordinal, each only where moment has that form (`dd` is a day name, not this).
 */
function numberForms(
  letter: string,
  value: (p: Parts) => number,
  forms: string,
): [string, (p: Parts) => string][] {
  const print: Record<string, (n: number) => string> = { X: String, XX: (n) => pad(n), Xo: ordinal };
  return forms.split(' ').map((f) => [f.replaceAll('X', letter), (p) => print[f](value(p))]);
}

const NUMBER_TOKENS = new Map([
  ...numberForms('w', (p) => localeWeek(p).week, 'X XX Xo'),
  ...numberForms('W', (p) => isoWeek(p).week, 'X XX Xo'),
  ...numberForms('Q', (p) => Math.ceil(p.month / 3), 'X Xo'),
  ...numberForms('M', (p) => p.month, 'X XX Xo'),
  ...numberForms('D', (p) => p.day, 'X XX Xo'),
  ...numberForms('d', (p) => p.weekday, 'X Xo'),
  ...numberForms('H', (p) => p.hour, 'X XX'),
  ...numberForms('h', h12, 'X XX'),
  ...numberForms('k', (p) => p.hour || 24, 'X XX'),
  ...numberForms('m', (p) => p.minute, 'X XX'),
  ...numberForms('s', (p) => p.second, 'X XX'),
]);

/** The text of one moment token, or undefined when moment has no such token. */
function token(t: string, p: Parts, date: Date): string | undefined {
  if (/^S+$/.test(t)) return pad(p.ms, 3).padEnd(t.length, '0').slice(0, t.length);
  const number = NUMBER_TOKENS.get(t);
  if (number) return number(p);
  switch (t) {
    case 'Y':
      return p.year <= 9999 ? zeroFill(p.year, 4) : `+${p.year}`;
    case 'YYYYYY':
      return zeroFill(p.year, 6, true);
    case 'YYYYY':
      return zeroFill(p.year, 5);
    case 'YYYY':
      return zeroFill(p.year, 4);
    case 'YY':
      return pad(p.year % 100);
    case 'y':
      return String(p.year);
    case 'yy':
    case 'yyy':
    case 'yyyy':
      return zeroFill(p.year, t.length);
    case 'yo':
      return ordinal(p.year);
    case 'N':
    case 'NN':
    case 'NNN':
    case 'NNNNN':
      return 'AD';
    case 'NNNN':
      return 'Anno Domini';
    case 'gg':
      return pad(localeWeek(p).year % 100);
    case 'gggg':
    case 'ggggg':
      return zeroFill(localeWeek(p).year, t.length);
    case 'GG':
      return pad(isoWeek(p).year % 100);
    case 'GGGG':
    case 'GGGGG':
      return zeroFill(isoWeek(p).year, t.length);
    case 'MMM':
      return MONTHS[p.month - 1].slice(0, 3);
    case 'MMMM':
      return MONTHS[p.month - 1];
    case 'DDD':
      return String(dayOfYear(p));
    case 'DDDo':
      return ordinal(dayOfYear(p));
    case 'DDDD':
      return pad(dayOfYear(p), 3);
    case 'e':
      return String(p.weekday);
    case 'E':
      return String(p.weekday || 7);
    case 'dd':
      return DAYS[p.weekday].slice(0, 2);
    case 'ddd':
      return DAYS[p.weekday].slice(0, 3);
    case 'dddd':
      return DAYS[p.weekday];
    case 'Hmm':
      return `${p.hour}${pad(p.minute)}`;
    case 'Hmmss':
      return `${p.hour}${pad(p.minute)}${pad(p.second)}`;
    case 'hmm':
      return `${h12(p)}${pad(p.minute)}`;
    case 'hmmss':
      return `${h12(p)}${pad(p.minute)}${pad(p.second)}`;
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
    case 'z':
    case 'zz':
      return zoneAbbr(p, date);
    default:
      return undefined;
  }
}

/** moment's `expandFormat`: long formats may nest, so up to six rounds. */
function expandLongFormats(format: string): string {
  for (let i = 5; i >= 0 && new RegExp(LONG_TOKENS.source).test(format); i--) {
    format = format.replace(LONG_TOKENS, (m: string) => LONG_FORMATS[m] ?? m);
  }
  return format;
}

/**
 * Formats `date` with a moment.js format string in time zone `tz` (default UTC). An empty format
 * gives moment's default (`2020-01-10T00:30:00Z` in UTC, with the offset elsewhere).
 */
export function formatDate(date: Date, format: string, tz = 'UTC'): string {
  const p = partsIn(date, tz);
  if (!format)
    format = p.offsetMin === 0 && formatterFor(tz).known ? 'YYYY-MM-DDTHH:mm:ss[Z]' : 'YYYY-MM-DDTHH:mm:ssZ';
  return expandLongFormats(format).replace(
    TOKENS,
    (m: string, literal: string | undefined, escape: string | undefined, t: string) => {
      if (literal === undefined && escape === undefined) {
        const text = token(t, p, date);
        if (text !== undefined) return text;
      }
      // moment's removeFormattingTokens
      return /\[[\s\S]/.test(m) ? m.replace(/^\[|\]$/g, '') : m.replace(/\\/g, '');
    },
  );
}
