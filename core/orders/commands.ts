/**
 * Commands on the order aggregate, as pure changes of a draft (repository.updateOrder commits
 * them). Each surface's mutation maps onto these: Centra cancelLines and Zonos orderItemUpdate are
 * the same cancelLineUnits (API-CONTRACT 6.6); addLines merges by SKU / (display, productSize).
 */
import { UserErrors } from "../errors.ts";
import type { Deps } from "../deps.ts";
import { lineQuantity, MAX_LINES, type Order, type OrderLine } from "./model.ts";
import { updateOrder, type Actor, type OrderChange, type OrderRef } from "./repository.ts";
import { newOrderLine, validateLine, type LineInput } from "./validate.ts";

const FINAL = new Set<Order["status"]>(["COMPLETED", "CANCELLED"]);

function userError(message: string, path: string[]): never {
  throw new UserErrors([{ message, path }]);
}

/** Adds lines; a line for a SKU (or display + productSize) already on the order gets more units. */
export function addLines(draft: Order, lines: Array<LineInput & { id?: number }>, newLineIds: () => number, path: string[] = ["addLines"]): OrderChange {
  if (FINAL.has(draft.status)) userError(`order ${draft.number} is ${draft.status.toLowerCase()}; lines can't be added`, path);
  lines.forEach((input, i) => {
    const line = validateLine(input, draft.currency, [...path, String(i)]);
    const same = (l: OrderLine) =>
      (line.productSizeId != null && l.productSizeId === line.productSizeId && l.displayId === line.displayId) ||
      (line.productSizeId == null && line.sku != null && l.sku === line.sku);
    const existing = draft.lines.find((l) => same(l) && l.unitPrice === line.unitPrice);
    if (existing) {
      existing.orderedQty += line.quantity;
      return;
    }
    if (draft.lines.length >= MAX_LINES) userError(`an order holds at most ${MAX_LINES} lines`, path);
    draft.lines.push(newOrderLine(line, newLineIds));
  });
  return { type: "LINES_ADDED", message: `${lines.length} line(s) added` };
}

/** Cancels units of a line that are not shipped yet (CL4 / Z4). */
export function cancelLineUnits(draft: Order, lineId: number, quantity: number, path: string[]): OrderChange | null {
  const line = draft.lines.find((l) => l.id === lineId);
  if (!line) userError(`line ${lineId} does not belong to order ${draft.number}`, [...path, "line", "id"]);
  if (!Number.isSafeInteger(quantity) || quantity < 0) userError("quantity must not be negative", [...path, "quantity"]);
  const cancellable = lineQuantity(line!) - line!.shippedQty;
  if (quantity > cancellable) userError(`line ${lineId} has ${cancellable} unshipped unit(s); can't cancel ${quantity}`, [...path, "quantity"]);
  if (quantity === 0) return null;
  line!.cancelledQty += quantity;
  return { type: "LINES_CANCELLED", message: `${quantity} unit(s) of line ${lineId} cancelled` };
}

export function setHold(draft: Order, isOnHold: boolean, reason: string | null): OrderChange | null {
  if (draft.isOnHold === isOnHold) return null;
  if (isOnHold && FINAL.has(draft.status)) userError(`order ${draft.number} is ${draft.status.toLowerCase()}; it can't be put on hold`, ["input", "isOnHold"]);
  draft.isOnHold = isOnHold;
  return { type: "HOLD_CHANGED", message: reason };
}

export function setLock(draft: Order, isLocked: boolean): OrderChange | null {
  if (draft.isLocked === isLocked) return null;
  draft.isLocked = isLocked;
  return { type: "LOCK_CHANGED", message: isLocked ? "locked" : "unlocked" };
}

/** Convenience for callers outside a mutation pipeline: add lines with ids from the counter. */
export async function addLinesToOrder(deps: Deps, orgId: number, ref: OrderRef, lines: LineInput[], actor: Actor, opts: { expectedVersion?: number } = {}): Promise<Order> {
  const fresh = lines.filter((l) => l.sku == null && l.productSizeId == null).length || lines.length;
  const first = await deps.db.nextId(orgId, "OrderLine", fresh);
  let next = first;
  return updateOrder(deps, orgId, ref, (draft) => addLines(draft, lines, () => next++), actor, opts);
}
