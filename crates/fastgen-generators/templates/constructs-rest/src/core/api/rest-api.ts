/**
 * Generic REST API construct: one API Gateway method per operation of the generated
 * metadata, every Lambda integration streaming (ResponseTransferMode.STREAM), JSON access
 * logs, X-Ray tracing on the stage, CORS, and IAM / Cognito / Lambda (TOKEN) / no auth;
 * stage throttling and CloudWatch alarms by default.
 *
 * Created by fastgen; yours to edit.
 */
import { Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  CfnAccount,
  CognitoUserPoolsAuthorizer,
  EndpointType,
  LogGroupLogDestination,
  MethodLoggingLevel,
  MockIntegration,
  PassthroughBehavior,
  ResponseType,
  RestApi as ApiGatewayRestApi,
  TokenAuthorizer,
  type IResource,
  type MethodOptions,
} from 'aws-cdk-lib/aws-apigateway';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import { Grant, ManagedPolicy, Role, ServicePrincipal, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Function, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import {
  DEFAULT_THROTTLE,
  apiFunctions,
  createApiAlarms,
  createLogGroup,
  suppressCheckov,
  watchResourceBudget,
  type ApiProtectionProps,
  type OperationDetailsMap,
  type RestApiIntegrations,
} from './utils.js';

/** How callers authenticate. */
export type RestApiAuth =
  | { readonly type: 'IAM' }
  | { readonly type: 'Cognito'; readonly userPool: IUserPool }
  | { readonly type: 'None' }
  | { readonly type: 'Custom'; readonly authorizer: (scope: Construct) => IFunction };

export interface RestApiProps<TOperation extends string, TIntegrations extends RestApiIntegrations<TOperation>>
  extends ApiProtectionProps {
  /** Name of the API (the class name). */
  readonly apiName: string;
  /** The generated `OPERATION_DETAILS`. */
  readonly operations: OperationDetailsMap<TOperation>;
  /** One integration per operation (`<Class>.defaultIntegrations(this).build()` or your own). */
  readonly integrations: TIntegrations;
  readonly auth: RestApiAuth;
}

const HTTP_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY']);
const CORS_ALLOW_HEADERS = [
  'Content-Type',
  'Authorization',
  'X-Amz-Date',
  'X-Amz-Security-Token',
  'X-Api-Key',
  'X-Correlation-Id',
];
const CORS_ALLOW_METHODS = 'OPTIONS,GET,PUT,POST,DELETE,PATCH,HEAD';

/** The stack's API Gateway account role (needed by REST access logs), created once per stack. */
const apiGatewayAccount = (scope: Construct): CfnAccount => {
  const stack = Stack.of(scope);
  const id = 'FastgenApiGatewayAccount';
  const existing = stack.node.tryFindChild(id);
  if (existing) {
    return existing as CfnAccount;
  }
  const role = new Role(stack, 'FastgenApiGatewayCloudWatchRole', {
    assumedBy: new ServicePrincipal('apigateway.amazonaws.com'),
    managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs')],
  });
  // The account setting is region-wide: keep it (and its role) when the stack goes.
  role.applyRemovalPolicy(RemovalPolicy.RETAIN);
  const account = new CfnAccount(stack, id, { cloudWatchRoleArn: role.roleArn });
  account.applyRemovalPolicy(RemovalPolicy.RETAIN);
  return account;
};

/**
 * A REST API whose methods are the operations of the generated metadata.
 * `integrations` keeps the exact type it was given, so `api.integrations.<op>` is typed.
 */
export class RestApi<TOperation extends string, TIntegrations extends RestApiIntegrations<TOperation>> extends Construct {
  /** The underlying API Gateway REST API. */
  public readonly api: ApiGatewayRestApi;
  /** The integration of every operation (and `$router` for the shared pattern). */
  public readonly integrations: TIntegrations;
  /** The URL of the `prod` stage. */
  public readonly url: string;
  /** The Lambda authorizer (Custom auth only). */
  public readonly authorizerFunction?: IFunction;
  /** The API's CloudWatch alarms (5xx rate, p99 latency, function errors and throttles): add actions here. */
  public readonly alarms: Alarm[];

  private corsOrigins: string[] = ['*'];

  public constructor(scope: Construct, id: string, props: RestApiProps<TOperation, TIntegrations>) {
    super(scope, id);
    this.integrations = props.integrations;
    watchResourceBudget(this);

    const accessLogs = createLogGroup(this, 'AccessLogs');
    const throttle = props.throttle ?? DEFAULT_THROTTLE;
    this.api = new ApiGatewayRestApi(this, 'Api', {
      restApiName: props.apiName,
      description: `${props.apiName} (fastgen)`,
      endpointTypes: [EndpointType.REGIONAL],
      cloudWatchRole: false,
      deployOptions: {
        stageName: 'prod',
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
        // Every method of the stage (`/*/*`); per-method limits go in `methodOptions`.
        throttlingRateLimit: throttle.rateLimit,
        throttlingBurstLimit: throttle.burstLimit,
      },
    });
    this.api.deploymentStage.node.addDependency(apiGatewayAccount(this));
    suppressCheckov(this.api.deploymentStage, [
      {
        id: 'CKV_AWS_120',
        comment: 'Responses are per caller and often streamed; a stage cache would serve stale or foreign data.',
      },
    ]);
    this.url = this.api.url;

    const defaultMethodOptions = this.methodAuth(props.auth);

    // Gateway errors (auth failures, throttling) carry CORS headers too, so browsers can read them.
    for (const [key, type] of [
      ['Default4xx', ResponseType.DEFAULT_4XX],
      ['Default5xx', ResponseType.DEFAULT_5XX],
    ] as const) {
      this.api.addGatewayResponse(key, {
        type,
        responseHeaders: {
          'Access-Control-Allow-Origin': Lazy.string({ produce: () => `'${this.corsOrigins[0]}'` }),
          'Access-Control-Allow-Headers': `'${CORS_ALLOW_HEADERS.join(',')}'`,
          'Access-Control-Allow-Methods': `'${CORS_ALLOW_METHODS}'`,
        },
      });
    }

    const preflight = new Set<string>();
    for (const operation of Object.keys(props.operations) as TOperation[]) {
      const { path, method } = props.operations[operation];
      const httpMethod = method.toUpperCase();
      if (!HTTP_METHODS.has(httpMethod)) {
        throw new Error(`Operation '${operation}' has an unsupported method '${method}'.`);
      }
      const entry = props.integrations[operation];
      const resource = this.api.root.resourceForPath(path);
      const methodOptions = this.mergeOptions(defaultMethodOptions, entry.options);
      const apiMethod = resource.addMethod(httpMethod, entry.integration, methodOptions);
      if (!methodOptions.authorizer && (methodOptions.authorizationType ?? AuthorizationType.NONE) === AuthorizationType.NONE) {
        suppressCheckov(apiMethod, [
          { id: 'CKV_AWS_59', comment: 'Public on purpose: the API (or this operation) was configured without auth.' },
        ]);
      }
      if (!preflight.has(resource.path) && httpMethod !== 'OPTIONS') {
        preflight.add(resource.path);
        this.addPreflight(resource);
      }
    }

    const stage = this.api.deploymentStage;
    this.alarms =
      props.alarms === false
        ? []
        : createApiAlarms(
            this,
            props.apiName,
            {
              serverErrors: stage.metricServerError({ statistic: 'Sum' }),
              requests: stage.metricCount({ statistic: 'Sum' }),
              latencyP99: stage.metricLatency({ statistic: 'p99', period: Duration.minutes(5) }),
            },
            apiFunctions(this.integrations, this.authorizerFunction),
            props.alarms,
          );
  }

  /** Lets `grantee` call every method of the API (IAM auth: the caller signs with SigV4). */
  public grantInvokeAccess(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: [this.api.arnForExecuteApi('*', '/*', '*')],
    });
  }

  /**
   * Narrows CORS to these origins: the preflight responses, gateway error responses and
   * the `ALLOWED_ORIGINS` variable of every function behind the API.
   */
  public restrictCorsTo(...origins: string[]): void {
    if (origins.length === 0) {
      throw new Error('restrictCorsTo needs at least one origin.');
    }
    this.corsOrigins = [...origins];
    const seen = new Set<Function>();
    for (const entry of Object.values(this.integrations) as { handler?: unknown }[]) {
      if (entry.handler instanceof Function && !seen.has(entry.handler)) {
        seen.add(entry.handler);
        entry.handler.addEnvironment('ALLOWED_ORIGINS', origins.join(','));
      }
    }
  }

  private methodAuth(auth: RestApiAuth): MethodOptions {
    switch (auth.type) {
      case 'IAM':
        return { authorizationType: AuthorizationType.IAM };
      case 'Cognito':
        return {
          authorizationType: AuthorizationType.COGNITO,
          authorizer: new CognitoUserPoolsAuthorizer(this, 'CognitoAuthorizer', { cognitoUserPools: [auth.userPool] }),
        };
      case 'Custom': {
        const handler = auth.authorizer(this);
        (this as { authorizerFunction?: IFunction }).authorizerFunction = handler;
        return {
          authorizationType: AuthorizationType.CUSTOM,
          authorizer: new TokenAuthorizer(this, 'TokenAuthorizer', { handler }),
        };
      }
      case 'None':
        return { authorizationType: AuthorizationType.NONE };
    }
  }

  /** The API's auth unless the operation's options bring their own authorizer or type. */
  private mergeOptions(defaults: MethodOptions, options: MethodOptions | undefined): MethodOptions {
    if (!options) {
      return defaults;
    }
    if (options.authorizer || options.authorizationType) {
      return options;
    }
    return { ...defaults, ...options };
  }

  /** OPTIONS answered by API Gateway (no auth: browsers do not sign preflight requests). */
  private addPreflight(resource: IResource): void {
    resource.addMethod(
      'OPTIONS',
      new MockIntegration({
        passthroughBehavior: PassthroughBehavior.NEVER,
        requestTemplates: { 'application/json': '{"statusCode": 204}' },
        integrationResponses: [
          {
            statusCode: '204',
            responseParameters: {
              'method.response.header.Access-Control-Allow-Origin': Lazy.string({
                produce: () => `'${this.corsOrigins[0]}'`,
              }),
              'method.response.header.Access-Control-Allow-Headers': `'${CORS_ALLOW_HEADERS.join(',')}'`,
              'method.response.header.Access-Control-Allow-Methods': `'${CORS_ALLOW_METHODS}'`,
              'method.response.header.Vary': "'Origin'",
            },
            responseTemplates: {
              // Several origins: answer with the caller's origin when it is one of them.
              'application/json': Lazy.string({ produce: () => this.preflightTemplate() }),
            },
          },
        ],
      }),
      {
        authorizationType: AuthorizationType.NONE,
        methodResponses: [
          {
            statusCode: '204',
            responseParameters: {
              'method.response.header.Access-Control-Allow-Origin': true,
              'method.response.header.Access-Control-Allow-Headers': true,
              'method.response.header.Access-Control-Allow-Methods': true,
              'method.response.header.Vary': true,
            },
          },
        ],
      },
    );
  }

  private preflightTemplate(): string {
    if (this.corsOrigins.length < 2) {
      return '';
    }
    const condition = this.corsOrigins.map((origin) => `$origin == "${origin}"`).join(' || ');
    return [
      '#set($origin = $input.params().header.get("Origin"))',
      '#if($origin == "")#set($origin = $input.params().header.get("origin"))#end',
      `#if(${condition})`,
      '#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)',
      '#end',
    ].join('\n');
  }
}
