/** Demo data of the orders area (see core/demo/index.ts). */
import type { AreaSeed } from "./index.ts";

export const seedOrdersDemo: AreaSeed = async () => {};
