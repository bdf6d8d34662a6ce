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
