// Order numbers: created_time as yyyyMMddHHmmss in the site's time zone, then the id's last 4 digits.
// 1669212548 (Asia/Shanghai) with id 46 → "202211232209080046", as in the interface document.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function orderNumber(createdTime: number, id: number, timeZone: string): string {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(new Date(createdTime * 1000))
      .map((part) => [part.type, part.value]),
  );
  const stamp = `${parts.year}${parts.month}${parts.day}${parts.hour}${parts.minute}${parts.second}`;
  return stamp + String(id % 10_000).padStart(4, "0");
}

/** How many order numbers one second holds: the number's last four digits. */
export const SUFFIXES_PER_SECOND = 10_000;

/**
 * An order's id, from its second and a suffix (0–9999), with no counter: the site's local wall-clock
 * second (as if it were UTC) × 10,000 + the suffix. Its number is that second's stamp + the id's last 4
 * digits, so two orders share an id exactly when they share a number, and the Order put-if-absent on
 * the number makes both unique (a clash takes a new suffix). 2022-11-23 22:09:08 with suffix 46 →
 * 16692413480046, number 202211232209080046. Ids grow with time and stay below 2^53 for millennia.
 */
export function orderIdOf(createdTime: number, suffix: number, timeZone: string): number {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(new Date(createdTime * 1000))
      .map((part) => [part.type, Number(part.value)]),
  );
  const local =
    Date.UTC(
      parts.year as number,
      (parts.month as number) - 1,
      parts.day as number,
      parts.hour as number,
      parts.minute as number,
      parts.second as number,
    ) / 1000;
  return local * SUFFIXES_PER_SECOND + (suffix % SUFFIXES_PER_SECOND);
}

/**
 * One container's order-number suffixes: from a random start, one after another, so that a container
 * never clashes with itself within a second; after a clash (another container's number) it jumps to a
 * new random start, away from the other's run.
 */
export class SuffixSequence {
  readonly #random: () => number;
  #next: number | undefined;
  constructor(random: () => number) {
    this.#random = random;
  }
  take(): number {
    const suffix = this.#next ?? Math.floor(this.#random() * SUFFIXES_PER_SECOND) % SUFFIXES_PER_SECOND;
    this.#next = (suffix + 1) % SUFFIXES_PER_SECOND;
    return suffix;
  }
  jump(): void {
    this.#next = undefined;
  }
}
