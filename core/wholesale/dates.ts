/**
 * Calendar dates of the wholesale surface. Preorder ranges are inclusive calendar dates
 * (API-CONTRACT I-44), stored as "Y-m-d" and rendered as local midnight with the organization's
 * offset ("2022-08-01" in Europe/Stockholm → "2022-08-01T00:00:00+02:00"), using Intl only.
 */

const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written "Y-m-d" (rejects 2022-02-30, 2022-13-01, 22-1-1). */
export function isCalendarDate(value: string): boolean {
  const m = YMD.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** Offset of a time zone at an instant, in minutes east of UTC. */
export function offsetMinutes(timeZone: string, instant: number): number {
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" });
    offsetFormats.set(timeZone, format);
  }
  const name = format.formatToParts(new Date(instant)).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!m) return 0; // "GMT" alone: UTC
  return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

const formatOffset = (minutes: number) => {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
};

/**
 * "Y-m-d" → the ISO date-time of local midnight in `timeZone`, with that instant's offset.
 * Where midnight does not exist (a DST jump at 00:00), the first instant of the day is returned
 * with the offset in force then (e.g. "T01:00:00-03:00").
 */
export function localMidnight(date: string, timeZone: string): string {
  if (!isCalendarDate(date)) throw new RangeError(`not a Y-m-d date: ${date}`);
  const [y, mo, d] = date.split("-").map(Number) as [number, number, number];
  const wallAsUtc = Date.UTC(y, mo - 1, d);
  // Two passes settle the offset: the guess uses the offset at UTC midnight, the second the
  // offset at the candidate instant (they differ only around a DST change).
  let instant = wallAsUtc - offsetMinutes(timeZone, wallAsUtc) * 60_000;
  instant = wallAsUtc - offsetMinutes(timeZone, instant) * 60_000;
  const offset = offsetMinutes(timeZone, instant);
  const wall = new Date(instant + offset * 60_000);
  if (wall.getUTCDate() !== d) {
    // Midnight was skipped: the day starts at the transition; find it to the minute.
    let lo = instant;
    let hi = instant + 3 * 3_600_000;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      const localDay = new Date(mid + offsetMinutes(timeZone, mid) * 60_000).getUTCDate();
      if (localDay === d) hi = mid;
      else lo = mid;
    }
    return isoLocal(hi, timeZone);
  }
  return isoLocal(instant, timeZone);
}

/** An instant rendered in `timeZone` as "Y-m-dTH:i:s±hh:mm". */
export function isoLocal(instant: number, timeZone: string): string {
  const offset = offsetMinutes(timeZone, instant);
  const wall = new Date(instant + offset * 60_000).toISOString().slice(0, 19);
  return `${wall}${formatOffset(offset)}`;
}

/** Today's calendar date in a time zone ("Y-m-d"). */
export function todayIn(timeZone: string, now: Date): string {
  return isoLocal(now.getTime(), timeZone).slice(0, 10);
}
