/**
 * Permissions and cost, declared in the SDL and enforced by the host, not by each resolver:
 *   type Buyer @readAs(type: "Purchaser")            resolving any Buyer field uses Purchaser:read
 *   billingAddress: Address @requires(perm: "...")   resolving this field uses that permission
 *   createAccount(...): ... @requires(perm: "Account:write")
 * Before execution the operation (with the fragments it reaches, and nothing else) is walked once
 * to compute its cost and to check every permission it could use: a request missing one is
 * refused before any resolver runs. During execution each permission is recorded when first
 * exercised, which gives extensions.permissionsUsed in first-use order.
 */
import {
  defaultFieldResolver,
  getNamedType,
  getNullableType,
  isAbstractType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  type DirectiveNode,
  getOperationAST,
} from "graphql";
import { usePermission, type GraphQLContext } from "./context.ts";

export const ACCESS_DIRECTIVES = /* GraphQL */ `
  "Resolving any field of this type uses <type>:read."
  directive @readAs(type: String!) on OBJECT | INTERFACE
  "Resolving this field uses this permission (checked before execution)."
  directive @requires(perm: String!) on FIELD_DEFINITION
  "Cost of a list field when no first/last/limit argument bounds it (default 10)."
  directive @listCost(size: Int!) on FIELD_DEFINITION
`;

export interface AccessModel {
  typeRead: Map<string, string>;
  fieldPerm: Map<string, string>;
  listSize: Map<string, number>;
}

const DEFAULT_LIST_SIZE = 10;
const SIZE_ARGS = ["first", "last", "limit"];

function directiveArg(nodes: readonly DirectiveNode[] | undefined, name: string, arg: string): string | undefined {
  const node = nodes?.find((d) => d.name.value === name);
  const value = node?.arguments?.find((a) => a.name.value === arg)?.value;
  return value && (value.kind === Kind.STRING || value.kind === Kind.INT) ? value.value : undefined;
}

function typeDirectives(type: GraphQLNamedType): DirectiveNode[] {
  const nodes = [type.astNode, ...((type as { extensionASTNodes?: readonly { directives?: readonly DirectiveNode[] }[] }).extensionASTNodes ?? [])];
  return nodes.flatMap((n) => [...((n as { directives?: readonly DirectiveNode[] } | null | undefined)?.directives ?? [])]);
}

export function buildAccessModel(schema: GraphQLSchema): AccessModel {
  const model: AccessModel = { typeRead: new Map(), fieldPerm: new Map(), listSize: new Map() };
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith("__") || !(isObjectType(type) || isInterfaceType(type))) continue;
    const readAs = directiveArg(typeDirectives(type), "readAs", "type");
    if (readAs) model.typeRead.set(type.name, `${readAs}:read`);
    for (const field of Object.values(type.getFields())) {
      const perm = directiveArg(field.astNode?.directives, "requires", "perm");
      if (perm) model.fieldPerm.set(`${type.name}.${field.name}`, perm);
      const size = directiveArg(field.astNode?.directives, "listCost", "size");
      if (size) model.listSize.set(`${type.name}.${field.name}`, Number(size));
    }
  }
  return model;
}

/** Wraps resolvers so every exercised permission is checked and recorded. */
export function applyAccessModel(schema: GraphQLSchema, model: AccessModel): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith("__") || !isObjectType(type)) continue;
    const typePerm = model.typeRead.get(type.name) ?? interfacePerm(type.getInterfaces().map((i) => i.name), model);
    for (const field of Object.values(type.getFields()) as GraphQLField<unknown, GraphQLContext>[]) {
      const fieldPerm = model.fieldPerm.get(`${type.name}.${field.name}`) ?? interfaceFieldPerm(type.getInterfaces().map((i) => i.name), field.name, model);
      if (!typePerm && !fieldPerm) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, ctx, info) => {
        if (typePerm) usePermission(ctx, typePerm);
        if (fieldPerm) usePermission(ctx, fieldPerm);
        return resolve(source, args, ctx, info);
      };
    }
  }
  return schema;
}

const interfacePerm = (names: string[], model: AccessModel) => names.map((n) => model.typeRead.get(n)).find(Boolean);
const interfaceFieldPerm = (names: string[], field: string, model: AccessModel) => names.map((n) => model.fieldPerm.get(`${n}.${field}`)).find(Boolean);

export interface OperationAnalysis {
  operation: OperationDefinitionNode | null;
  complexity: number;
  /** Every permission the operation could exercise, in document order. */
  permissions: string[];
}

/**
 * Cost model: each field costs 1; a field's children cost is multiplied by its first/last/limit
 * argument, or, for a list field without one, by its @listCost size (default 10). Lists of a
 * Connection or Edge type are already bounded by the connection field's argument.
 */
export function analyzeOperation(
  schema: GraphQLSchema,
  model: AccessModel,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): OperationAnalysis {
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation) return { operation: null, complexity: 0, permissions: [] };
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const permissions = new Set<string>();
  const root = schema.getRootType(operation.operation);
  if (!root) return { operation, complexity: 0, permissions: [] };

  const sizeArg = (value: ValueNode | undefined): number | undefined => {
    if (!value) return undefined;
    if (value.kind === Kind.INT) return Number(value.value);
    if (value.kind === Kind.VARIABLE) {
      const v = variables?.[value.name.value];
      return typeof v === "number" ? v : undefined;
    }
    return undefined;
  };

  const walk = (selectionSet: SelectionSetNode, parent: GraphQLNamedType, seen: Set<string>): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || seen.has(name)) continue;
        const type = schema.getType(fragment.typeCondition.name.value);
        if (type) cost += walk(fragment.selectionSet, type, new Set([...seen, name]));
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (type) cost += walk(selection.selectionSet, type, seen);
        continue;
      }
      const name = selection.name.value;
      if (name.startsWith("__") || !(isObjectType(parent) || isInterfaceType(parent))) continue;
      const field = parent.getFields()[name];
      if (!field) continue;
      const typePerm = model.typeRead.get(parent.name) ?? (isObjectType(parent) ? interfacePerm(parent.getInterfaces().map((i) => i.name), model) : undefined);
      if (typePerm) permissions.add(typePerm);
      const fieldPerm =
        model.fieldPerm.get(`${parent.name}.${name}`) ?? (isObjectType(parent) ? interfaceFieldPerm(parent.getInterfaces().map((i) => i.name), name, model) : undefined);
      if (fieldPerm) permissions.add(fieldPerm);
      if (isAbstractType(getNamedType(field.type)) && !selection.selectionSet) continue;
      let multiplier = 1;
      const explicit = SIZE_ARGS.map((a) => sizeArg(selection.arguments?.find((arg) => arg.name.value === a)?.value)).find((v) => v !== undefined);
      if (explicit !== undefined) multiplier = Math.max(1, explicit);
      else if (isListType(getNullableType(field.type)) && !/(Connection|Edge)$/.test(parent.name)) multiplier = model.listSize.get(`${parent.name}.${name}`) ?? DEFAULT_LIST_SIZE;
      const child = getNamedType(field.type);
      const childCost = selection.selectionSet ? walk(selection.selectionSet, child, seen) : 0;
      cost += 1 + multiplier * childCost;
    }
    return cost;
  };
  const complexity = walk(operation.selectionSet, root, new Set());
  return { operation, complexity, permissions: [...permissions] };
}
