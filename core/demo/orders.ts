/**
 * Demo data of the orders area (see core/demo/index.ts), created through the order domain code
 * under the identifiers the seed examples use:
 *  - seed 000: organization 3801 holds live orders (w9n9629… PROCESSING among them) and the
 *    tombstone of dfaxv57…. That order was migrated from the client's previous server, which had
 *    handed out the hash "nZ21khXOu5k96QNW" for it (one of the 15 hashes the example sends); the
 *    migration recorded it in the order's hash history, so the example's client is told about the
 *    deletion (API-CONTRACT I-1). The tombstone reports the order's last hash, as the contract asks.
 *  - seed 002: wholesale orders 3957 (id c8b6e87b…, line 17231), 39266, 39514 and 39515.
 *  - seed 003: the Zonos order order_4f52ec0e-… (AO-67890, item T123-BLUE).
 *  - a few orders of the descendant 3805 and of the unrelated 4100 (sync scope and tenancy).
 */
import type { AreaSeed } from "./index.ts";
import { createOrder, deleteOrder, updateOrder } from "../orders/repository.ts";
import { setLock } from "../orders/commands.ts";
import type { CreateOrderInput } from "../orders/validate.ts";

export const DEMO_ORDERS = {
  syncUpserted: "w9n9629_OD_8t8cAcme_CV_stag_877281e47_210503_085336",
  syncDeleted: "dfaxv57_OD_SHORT1_CV_stag_dc0d87d_170907_235328",
  /** The hash the example client holds for the deleted order (from the legacy server). */
  syncDeletedLegacyHash: "nZ21khXOu5k96QNW",
  wholesalePending: { number: 3957, id: "c8b6e87b1d9408f845a0440d226696df", lineId: 17231 },
  wholesaleOnHoldExample: 39266,
  wholesaleLocked: [39514, 39515],
  zonos: {
    uuid: "4f52ec0e-3467-11ed-b878-0242ac120002",
    itemUuid: "8659ec0e-3467-11ed-b878-0242ac120002",
    accountOrderNumber: "AO-67890",
    createdBy: "user_3258ec0e-3467-11ed-b878-0242ac120002",
  },
} as const;

const SYSTEM = null;
const WHOLESALE_REFS = { storeId: 2, marketId: 2, pricelistId: 21, b2bAccountId: 1, buyerId: 1256 };

const centraAddress = {
  firstName: "Johan",
  lastName: "Centra",
  address1: "Street 1",
  city: "City",
  zipCode: "11111",
  phoneNumber: "123456789",
  email: "johan@example.com",
  companyName: "CENTRA",
  attention: "Johan",
  countryCode: "SE",
};

const pioSym = { firstName: "Pio", lastName: "Sym", address1: "Sveavägen 1", city: "Stockholm", zipCode: "11157", countryCode: "SE" };

const bootLeg = (quantity: number) => ({ productName: "90's boot leg ", variantName: "Blue", size: "32", sku: "BOOTLEG-32", quantity, unitPrice: 1500, taxPercent: 0, currency: "SEK" });

export const seedOrdersDemo: AreaSeed = async (deps, { example, descendant, unrelated }) => {
  const wholesale = (number: number, extra: Partial<CreateOrderInput>): CreateOrderInput => ({
    channel: "WHOLESALE",
    currency: "SEK",
    number,
    status: "PROCESSING",
    lines: [bootLeg(1)],
    ...WHOLESALE_REFS,
    ...extra,
  });

  // seed 002
  await createOrder(
    deps,
    example,
    wholesale(3957, {
      uuid: "c8b6e87b-1d94-08f8-45a0-440d226696df",
      status: "PENDING",
      orderDate: "2021-03-04T09:05:52+01:00",
      createdAt: "2021-03-04T09:05:52+01:00",
      lines: [{ ...bootLeg(2), id: DEMO_ORDERS.wholesalePending.lineId, productId: 1, productVariantId: 1 }],
      discounts: [{ value: 30, currency: "SEK", date: "2021-03-04T09:05:52+01:00", reason: "Voucher" }],
      shippingAddress: centraAddress,
      billingAddress: centraAddress,
    }),
    SYSTEM,
  );
  await createOrder(deps, example, wholesale(39266, { shippingAddress: centraAddress, billingAddress: centraAddress }), SYSTEM);
  for (const number of DEMO_ORDERS.wholesaleLocked) {
    await createOrder(deps, example, wholesale(number, { shippingAddress: pioSym, billingAddress: pioSym }), SYSTEM);
  }

  // seed 003
  await createOrder(
    deps,
    example,
    {
      channel: "DIRECT_TO_CONSUMER",
      currency: "USD",
      uuid: DEMO_ORDERS.zonos.uuid,
      accountOrderNumber: DEMO_ORDERS.zonos.accountOrderNumber,
      createdAt: "2024-06-01T12:00:00Z",
      createdBy: DEMO_ORDERS.zonos.createdBy,
      lines: [{ uuid: DEMO_ORDERS.zonos.itemUuid, productName: "T-Shirt", sku: "T123-BLUE", quantity: 1, unitPrice: 19.99, currency: "USD" }],
    },
    SYSTEM,
  );

  // seed 000
  await createOrder(
    deps,
    example,
    {
      channel: "DIRECT_TO_CONSUMER",
      currency: "USD",
      senteraId: DEMO_ORDERS.syncUpserted,
      status: "PROCESSING",
      createdAt: "2021-05-03T08:53:36Z",
      lines: [{ productName: "Field sensor kit", sku: "FSK-100", quantity: 3, unitPrice: 249.5, currency: "USD" }],
      shippingAddress: { firstName: "Ada", lastName: "Field", address1: "1 Farm Road", city: "Fargo", stateOrProvince: "North Dakota", zipCode: "58102", countryCode: "US" },
    },
    SYSTEM,
  );
  const migrated = await createOrder(
    deps,
    example,
    {
      channel: "DIRECT_TO_CONSUMER",
      currency: "USD",
      senteraId: DEMO_ORDERS.syncDeleted,
      status: "CONFIRMED",
      createdAt: "2017-09-07T23:53:28Z",
      lines: [{ productName: "Short cable", sku: "SHORT-1", quantity: 1, unitPrice: 9.9, currency: "USD" }],
      legacyHashes: [DEMO_ORDERS.syncDeletedLegacyHash],
    },
    SYSTEM,
  );
  await updateOrder(deps, example.id, { id: migrated.uuid }, (draft) => setLock(draft, true), SYSTEM);
  await deleteOrder(deps, example.id, { id: migrated.uuid }, SYSTEM);

  // Descendant and unrelated organizations: only visible with include_descendant_organizations /
  // never visible to 3801.
  for (const [i, sku] of ["ACME-1", "ACME-2"].entries()) {
    await createOrder(
      deps,
      descendant,
      { channel: "DIRECT_TO_CONSUMER", currency: "SEK", status: i === 0 ? "CONFIRMED" : "PENDING", lines: [{ productName: `Acme part ${i + 1}`, sku, quantity: 2, unitPrice: 100, currency: "SEK" }] },
      SYSTEM,
    );
  }
  await createOrder(deps, unrelated, { channel: "DIRECT_TO_CONSUMER", currency: "USD", lines: [{ productName: "Other tenant", sku: "OTHER-1", quantity: 1, unitPrice: 5, currency: "USD" }] }, SYSTEM);
};
