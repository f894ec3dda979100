/**
 * Generic HTTP API construct: one route per operation of the generated metadata, JSON
 * access logs, CORS, and IAM / Cognito / Lambda (REQUEST, simple response) / no auth;
 * stage throttling and CloudWatch alarms by default.
 *
 * Created by fastgen; yours to edit.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi as ApiGatewayHttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
  type CfnApi,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import {
  HttpIamAuthorizer,
  HttpLambdaAuthorizer,
  HttpLambdaResponseType,
  HttpUserPoolAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
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
  type HttpApiIntegrations,
  type HttpRouteOptions,
  type OperationDetailsMap,
} from './utils.js';

/** How callers authenticate. */
export type HttpApiAuth =
  | { readonly type: 'IAM' }
  | { readonly type: 'Cognito'; readonly userPool: IUserPool; readonly userPoolClient: IUserPoolClient }
  | { readonly type: 'None' }
  | { readonly type: 'Custom'; readonly authorizer: (scope: Construct) => IFunction };

export interface HttpApiProps<TOperation extends string, TIntegrations extends HttpApiIntegrations<TOperation>>
  extends ApiProtectionProps {
  /** Name of the API (the class name). */
  readonly apiName: string;
  /** The generated `OPERATION_DETAILS`. */
  readonly operations: OperationDetailsMap<TOperation>;
  /** One integration per operation (`<Class>.defaultIntegrations(this).build()` or your own). */
  readonly integrations: TIntegrations;
  readonly auth: HttpApiAuth;
}

const CORS_ALLOW_HEADERS = [
  'content-type',
  'authorization',
  'x-amz-date',
  'x-amz-security-token',
  'x-api-key',
  'x-correlation-id',
];
const CORS_ALLOW_METHODS = [
  CorsHttpMethod.GET,
  CorsHttpMethod.PUT,
  CorsHttpMethod.POST,
  CorsHttpMethod.DELETE,
  CorsHttpMethod.PATCH,
  CorsHttpMethod.HEAD,
  CorsHttpMethod.OPTIONS,
];

const CORS_MAX_AGE = Duration.hours(1);

/** Access log fields an HTTP API supports, one JSON object per request. */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  userAgent: '$context.identity.userAgent',
});

/**
 * An HTTP API whose routes are the operations of the generated metadata.
 * `integrations` keeps the exact type it was given, so `api.integrations.<op>` is typed.
 */
export class HttpApi<TOperation extends string, TIntegrations extends HttpApiIntegrations<TOperation>> extends Construct {
  /** The underlying API Gateway HTTP API. */
  public readonly api: ApiGatewayHttpApi;
  /** The `$default` stage (auto-deployed, with access logs). */
  public readonly stage: HttpStage;
  /** The integration of every operation (and `$router` for the shared pattern). */
  public readonly integrations: TIntegrations;
  /** The URL of the API. */
  public readonly url: string;
  /** The Lambda authorizer (Custom auth only). */
  public readonly authorizerFunction?: IFunction;
  /** The API's CloudWatch alarms (5xx rate, p99 latency, function errors and throttles): add actions here. */
  public readonly alarms: Alarm[];

  public constructor(scope: Construct, id: string, props: HttpApiProps<TOperation, TIntegrations>) {
    super(scope, id);
    this.integrations = props.integrations;
    watchResourceBudget(this);

    const defaultAuthorizer = this.authorizer(props.auth);
    this.api = new ApiGatewayHttpApi(this, 'Api', {
      apiName: props.apiName,
      description: `${props.apiName} (fastgen)`,
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: ['*'],
        allowHeaders: CORS_ALLOW_HEADERS,
        allowMethods: CORS_ALLOW_METHODS,
        exposeHeaders: ['x-correlation-id'],
        maxAge: CORS_MAX_AGE,
      },
      defaultAuthorizer,
    });
    const accessLogs = createLogGroup(this, 'AccessLogs');
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(ACCESS_LOG_FORMAT),
      },
      // The default route settings of the stage: every route.
      throttle: props.throttle ?? DEFAULT_THROTTLE,
    });
    this.url = this.stage.url;

    for (const operation of Object.keys(props.operations) as TOperation[]) {
      const { path, method } = props.operations[operation];
      const httpMethod = method.toUpperCase() as keyof typeof HttpMethod;
      if (!(httpMethod in HttpMethod)) {
        throw new Error(`Operation '${operation}' has an unsupported method '${method}'.`);
      }
      const entry = props.integrations[operation];
      const options: HttpRouteOptions = entry.options ?? {};
      const routes = this.api.addRoutes({
        path,
        methods: [HttpMethod[httpMethod]],
        integration: entry.integration,
        authorizer: options.authorizer,
        authorizationScopes: options.authorizationScopes,
      });
      if (props.auth.type === 'None' && !options.authorizer) {
        for (const route of routes) {
          suppressCheckov(route, [
            { id: 'CKV_AWS_309', comment: 'Public on purpose: the API was configured without auth.' },
          ]);
        }
      }
    }

    this.alarms =
      props.alarms === false
        ? []
        : createApiAlarms(
            this,
            props.apiName,
            {
              serverErrors: this.api.metricServerError({ statistic: 'Sum' }),
              requests: this.api.metricCount({ statistic: 'Sum' }),
              latencyP99: this.api.metricLatency({ statistic: 'p99', period: Duration.minutes(5) }),
            },
            apiFunctions(this.integrations, this.authorizerFunction),
            props.alarms,
          );
  }

  /** Lets `grantee` call every route of the API (IAM auth: the caller signs with SigV4). */
  public grantInvokeAccess(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: [
        Stack.of(this).formatArn({ service: 'execute-api', resource: this.api.apiId, resourceName: '*' }),
      ],
    });
  }

  /** Narrows the API's CORS configuration (and `ALLOWED_ORIGINS` of every function) to these origins. */
  public restrictCorsTo(...origins: string[]): void {
    if (origins.length === 0) {
      throw new Error('restrictCorsTo needs at least one origin.');
    }
    const cfnApi = this.api.node.defaultChild as CfnApi;
    cfnApi.corsConfiguration = this.corsConfiguration(origins);
    const seen = new Set<Function>();
    for (const entry of Object.values(this.integrations) as { handler?: unknown }[]) {
      if (entry.handler instanceof Function && !seen.has(entry.handler)) {
        seen.add(entry.handler);
        entry.handler.addEnvironment('ALLOWED_ORIGINS', origins.join(','));
      }
    }
  }

  private corsConfiguration(origins: string[]): CfnApi.CorsProperty {
    return {
      allowOrigins: origins,
      allowHeaders: CORS_ALLOW_HEADERS,
      allowMethods: CORS_ALLOW_METHODS,
      exposeHeaders: ['x-correlation-id'],
      maxAge: CORS_MAX_AGE.toSeconds(),
    };
  }

  private authorizer(auth: HttpApiAuth): IHttpRouteAuthorizer {
    switch (auth.type) {
      case 'IAM':
        return new HttpIamAuthorizer();
      case 'Cognito':
        return new HttpUserPoolAuthorizer('CognitoAuthorizer', auth.userPool, {
          userPoolClients: [auth.userPoolClient],
        });
      case 'Custom': {
        const handler = auth.authorizer(this);
        (this as { authorizerFunction?: IFunction }).authorizerFunction = handler;
        return new HttpLambdaAuthorizer('LambdaAuthorizer', handler, {
          responseTypes: [HttpLambdaResponseType.SIMPLE],
          resultsCacheTtl: Duration.minutes(5),
        });
      }
      case 'None':
        return new HttpNoneAuthorizer();
    }
  }
}
