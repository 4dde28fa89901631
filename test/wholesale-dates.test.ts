import { describe, expect, it } from "vitest";
import { isCalendarDate, isoLocal, localMidnight, todayIn } from "../core/wholesale/dates.ts";

describe("wholesale calendar dates", () => {
  it("renders Y-m-d as local midnight with the DST-aware offset (seed 002's preorder dates)", () => {
    expect(localMidnight("2022-08-01", "Europe/Stockholm")).toBe("2022-08-01T00:00:00+02:00");
    expect(localMidnight("2022-10-31", "Europe/Stockholm")).toBe("2022-10-31T00:00:00+01:00");
    // The DST change days themselves (2022-03-27 and 2022-10-30 change at 02:00/03:00, after midnight).
    expect(localMidnight("2022-03-27", "Europe/Stockholm")).toBe("2022-03-27T00:00:00+01:00");
    expect(localMidnight("2022-10-30", "Europe/Stockholm")).toBe("2022-10-30T00:00:00+02:00");
    expect(localMidnight("2022-08-01", "America/New_York")).toBe("2022-08-01T00:00:00-04:00");
    expect(localMidnight("2022-08-01", "UTC")).toBe("2022-08-01T00:00:00+00:00");
    expect(localMidnight("2022-08-01", "Asia/Kolkata")).toBe("2022-08-01T00:00:00+05:30");
  });

  it("starts a day at the DST jump when midnight does not exist", () => {
    // Santiago skipped 2022-09-11 00:00 (clocks went to 01:00, -04:00 → -03:00).
    expect(localMidnight("2022-09-11", "America/Santiago")).toBe("2022-09-11T01:00:00-03:00");
  });

  it("accepts only real Y-m-d dates", () => {
    expect(isCalendarDate("2024-02-29")).toBe(true);
    for (const bad of ["2023-02-29", "2022-13-01", "2022-1-01", "22-01-01", "2022-01-01T00:00:00", ""]) expect(isCalendarDate(bad)).toBe(false);
    expect(() => localMidnight("2022-02-30", "UTC")).toThrow(RangeError);
  });

  it("renders instants and today's date in a zone", () => {
    const instant = Date.UTC(2022, 5, 23, 13, 47, 12);
    expect(isoLocal(instant, "Europe/Stockholm")).toBe("2022-06-23T15:47:12+02:00");
    expect(todayIn("Pacific/Auckland", new Date(Date.UTC(2022, 5, 23, 13, 0, 0)))).toBe("2022-06-24");
  });
});
