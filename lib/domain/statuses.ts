// The status numbers of AnqiCMS's tables, named once: the rules, the stored schemas and the
// transaction's conditions all say them by name.

// Listed in ascending order: a fixture's picklist message names them so.
export const QuotationStatus = {
  cancelled: -1,
  pending: 0,
  communicating: 1,
  quoted: 2,
  accepted: 3,
  rejected: 4,
} as const;

/** A user may order when active; 0 awaits review, -1 is banned. */
export const UserStatus = { active: 1 } as const;

export const GoodsStatus = { published: 1 } as const;

export const CouponStatus = { active: 1 } as const;

export const VoucherStatus = { void: -1, unused: 0, used: 1 } as const;

/** What the accept writes: an order awaiting payment, its line in force, commissions not yet settled. */
export const OrderStatus = { awaitingPayment: 0 } as const;
export const OrderDetailStatus = { active: 1 } as const;
export const CommissionStatus = { unsettled: 0 } as const;

/** 1: yes, 0: no, as AnqiCMS's flag columns hold them (public, is_retailer, allow_self…). */
export const Flag = { no: 0, yes: 1 } as const;
