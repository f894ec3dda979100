/**
 * Shared types and helpers of the API constructs: the type-safe IntegrationBuilder, the
 * Lambda functions behind default integrations (Lambda Web Adapter, SnapStart, X-Ray,
 * log group, least-privilege role), the safe defaults every API gets (stage throttling,
 * timeouts, alarms, retained logs), checkov suppressions and the stack resource budget.
 *
 * Created by fastgen; yours to edit.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import {
  Annotations,
  AspectPriority,
  Aspects,
  CfnResource,
  Duration,
  RemovalPolicy,
  Stack,
  type IAspect,
} from 'aws-cdk-lib';
import type {
  Integration,
  MethodOptions,
} from 'aws-cdk-lib/aws-apigateway';
import { LambdaIntegration, ResponseTransferMode } from 'aws-cdk-lib/aws-apigateway';
import type { HttpRouteIntegration, IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  TreatMissingData,
  type IAlarmAction,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  Code,
  Function,
  LayerVersion,
  Runtime,
  SnapStartConf,
  Tracing,
  type FunctionProps,
  type IFunction,
  type Version,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct, IConstruct } from 'constructs';

/** Version of the Lambda Web Adapter layer (LambdaAdapterLayerX86 / LambdaAdapterLayerArm64, adapter v1.1.0). */
export const LAMBDA_WEB_ADAPTER_LAYER_VERSION = 30;
/** AWS account that publishes the Lambda Web Adapter layers. */
export const LAMBDA_WEB_ADAPTER_ACCOUNT = '753240598075';
/** Port the app listens on behind the adapter (`run.sh` reads `PORT`). */
export const APP_PORT = 8000;
/** Readiness path the app serves (always 200, not in the OpenAPI document). */
export const READINESS_CHECK_PATH = '/__health';
/**
 * What the Lambda Web Adapter (v1.1.0+) calls in each execution environment SnapStart
 * restores, before any request: the runtime re-seeds `random` and runs the API's
 * `after_restore` callbacks there. The adapter refuses it to outside callers.
 */
export const AFTER_RESTORE_PATH = '/__after_restore';
/** CloudFormation's limit of resources per stack. */
export const STACK_RESOURCE_LIMIT = 500;
/** Share of the limit from which the resource budget warning is emitted. */
export const STACK_RESOURCE_WARNING_RATIO = 0.8;

/**
 * Timeout of every default function. It stays below the integration's timeout (the function's
 * plus `INTEGRATION_TIMEOUT_MARGIN`: 29 s, the REST API default limit), so a slow request ends
 * with the function's own timeout, logged, rather than API Gateway giving up on a function
 * that keeps running (and billing) after the caller got a 504.
 */
export const DEFAULT_FUNCTION_TIMEOUT = Duration.seconds(28);
/** How much longer an integration waits for its function than the function may run. */
export const INTEGRATION_TIMEOUT_MARGIN = Duration.seconds(1);
/** The longest REST integration timeout: 15 minutes for STREAM integrations (29 s when buffered). */
export const REST_STREAM_INTEGRATION_TIMEOUT_LIMIT = Duration.minutes(15);
/** The longest HTTP API integration timeout. */
export const HTTP_INTEGRATION_TIMEOUT_LIMIT = Duration.seconds(30);
/**
 * Reserved concurrency of each default function of an API without auth (`--auth None`): a
 * public API's compute, and so its cost, stays bounded whatever the traffic. It is taken from
 * the account's regional pool (1,000 by default, of which Lambda keeps 100 unreserved); pass
 * `reservedConcurrentExecutions` with `withDefaultOptions` to change it, `undefined` to remove it.
 */
export const PUBLIC_API_RESERVED_CONCURRENCY = 10;

/** `isolated`: one Lambda function per operation; `shared`: one router function for all. */
export type IntegrationPattern = 'isolated' | 'shared';

/** One operation of the generated metadata (`OPERATION_DETAILS`). */
export interface OperationDetails {
  readonly path: string;
  readonly method: string;
}

/** The generated `OPERATION_DETAILS` of an API, keyed by operation name. */
export type OperationDetailsMap<TOperation extends string> = {
  readonly [K in TOperation]: OperationDetails;
};

/** An integration of one operation: the API Gateway integration and the method/route options. */
export interface ApiIntegration<TIntegration, TOptions> {
  readonly integration: TIntegration;
  readonly options?: TOptions;
}

/** A default integration: backed by a Lambda function whose published version API Gateway invokes. */
export interface DefaultApiIntegration<TIntegration, TOptions> extends ApiIntegration<TIntegration, TOptions> {
  /** The function (add permissions or environment here; a new version is published on change). */
  readonly handler: Function;
  /** The published version (SnapStart) that the integration invokes. */
  readonly version: Version;
}

/** Method options of a REST API operation. */
export type RestMethodOptions = MethodOptions;
/** An integration of a REST API operation. */
export type RestApiIntegration = ApiIntegration<Integration, RestMethodOptions>;
/** The default integration of a REST API operation (or of the shared `$router`). */
export type RestDefaultIntegration = DefaultApiIntegration<LambdaIntegration, RestMethodOptions>;
/** Every operation of a REST API mapped to its integration. */
export type RestApiIntegrations<TOperation extends string> = { readonly [K in TOperation]: RestApiIntegration };

/** Route options of an HTTP API operation. */
export interface HttpRouteOptions {
  /** Authorizer of this route (replaces the API's default). */
  readonly authorizer?: IHttpRouteAuthorizer;
  /** OAuth scopes the route requires (JWT / user pool authorizers). */
  readonly authorizationScopes?: string[];
}
/** An integration of an HTTP API operation. */
export type HttpApiIntegration = ApiIntegration<HttpRouteIntegration, HttpRouteOptions>;
/** The default integration of an HTTP API operation (or of the shared `$router`). */
export type HttpDefaultIntegration = DefaultApiIntegration<HttpLambdaIntegration, HttpRouteOptions>;
/** Every operation of an HTTP API mapped to its integration. */
export type HttpApiIntegrations<TOperation extends string> = { readonly [K in TOperation]: HttpApiIntegration };

/** Options of the Lambda functions behind default integrations (everything but code and handler). */
export type DefaultFunctionOptions = Partial<Omit<FunctionProps, 'code' | 'handler'>>;

/** Key of the shared router function in `integrations` (shared pattern only). */
export const ROUTER = '$router';
export type Router = typeof ROUTER;

// ---------------------------------------------------------------------------------------------
// IntegrationBuilder
// ---------------------------------------------------------------------------------------------

/** `T`, with every key outside `TAllowed` typed `never` (so an unknown key is a type error). */
export type OnlyKeys<T, TAllowed extends PropertyKey> = T & { readonly [K in Exclude<keyof T, TAllowed>]: never };

/** What `build()` returns: one entry per operation, plus `$router` for the shared pattern. */
export type BuiltIntegrations<
  TOperation extends string,
  TPattern extends IntegrationPattern,
  TDefault,
  TOverrides,
> = { readonly [K in TOperation]: K extends keyof TOverrides ? TOverrides[K] : TDefault } & (TPattern extends 'shared'
  ? { readonly $router: TDefault }
  : unknown);

export interface IntegrationBuilderProps<TOperation extends string, TPattern extends IntegrationPattern, TDefault> {
  /** `isolated` (one function per operation) or `shared` (one router function). */
  readonly pattern: TPattern;
  /** The generated `OPERATION_DETAILS`. */
  readonly operations: OperationDetailsMap<TOperation>;
  /** Options of every default function, before `withDefaultOptions`. */
  readonly defaultIntegrationOptions?: DefaultFunctionOptions;
  /**
   * Builds the default integration of one operation (isolated) or of the router (shared,
   * called once with `$router`).
   */
  readonly buildDefaultIntegration: (operation: TOperation | Router, options: DefaultFunctionOptions) => TDefault;
}

/**
 * Builds the integrations of an API: a default Lambda integration for every operation
 * (or one shared router), with options and overrides checked against the operations.
 */
export class IntegrationBuilder<
  TOperation extends string,
  TPattern extends IntegrationPattern,
  TBase,
  TDefault extends TBase,
  TOverrides = {}, // eslint-disable-line @typescript-eslint/no-empty-object-type
  TOptionOperations extends string = never,
> {
  /** A builder for a REST API (integrations `LambdaIntegration`, options `MethodOptions`). */
  public static rest<TOperation extends string, TPattern extends IntegrationPattern>(
    props: IntegrationBuilderProps<TOperation, TPattern, RestDefaultIntegration>,
  ): IntegrationBuilder<TOperation, TPattern, RestApiIntegration, RestDefaultIntegration> {
    return new IntegrationBuilder(props);
  }

  /** A builder for an HTTP API (integrations `HttpLambdaIntegration`, options `HttpRouteOptions`). */
  public static http<TOperation extends string, TPattern extends IntegrationPattern>(
    props: IntegrationBuilderProps<TOperation, TPattern, HttpDefaultIntegration>,
  ): IntegrationBuilder<TOperation, TPattern, HttpApiIntegration, HttpDefaultIntegration> {
    return new IntegrationBuilder(props);
  }

  private readonly props: IntegrationBuilderProps<TOperation, TPattern, TDefault>;
  private defaultOptions: DefaultFunctionOptions;
  private readonly overrides: { [operation: string]: TBase } = {};
  private readonly operationOptions: { [operation: string]: DefaultFunctionOptions } = {};
  // Phantom members: they carry the builder's type parameters.
  declare private readonly _overrides?: TOverrides;
  declare private readonly _optionOperations?: TOptionOperations;

  private constructor(props: IntegrationBuilderProps<TOperation, TPattern, TDefault>) {
    this.props = props;
    this.defaultOptions = { ...props.defaultIntegrationOptions };
  }

  /** Options for every default function (e.g. `{ vpc }`, `{ memorySize: 1024 }`). */
  public withDefaultOptions(options: DefaultFunctionOptions): this {
    this.defaultOptions = { ...this.defaultOptions, ...options };
    return this;
  }

  /**
   * Replaces the default integration of some operations. Each override needs an
   * `integration` and may carry `options` and any other property, which stays typed in
   * `api.integrations.<operation>`.
   */
  public withOverrides<TNew extends { readonly [K in Exclude<TOperation, TOptionOperations>]?: TBase }>(
    overrides: OnlyKeys<TNew, Exclude<TOperation, TOptionOperations>>,
  ): IntegrationBuilder<TOperation, TPattern, TBase, TDefault, Omit<TOverrides, keyof TNew> & TNew, TOptionOperations> {
    for (const [operation, integration] of Object.entries(overrides as { [operation: string]: TBase })) {
      this.assertOperation(operation);
      if (operation in this.operationOptions) {
        throw new Error(`Operation '${operation}' has per-operation options and cannot also be overridden.`);
      }
      this.overrides[operation] = integration;
    }
    return this as never;
  }

  /**
   * Options for the default functions of single operations (isolated pattern only),
   * merged over the default options. An overridden operation cannot have them.
   */
  public withOperationOptions<
    TNew extends { readonly [K in Exclude<TOperation, Extract<keyof TOverrides, string>>]?: DefaultFunctionOptions },
  >(
    this: IntegrationBuilder<TOperation, 'isolated', TBase, TDefault, TOverrides, TOptionOperations>,
    options: OnlyKeys<TNew, Exclude<TOperation, Extract<keyof TOverrides, string>>>,
  ): IntegrationBuilder<
    TOperation,
    'isolated',
    TBase,
    TDefault,
    TOverrides,
    TOptionOperations | Extract<keyof TNew, string>
  > {
    if (this.props.pattern !== 'isolated') {
      throw new Error('withOperationOptions applies to the isolated pattern only.');
    }
    for (const [operation, operationOptions] of Object.entries(options as { [operation: string]: DefaultFunctionOptions })) {
      this.assertOperation(operation);
      if (operation in this.overrides) {
        throw new Error(`Operation '${operation}' is overridden and cannot also have per-operation options.`);
      }
      this.operationOptions[operation] = { ...this.operationOptions[operation], ...operationOptions };
    }
    return this as never;
  }

  /** Creates the default integrations and returns every operation's integration. */
  public build(): BuiltIntegrations<TOperation, TPattern, TDefault, TOverrides> {
    const operations = Object.keys(this.props.operations) as TOperation[];
    const built: { [operation: string]: TBase } = {};
    if (this.props.pattern === 'shared') {
      const router = this.props.buildDefaultIntegration(ROUTER, { ...this.defaultOptions });
      for (const operation of operations) {
        built[operation] = this.overrides[operation] ?? router;
      }
      built[ROUTER] = router;
    } else {
      for (const operation of operations) {
        built[operation] =
          this.overrides[operation] ??
          this.props.buildDefaultIntegration(operation, {
            ...this.defaultOptions,
            ...this.operationOptions[operation],
          });
      }
    }
    return built as BuiltIntegrations<TOperation, TPattern, TDefault, TOverrides>;
  }

  private assertOperation(operation: string): void {
    if (!(operation in this.props.operations)) {
      throw new Error(
        `Unknown operation '${operation}' (operations: ${Object.keys(this.props.operations).join(', ')}).`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Lambda functions
// ---------------------------------------------------------------------------------------------

/** `getItem` → `GetItem`, `$router` → `Router`: construct ids of default functions. */
export const pascalCase = (name: string): string =>
  name
    .replace(/[^A-Za-z0-9]+(.)?/g, (_match, next: string | undefined) => (next ? next.toUpperCase() : ''))
    .replace(/^./, (first) => first.toUpperCase());

/**
 * The workspace root: the nearest directory holding `nx.json`, searched upwards from this
 * file (inside `packages/common/constructs`), then from the current directory.
 */
export const findWorkspaceRoot = (): string => {
  for (const start of [__dirname, process.cwd()]) {
    let dir = resolve(start);
    for (;;) {
      if (existsSync(join(dir, 'nx.json'))) {
        return dir;
      }
      const parent = dirname(dir);
      if (parent === dir) {
        break;
      }
      dir = parent;
    }
  }
  throw new Error(`No workspace root (a directory with nx.json) above ${__dirname} or ${process.cwd()}.`);
};

/** The absolute path of a directory given relative to the workspace root (e.g. a bundle). */
export const workspacePath = (path: string): string => (isAbsolute(path) ? path : join(findWorkspaceRoot(), path));

/** `lambda.Code` of a bundle directory (relative to the workspace root), which must exist. */
export const bundleCode = (bundle: string, project?: string): Code => {
  const dir = workspacePath(bundle);
  if (!existsSync(dir)) {
    throw new Error(
      `Lambda bundle ${dir} does not exist: build it first` +
        (project ? ` (pnpm nx run ${project}:bundle).` : ' (the API project’s bundle target).'),
    );
  }
  return Code.fromAsset(dir);
};

/** The Lambda Web Adapter layer for an architecture, in the stack's region. */
export const lambdaWebAdapterLayerArn = (scope: Construct, architecture: Architecture): string => {
  const name = architecture === Architecture.ARM_64 ? 'LambdaAdapterLayerArm64' : 'LambdaAdapterLayerX86';
  return `arn:${Stack.of(scope).partition}:lambda:${Stack.of(scope).region}:${LAMBDA_WEB_ADAPTER_ACCOUNT}:layer:${name}:${LAMBDA_WEB_ADAPTER_LAYER_VERSION}`;
};

/** A checkov check skipped on a resource, with the reason. */
export interface CheckovSkip {
  readonly id: string;
  readonly comment: string;
}

/** Records checkov suppressions in the CloudFormation metadata of a construct's resource. */
export const suppressCheckov = (construct: IConstruct, skips: CheckovSkip[]): void => {
  const resource = CfnResource.isCfnResource(construct) ? construct : construct.node.defaultChild;
  if (!resource || !CfnResource.isCfnResource(resource)) {
    return;
  }
  const existing = (resource.getMetadata('checkov') as { skip?: CheckovSkip[] } | undefined)?.skip ?? [];
  const ids = new Set(existing.map((skip) => skip.id));
  resource.addMetadata('checkov', { skip: [...existing, ...skips.filter((skip) => !ids.has(skip.id))] });
};

/** Why the Lambda checks below do not apply to API functions. */
export const LAMBDA_CHECKOV_SKIPS: CheckovSkip[] = [
  {
    id: 'CKV_AWS_115',
    comment: 'Reserved concurrency takes capacity from the account pool, so it is a per-workload decision for APIs with auth (their stage throttles requests); set reservedConcurrentExecutions with withDefaultOptions when needed. Public APIs reserve it by default and are not skipped.',
  },
  {
    id: 'CKV_AWS_116',
    comment: 'API Gateway invokes the function synchronously; a dead-letter queue only applies to asynchronous invocations.',
  },
  {
    id: 'CKV_AWS_117',
    comment: 'The function calls no private resources by default; pass a vpc with withDefaultOptions to place it in a VPC.',
  },
  {
    id: 'CKV_AWS_173',
    comment: 'The environment holds configuration only (ports, names, origins), never secrets; AWS-managed encryption at rest applies.',
  },
];

/** The Lambda skips that apply to a function: CKV_AWS_115 only while it reserves no concurrency. */
export const lambdaCheckovSkips = (props: { readonly reservedConcurrentExecutions?: number }): CheckovSkip[] =>
  LAMBDA_CHECKOV_SKIPS.filter((skip) => skip.id !== 'CKV_AWS_115' || props.reservedConcurrentExecutions === undefined);

/** Why the CloudWatch log group checks below do not apply. */
export const LOG_GROUP_CHECKOV_SKIPS: CheckovSkip[] = [
  {
    id: 'CKV_AWS_158',
    comment: 'Logs are encrypted at rest by CloudWatch Logs; a customer-managed KMS key is an opt-in (pass logGroup with withDefaultOptions).',
  },
];

/**
 * A log group with one year's retention, kept when the stack is deleted (the logs of a
 * deleted API are what you look at afterwards; they expire with their retention).
 */
export const createLogGroup = (scope: Construct, id: string): LogGroup => {
  const logGroup = new LogGroup(scope, id, {
    retention: RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  suppressCheckov(logGroup, LOG_GROUP_CHECKOV_SKIPS);
  return logGroup;
};

export interface ApiFunctionProps {
  /** The API class name: `POWERTOOLS_SERVICE_NAME` and `POWERTOOLS_METRICS_NAMESPACE`. */
  readonly serviceName: string;
  /** The bundle directory relative to the workspace root (`dist/<dir>/bundle-<arch>`). */
  readonly bundle: string;
  /** The Nx project that builds the bundle (named in the error when it is missing). */
  readonly project?: string;
  /** The bundle's architecture. */
  readonly architecture: Architecture;
  /** The Lambda runtime (default python3.13). */
  readonly runtime?: Runtime;
  /** Options over the defaults (memory, vpc, environment, …). */
  readonly options?: DefaultFunctionOptions;
}

export interface WebAdapterFunctionProps extends ApiFunctionProps {
  /** `response_stream` behind a REST API (streaming), `buffered` behind an HTTP API. */
  readonly invokeMode: 'response_stream' | 'buffered';
}

const lambdaRole = (scope: Construct, id: string, logGroup: LogGroup): Role => {
  const role = new Role(scope, id, {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    description: 'Writes the function logs to its own log group; X-Ray tracing is added by the function.',
  });
  logGroup.grant(role, 'logs:CreateLogStream', 'logs:PutLogEvents');
  return role;
};

const baseFunctionProps = (
  scope: Construct,
  id: string,
  props: ApiFunctionProps,
): { logGroup: LogGroup; functionProps: Omit<FunctionProps, 'handler'> } => {
  const options = props.options ?? {};
  const logGroup = (options.logGroup as LogGroup | undefined) ?? createLogGroup(scope, `${id}Logs`);
  const role = options.role ?? lambdaRole(scope, `${id}Role`, logGroup);
  return {
    logGroup,
    functionProps: {
      runtime: props.runtime ?? Runtime.PYTHON_3_13,
      architecture: props.architecture,
      timeout: DEFAULT_FUNCTION_TIMEOUT,
      memorySize: 512,
      tracing: Tracing.ACTIVE,
      ...options,
      code: bundleCode(props.bundle, props.project),
      logGroup,
      role,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: props.serviceName,
        ...options.environment,
      },
    },
  };
};

/**
 * The function of a default integration: `run.sh` started by the Lambda Web Adapter, with
 * SnapStart on a published version (returned as `version`, which integrations invoke).
 */
export const createWebAdapterFunction = (
  scope: Construct,
  id: string,
  props: WebAdapterFunctionProps,
): { handler: Function; version: Version } => {
  const { functionProps } = baseFunctionProps(scope, id, props);
  const handler = new Function(scope, id, {
    snapStart: SnapStartConf.ON_PUBLISHED_VERSIONS,
    ...functionProps,
    handler: 'run.sh',
    layers: [
      LayerVersion.fromLayerVersionArn(scope, `${id}WebAdapter`, lambdaWebAdapterLayerArn(scope, props.architecture)),
      ...(functionProps.layers ?? []),
    ],
    environment: {
      AWS_LAMBDA_EXEC_WRAPPER: '/opt/bootstrap',
      PORT: String(APP_PORT),
      AWS_LWA_PORT: String(APP_PORT),
      AWS_LWA_READINESS_CHECK_PATH: READINESS_CHECK_PATH,
      AWS_LWA_SNAPSTART_AFTER_RESTORE_PATH: AFTER_RESTORE_PATH,
      AWS_LWA_INVOKE_MODE: props.invokeMode,
      ...functionProps.environment,
    },
    currentVersionOptions: { removalPolicy: RemovalPolicy.DESTROY },
  });
  Annotations.of(handler).acknowledgeWarning(
    '@aws-cdk/aws-lambda:snapStartRequirePublish',
    'API Gateway invokes the published version (currentVersion).',
  );
  suppressCheckov(handler, lambdaCheckovSkips(functionProps));
  return { handler, version: handler.currentVersion };
};

export interface AuthorizerFunctionProps extends ApiFunctionProps {
  /** The Python handler, `<module>.authorizer.handler`. */
  readonly handler: string;
}

/** A Lambda authorizer from the API's bundle: a plain Python handler, no web adapter. */
export const createAuthorizerFunction = (scope: Construct, id: string, props: AuthorizerFunctionProps): Function => {
  const { functionProps } = baseFunctionProps(scope, id, props);
  const handler = new Function(scope, id, {
    ...functionProps,
    timeout: props.options?.timeout ?? Duration.seconds(10),
    handler: props.handler,
  });
  suppressCheckov(handler, lambdaCheckovSkips(functionProps));
  return handler;
};

export interface DefaultIntegrationProps extends ApiFunctionProps {
  readonly pattern: IntegrationPattern;
}

/**
 * The timeout of the integration in front of a function: the function's timeout plus
 * `INTEGRATION_TIMEOUT_MARGIN`, so the function always stops first. Throws when that exceeds
 * what API Gateway allows (`limit`).
 */
export const integrationTimeout = (functionTimeout: Duration | undefined, limit: Duration, id: string): Duration => {
  const timeout = (functionTimeout ?? DEFAULT_FUNCTION_TIMEOUT).plus(INTEGRATION_TIMEOUT_MARGIN);
  if (!timeout.isUnresolved() && timeout.toMilliseconds() > limit.toMilliseconds()) {
    throw new Error(
      `${id}: a function timeout of ${(functionTimeout ?? DEFAULT_FUNCTION_TIMEOUT).toHumanString()} leaves no room ` +
        `below the integration's limit of ${limit.toHumanString()}; use a shorter timeout.`,
    );
  }
  return timeout;
};

/**
 * The default REST integration: a streaming (`ResponseTransferMode.STREAM`) proxy
 * integration of the published version, timing out 1 s after its function. Isolated:
 * permission scoped to the method, no test-invoke permission; shared: one permission for
 * the whole API.
 */
export const defaultRestIntegration = (
  scope: Construct,
  id: string,
  props: DefaultIntegrationProps,
): RestDefaultIntegration => {
  const timeout = integrationTimeout(props.options?.timeout, REST_STREAM_INTEGRATION_TIMEOUT_LIMIT, id);
  const { handler, version } = createWebAdapterFunction(scope, id, { ...props, invokeMode: 'response_stream' });
  const integration = new LambdaIntegration(
    version,
    props.pattern === 'shared'
      ? { responseTransferMode: ResponseTransferMode.STREAM, timeout, scopePermissionToMethod: false }
      : { responseTransferMode: ResponseTransferMode.STREAM, timeout, allowTestInvoke: false },
  );
  return { integration, handler, version };
};

/**
 * The default HTTP integration: a buffered proxy integration (payload 2.0) of the published
 * version, timing out 1 s after its function (HTTP APIs allow at most 30 s).
 */
export const defaultHttpIntegration = (
  scope: Construct,
  id: string,
  props: DefaultIntegrationProps,
): HttpDefaultIntegration => {
  const timeout = integrationTimeout(props.options?.timeout, HTTP_INTEGRATION_TIMEOUT_LIMIT, id);
  const { handler, version } = createWebAdapterFunction(scope, id, { ...props, invokeMode: 'buffered' });
  const integration = new HttpLambdaIntegration(`${id}Integration`, version, {
    scopePermissionToRoute: props.pattern !== 'shared',
    timeout,
  });
  return { integration, handler, version };
};

/** A construct id not yet used in `scope`: `base`, else `base2`, `base3`, … */
export const uniqueId = (scope: Construct, base: string): string => {
  if (!scope.node.tryFindChild(base)) {
    return base;
  }
  for (let n = 2; ; n++) {
    if (!scope.node.tryFindChild(`${base}${n}`)) {
      return `${base}${n}`;
    }
  }
};

// ---------------------------------------------------------------------------------------------
// Throttling and alarms
// ---------------------------------------------------------------------------------------------

/** Stage throttling: API Gateway answers 429 beyond these. */
export interface ApiThrottle {
  /** Requests per second, sustained. */
  readonly rateLimit: number;
  /** Requests accepted at once above the rate (the token bucket's size). */
  readonly burstLimit: number;
}

/**
 * The stage throttling of every API: far below the account's regional quota (10,000 requests
 * per second, 5,000 burst, shared by every API of the account), so one API cannot exhaust it
 * and its request cost has a ceiling. Raise it per API with the `throttle` prop.
 */
export const DEFAULT_THROTTLE: ApiThrottle = { rateLimit: 100, burstLimit: 200 };

/** Thresholds of the alarms every API gets. */
export interface ApiAlarmsProps {
  /** Share of requests answered with a 5xx, in 3 of 5 one-minute periods (default 0.05). */
  readonly serverErrorRate?: number;
  /** p99 latency, in 3 consecutive five-minute periods (default 5 s; raise it for long streams). */
  readonly latencyP99?: Duration;
  /** Function errors (crashes, timeouts: the app turns exceptions into 500s) in five minutes (default 1). */
  readonly functionErrors?: number;
  /** Throttled invocations (reserved or account concurrency exhausted) in five minutes (default 1). */
  readonly functionThrottles?: number;
  /** Actions of every alarm, e.g. `new SnsAction(topic)` (default none; or add them to `api.alarms`). */
  readonly actions?: IAlarmAction[];
}

/** What the REST and HTTP API constructs accept beyond their operations and auth. */
export interface ApiProtectionProps {
  /** Stage throttling (default `DEFAULT_THROTTLE`: 100 requests per second, burst 200). */
  readonly throttle?: ApiThrottle;
  /** Alarm thresholds and actions, or `false` for no alarms (default: every alarm, no actions). */
  readonly alarms?: ApiAlarmsProps | false;
}

/** CloudWatch alarms on metric math may read at most 10 metrics: function alarms cover 10 functions each. */
export const FUNCTIONS_PER_ALARM = 10;

/** The API-level metrics the alarms watch. */
export interface ApiMetrics {
  /** Sum of 5xx responses. */
  readonly serverErrors: IMetric;
  /** Sum of requests. */
  readonly requests: IMetric;
  /** p99 latency. */
  readonly latencyP99: IMetric;
}

const sumOfFunctions = (
  functions: IFunction[],
  metric: (fn: IFunction) => IMetric,
  label: string,
): IMetric => {
  if (functions.length === 1) {
    return metric(functions[0]);
  }
  const usingMetrics: { [id: string]: IMetric } = {};
  functions.forEach((fn, index) => {
    usingMetrics[`f${index}`] = metric(fn);
  });
  return new MathExpression({
    expression: `SUM([${Object.keys(usingMetrics).join(', ')}])`,
    usingMetrics,
    label,
    period: Duration.minutes(5),
  });
};

/**
 * The alarms of one API: its 5xx rate and p99 latency, and the errors and throttles of the
 * functions behind it (one alarm per `FUNCTIONS_PER_ALARM` functions, to keep the stack's
 * resource count low). Missing data (no traffic) is not breaching.
 */
export const createApiAlarms = (
  scope: Construct,
  apiName: string,
  metrics: ApiMetrics,
  functions: IFunction[],
  props: ApiAlarmsProps = {},
): Alarm[] => {
  const alarms: Alarm[] = [];
  const serverErrorRate = props.serverErrorRate ?? 0.05;
  alarms.push(
    new Alarm(scope, 'ServerErrorRateAlarm', {
      alarmDescription: `${apiName}: at least ${Math.round(serverErrorRate * 1000) / 10}% of requests answered with a 5xx, in 3 of 5 minutes.`,
      metric: new MathExpression({
        expression: 'errors / requests',
        usingMetrics: { errors: metrics.serverErrors, requests: metrics.requests },
        label: '5xx rate',
        period: Duration.minutes(1),
      }),
      threshold: serverErrorRate,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }),
  );
  const latency = props.latencyP99 ?? Duration.seconds(5);
  alarms.push(
    new Alarm(scope, 'LatencyP99Alarm', {
      alarmDescription: `${apiName}: p99 latency at least ${latency.toHumanString()} for 15 minutes.`,
      metric: metrics.latencyP99,
      threshold: latency.toMilliseconds(),
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }),
  );
  // As few alarms as the metric limit allows, sharing the functions out evenly.
  const groups = Math.ceil(functions.length / FUNCTIONS_PER_ALARM);
  const size = Math.ceil(functions.length / Math.max(groups, 1));
  for (let group = 0; group < groups; group++) {
    const members = functions.slice(group * size, (group + 1) * size);
    const suffix = groups > 1 ? String(group + 1) : '';
    const names = members.map((fn) => fn.functionName).join(', ');
    for (const [kind, threshold, metric] of [
      ['Errors', props.functionErrors ?? 1, (fn: IFunction) => fn.metricErrors({ statistic: 'Sum', period: Duration.minutes(5) })],
      ['Throttles', props.functionThrottles ?? 1, (fn: IFunction) => fn.metricThrottles({ statistic: 'Sum', period: Duration.minutes(5) })],
    ] as const) {
      alarms.push(
        new Alarm(scope, `Function${kind}Alarm${suffix}`, {
          alarmDescription: `${apiName}: ${kind.toLowerCase()} of ${names} reached ${threshold} in 5 minutes.`,
          metric: sumOfFunctions(members, metric, `function ${kind.toLowerCase()}`),
          threshold,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    }
  }
  for (const alarm of alarms) {
    alarm.addAlarmAction(...(props.actions ?? []));
  }
  return alarms;
};

/** The functions behind an API's integrations (each once), and its authorizer. */
export const apiFunctions = (integrations: object, authorizer?: IFunction): IFunction[] => {
  const functions: IFunction[] = [];
  for (const entry of Object.values(integrations) as { handler?: unknown }[]) {
    if (entry.handler instanceof Function && !functions.includes(entry.handler)) {
      functions.push(entry.handler);
    }
  }
  if (authorizer && !functions.includes(authorizer)) {
    functions.push(authorizer);
  }
  return functions;
};

// ---------------------------------------------------------------------------------------------
// Resource budget
// ---------------------------------------------------------------------------------------------

/** The CloudFormation resources a stack's template will hold (nested stacks count apart). */
export const countStackResources = (stack: Stack): number =>
  stack.node.findAll().filter((c) => CfnResource.isCfnResource(c) && Stack.of(c) === stack).length;

class ResourceBudget implements IAspect {
  private done = false;
  public constructor(private readonly stack: Stack) {}

  public visit(node: IConstruct): void {
    if (this.done || node !== this.stack) {
      return;
    }
    this.done = true;
    // +1: the AWS::CDK::Metadata resource added at synthesis.
    const count = countStackResources(this.stack) + 1;
    const threshold = Math.floor(STACK_RESOURCE_LIMIT * STACK_RESOURCE_WARNING_RATIO);
    if (count >= threshold) {
      Annotations.of(this.stack).addWarningV2(
        '@fastgen/api:resourceBudget',
        `Stack ${this.stack.stackName} has ${count} of CloudFormation's ${STACK_RESOURCE_LIMIT} resources per stack ` +
          `(warning from ${threshold}). Use the 'shared' integration pattern (one router function instead of ` +
          `one function per operation), or move the API into its own NestedStack.`,
      );
    }
  }
}

const budgeted = new WeakSet<Stack>();

/** Adds (once per stack) the synth-time resource count with its warning from 80% of the limit. */
export const watchResourceBudget = (scope: Construct): void => {
  const stack = Stack.of(scope);
  if (budgeted.has(stack)) {
    return;
  }
  budgeted.add(stack);
  Aspects.of(stack).add(new ResourceBudget(stack), { priority: AspectPriority.READONLY });
};
