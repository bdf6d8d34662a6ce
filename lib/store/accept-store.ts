// The accept's store (lib/accept/store.ts) on DynamoDB: one per request, bound to its abort signal.
import type { AcceptStore } from "../accept/store.ts";
import { writeAcceptance } from "./acceptance.ts";
import * as stock from "./coupon-stock.ts";
import type { Db } from "./db.ts";
import * as reads from "./reads.ts";

export function dynamoAcceptStore(db: Db): AcceptStore {
  return {
    readUser: (id) => reads.readUser(db, id),
    readUserGroup: (id) => reads.readUserGroup(db, id),
    readGoods: (id) => reads.readGoods(db, id),
    readCoupon: (id) => reads.readCoupon(db, id),
    readAddress: (userId, id) => reads.readAddress(db, userId, id),
    readQuotation: (userId, id) => reads.readQuotation(db, userId, id),
    readVoucher: (userId, id) => reads.readVoucher(db, userId, id),
    findLiveQuotations: (userId, goodsId) => reads.findLiveQuotations(db, userId, goodsId),
    findVouchersByCode: (userId, code) => reads.findVouchersByCode(db, userId, code),
    hasCouponUse: (couponId, userId) => reads.hasCouponUse(db, couponId, userId),
    readOrder: (orderNumber) => reads.readOrder(db, orderNumber),
    takeTicket: (couponId, cap, now) => stock.takeTicket(db, couponId, cap, now),
    holdUnit: (hold) => stock.holdUnit(db, hold),
    findUnheld: (couponId, range) => stock.findUnheld(db, couponId, range),
    adoptLost: (hold) => stock.adoptLost(db, hold),
    dropHold: (hold) => stock.dropHold(db, hold),
    releaseHold: (hold) => stock.releaseHold(db, hold),
    readHolds: (couponId) => stock.readHolds(db, couponId),
    reletHold: (was, to) => stock.reletHold(db, was, to),
    markSoldOut: (coupon) => stock.markSoldOut(db, coupon),
    writeAcceptance: (plan) => writeAcceptance(db, plan),
  };
}
