/** Demo data of the wholesale area (see core/demo/index.ts). */
import type { AreaSeed } from "./index.ts";

export const seedWholesaleDemo: AreaSeed = async () => {};
