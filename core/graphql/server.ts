/**
 * The GraphQL host: one yoga instance per process. Cross-cutting concerns are plugins: graphql-armor
 * limits (depth, aliases, tokens, directives), authentication, cost and permission analysis before
 * execution, the relaxed validation the seeds need, and `extensions` on every response.
 */
import { createYoga, type Plugin, type YogaServerInstance } from "graphql-yoga";
import { GraphQLError, NoUnusedFragmentsRule, specifiedRules, type ExecutionResult } from "graphql";
import { EnvelopArmorPlugin } from "@escape.tech/graphql-armor";
import type { Deps } from "../deps.ts";
import { authenticate } from "../auth/api-keys.ts";
import { analyzeOperation, type AccessModel, type OperationAnalysis } from "./access.ts";
import { CODES, gqlError, maskError } from "./errors.ts";
import { buildSchema } from "./schema.ts";
import type { GraphQLContext, ServerContext } from "./context.ts";

export const LIMITS = { maxDepth: 15, maxAliases: 30, maxDirectives: 50, maxTokens: 250_000 } as const;

export type GraphQLServer = YogaServerInstance<ServerContext, GraphQLContext>;

export function createGraphQLServer(deps: Deps): GraphQLServer {
  const { schema, access } = buildSchema();
  return createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: "/graphql",
    graphiql: deps.config.local ? { title: "commerce-ops (local)", defaultQuery: "{ viewer { organization { id name sentera_id } permissions } }" } : false,
    landingPage: false,
    batching: false,
    // The body is whole and bounded before yoga sees it (the Lambda invocation payload limit, 6 MB,
    // enforced by AWS and by the local host's adapter); yoga's own limit would re-stream it through
    // a TransformStream on every request (about a tenth of the host's CPU under load, measured).
    maxRequestBodySize: false,
    maskedErrors: { maskError, isDev: false },
    // Unexpected errors are logged by maskError (with the request id); expected ones are answers.
    logging: false,
    plugins: [
      EnvelopArmorPlugin({
        maxDepth: { n: LIMITS.maxDepth },
        maxAliases: { n: LIMITS.maxAliases },
        maxDirectives: { n: LIMITS.maxDirectives },
        maxTokens: { n: LIMITS.maxTokens },
        // Cost is computed by our own analysis (access.ts), which also reports it in extensions.
        costLimit: { enabled: false },
        blockFieldSuggestion: { enabled: !deps.config.local },
      }),
      authentication(deps),
      allowUnusedFragments(),
      costAndPermissions(access, deps.config.maxComplexity),
      responseExtensions(deps.config.appVersion),
    ],
  });
}

/** Bearer API key on every GraphQL request; GraphiQL's page itself (local only) is public. */
function authentication(deps: Deps): Plugin<GraphQLContext, ServerContext> {
  return {
    async onRequest({ request, serverContext, endResponse, url }) {
      if (url.pathname !== "/graphql") return;
      if (request.method === "GET" && deps.config.local && (request.headers.get("accept") ?? "").includes("text/html")) return;
      const header = request.headers.get("authorization") ?? "";
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const principal = match ? await authenticate(deps, match[1]) : null;
      if (!principal) {
        const body = {
          errors: [{ message: match ? "Invalid API key" : "Missing API key: send Authorization: Bearer <key>", extensions: { code: CODES.unauthenticated } }],
          extensions: { complexity: 0, permissionsUsed: [], appVersion: deps.config.appVersion },
        };
        endResponse(
          new Response(JSON.stringify(body), {
            status: 401,
            headers: { "content-type": "application/json", "www-authenticate": 'Bearer realm="graphql"', "x-request-id": serverContext.state.requestId },
          }),
        );
        return;
      }
      serverContext.state.principal = principal;
    },
  };
}

/**
 * The seeds append shared fragments to every example (API-CONTRACT 1.9 item 10), so the one
 * validation rule that rejects an unused fragment is dropped; every other rule stays.
 */
function allowUnusedFragments(): Plugin<GraphQLContext> {
  return {
    onValidate({ setValidationFn, validateFn }) {
      setValidationFn((schema, document, rules, typeInfo, options) =>
        validateFn(schema, document, (rules ?? specifiedRules).filter((rule: unknown) => rule !== NoUnusedFragmentsRule), typeInfo, options),
      );
    },
  };
}

function costAndPermissions(access: AccessModel, maxComplexity: number): Plugin<GraphQLContext> {
  // yoga caches parsed documents, so a repeated query arrives as the same object: its analysis is
  // reused unless variables could change the cost.
  const cache = new WeakMap<object, Map<string, OperationAnalysis>>();
  const analyze = (args: Parameters<typeof analyzeOperation>) => {
    const [, , document, operationName, variables] = args;
    if (variables && Object.keys(variables).length > 0) return analyzeOperation(...args);
    let byName = cache.get(document);
    if (!byName) cache.set(document, (byName = new Map()));
    const key = operationName ?? "";
    let analysis = byName.get(key);
    if (!analysis) byName.set(key, (analysis = analyzeOperation(...args)));
    return analysis;
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const ctx = args.contextValue as GraphQLContext;
      const analysis = analyze([args.schema, access, args.document, args.operationName, args.variableValues]);
      ctx.state.complexity = analysis.complexity;
      if (analysis.complexity > maxComplexity) {
        setResultAndStopExecution({
          errors: [gqlError(CODES.tooComplex, `Query cost ${analysis.complexity} exceeds the maximum of ${maxComplexity}; ask for fewer fields or smaller pages`, { complexity: analysis.complexity, maximum: maxComplexity })],
        });
        return;
      }
      const grants = ctx.state.principal?.grants;
      const missing = analysis.permissions.filter((p) => !grants?.allows(p));
      if (missing.length > 0) {
        setResultAndStopExecution({
          errors: [gqlError(CODES.forbidden, `Missing permission${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`, { permissions: missing, permission: missing[0] })],
        });
      }
    },
  };
}

/** extensions { complexity permissionsUsed appVersion } on every response (API-CONTRACT 1.1). */
function responseExtensions(appVersion: string): Plugin<GraphQLContext, ServerContext> {
  return {
    onResultProcess({ result, setResult, serverContext }) {
      if (Array.isArray(result) || Symbol.asyncIterator in (result as object)) return;
      const single = result as ExecutionResult;
      const state = serverContext.state;
      setResult({
        ...single,
        extensions: { ...(single.extensions ?? {}), complexity: state.complexity, permissionsUsed: [...state.permissionsUsed], appVersion },
      });
    },
    onResponse({ response, serverContext }) {
      const state = (serverContext as Partial<ServerContext> | undefined)?.state;
      if (state) response.headers.set("x-request-id", state.requestId);
    },
  };
}

export { GraphQLError };
