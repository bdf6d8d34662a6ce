// Who may order (rule 2, docs/accept.md): a user who exists, and is active.
import { notLoggedIn, unauthorised } from "../errors.ts";
import type { User } from "./entities.ts";
import { UserStatus } from "./statuses.ts";

/** A token whose user is gone is not logged in (1001); one awaiting review or banned may not order (1002). */
export function assertBuyer(buyer: User | undefined): asserts buyer is User {
  if (!buyer) throw notLoggedIn();
  if (buyer.status !== UserStatus.active) throw unauthorised();
}
