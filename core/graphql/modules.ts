/**
 * The schema's modules, in one list. A new area adds its module here (and nowhere else).
 */
import { baseModule } from "./base.ts";
import { tenancyModule } from "../auth/graphql.ts";
import type { GraphQLModule } from "./module.ts";

export const modules: GraphQLModule[] = [baseModule, tenancyModule];
