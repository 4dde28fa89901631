/**
 * The organizations the seed examples refer to: the one of the sync_orders example (000), a
 * descendant of it, and an unrelated one. Their ids are the `Account:<n>` ids of seed 001.
 */
export const DEMO_ORGS = {
  example: {
    id: 3801,
    name: "Sentera Demo",
    senteraId: "ezpt0wj_OR_8brhbkSentera_CV_deve_877281e47_210503_085333",
    timeZone: "Europe/Stockholm",
  },
  descendant: {
    id: 3805,
    name: "Acme Field Services",
    senteraId: "k2m9x4q_OR_8t8cAcme_CV_deve_877281e47_210503_085334",
    timeZone: "Europe/Stockholm",
  },
  unrelated: {
    id: 4100,
    name: "Unrelated Retail",
    senteraId: "p7w3n8d_OR_Unrelated_CV_deve_877281e47_210503_085335",
    timeZone: "America/New_York",
  },
} as const;

export type DemoOrgKey = keyof typeof DEMO_ORGS;
