/**
 * The schema's modules, in one list. A new area adds its module here (and nowhere else).
 */
import { baseModule } from "./base.ts";
import { sharedTypesModule } from "./shared-types.ts";
import { tenancyModule } from "../auth/graphql.ts";
import { inventoryModule } from "../inventory/graphql.ts";
import { ordersModule } from "../orders/graphql.ts";
import { wholesaleModule } from "../wholesale/graphql.ts";
import type { GraphQLModule } from "./module.ts";

export const modules: GraphQLModule[] = [baseModule, sharedTypesModule, tenancyModule, inventoryModule, ordersModule, wholesaleModule];
