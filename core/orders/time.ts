/**
 * Date rendering per surface (API-CONTRACT 6.9): instants are stored as UTC ISO strings; Centra
 * shows them in the store's time zone with its offset ("2021-03-04T09:05:52+01:00"), Zonos in UTC
 * with "Z", and `orderDate(format:)` takes PHP date() tokens.
 */
interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Minutes east of UTC. */
  offset: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function zonedParts(iso: string, timeZone: string): ZonedParts {
  const date = new Date(iso);
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = formatter(timeZone).formatToParts(date);
  } catch {
    parts = formatter("UTC").formatToParts(date);
  }
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const p = { year: get("year"), month: get("month"), day: get("day"), hour: get("hour"), minute: get("minute"), second: get("second") };
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const offset = Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60000);
  return { ...p, offset, weekday: new Date(asUtc).getUTCDay() };
}

const two = (n: number) => String(n).padStart(2, "0");
const offsetText = (minutes: number, colon = true) => {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${two(Math.floor(abs / 60))}${colon ? ":" : ""}${two(abs % 60)}`;
};

/** "2021-03-04T09:05:52+01:00" in the given zone. */
export function isoInZone(iso: string, timeZone: string): string {
  const p = zonedParts(iso, timeZone);
  return `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}:${two(p.second)}${offsetText(p.offset)}`;
}

/** "2024-06-01T12:00:00Z". */
export const utcZ = (iso: string) => new Date(iso).toISOString().replace(/\.\d{3}Z$/, "Z");

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** PHP date() formatting of the common tokens; a backslash escapes the next character. */
export function phpDate(iso: string, timeZone: string, format: string): string {
  const p = zonedParts(iso, timeZone);
  let out = "";
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c === "\\") {
      out += format[++i] ?? "";
      continue;
    }
    switch (c) {
      case "Y": out += String(p.year); break;
      case "y": out += two(p.year % 100); break;
      case "m": out += two(p.month); break;
      case "n": out += String(p.month); break;
      case "M": out += MONTHS[p.month - 1]; break;
      case "d": out += two(p.day); break;
      case "j": out += String(p.day); break;
      case "D": out += DAYS[p.weekday]; break;
      case "H": out += two(p.hour); break;
      case "G": out += String(p.hour); break;
      case "i": out += two(p.minute); break;
      case "s": out += two(p.second); break;
      case "P": out += offsetText(p.offset); break;
      case "O": out += offsetText(p.offset, false); break;
      case "c": out += isoInZone(iso, timeZone); break;
      case "U": out += String(Math.floor(new Date(iso).getTime() / 1000)); break;
      default: out += c;
    }
  }
  return out;
}
