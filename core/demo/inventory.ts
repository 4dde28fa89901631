/** Demo data of the inventory area (see core/demo/index.ts). */
import type { AreaSeed } from "./index.ts";

export const seedInventoryDemo: AreaSeed = async () => {};
