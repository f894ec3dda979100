/**
 * The {{ class_name }} API ({{ project_dir }}): {% if is_rest %}an API Gateway REST API{% else %}an API Gateway HTTP API{% endif %} with
 * {% if integration_pattern == 'shared' %}one shared router function{% else %}one Lambda function per operation{% endif %}, auth {{ auth }}.
 *
 * The operations come from `../../generated/{{ kebab_name }}/metadata.gen.ts`, generated from
 * the API's OpenAPI document at build time: `api.integrations.<operation>` is typed.
 *
 * Created by fastgen; yours to edit.
 */
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
{% if auth == 'Cognito' %}
import type { IUserPool{% if not is_rest %}, IUserPoolClient{% endif %} } from 'aws-cdk-lib/aws-cognito';
{% endif %}
import { Construct } from 'constructs';
{% if is_rest %}
import { RestApi } from '../../core/api/rest-api.js';
{% else %}
import { HttpApi } from '../../core/api/http-api.js';
{% endif %}
import {
  IntegrationBuilder,
{% if auth == 'None' %}
  PUBLIC_API_RESERVED_CONCURRENCY,
{% endif %}
{% if auth == 'Custom' %}
  createAuthorizerFunction,
{% endif %}
{% if is_rest %}
  defaultRestIntegration,
{% else %}
  defaultHttpIntegration,
{% endif %}
  pascalCase,
  uniqueId,
  type ApiProtectionProps,
{% if is_rest %}
  type RestApiIntegrations,
{% else %}
  type HttpApiIntegrations,
{% endif %}
} from '../../core/api/utils.js';
import { OPERATION_DETAILS, type Operations } from '../../generated/{{ kebab_name | ts_string }}/metadata.gen.js';

/** `POWERTOOLS_SERVICE_NAME` and `POWERTOOLS_METRICS_NAMESPACE` of the functions. */
const SERVICE_NAME = '{{ class_name | ts_string }}';
/** The Lambda bundle, relative to the workspace root (built by the API's `bundle` target). */
const BUNDLE = '{{ bundle_dir | ts_string }}';
const ARCHITECTURE = Architecture.{% if architecture == 'arm64' %}ARM_64{% else %}X86_64{% endif %};
const RUNTIME = Runtime.PYTHON_{{ lambda_python | replace('.', '_') }};

/**
 * Beyond the integrations: `throttle` (stage throttling, default 100 requests per second, burst
 * 200) and `alarms` (thresholds and actions of the API's CloudWatch alarms, `false` for none).
 */
export interface {{ class_name }}Props<TIntegrations extends {% if is_rest %}Rest{% else %}Http{% endif %}ApiIntegrations<Operations>>
  extends ApiProtectionProps {
  /** One integration per operation: `{{ class_name }}.defaultIntegrations(this).build()`, or your own. */
  readonly integrations: TIntegrations;
{% if auth == 'Cognito' %}
  /** The Cognito user pool{% if not is_rest %} and client{% endif %} whose tokens the API accepts. */
  readonly identity: { readonly userPool: IUserPool{% if not is_rest %}; readonly userPoolClient: IUserPoolClient{% endif %} };
{% endif %}
}

export class {{ class_name }}<
  TIntegrations extends {% if is_rest %}Rest{% else %}Http{% endif %}ApiIntegrations<Operations> = {% if is_rest %}Rest{% else %}Http{% endif %}ApiIntegrations<Operations>,
> extends {% if is_rest %}RestApi{% else %}HttpApi{% endif %}<Operations, TIntegrations> {
  /**
   * The default integrations: {% if integration_pattern == 'shared' %}one router function (`$router`) for every operation{% else %}one function per operation{% endif %},
   * created in `scope`. Customise with `withDefaultOptions`, {% if integration_pattern != 'shared' %}`withOperationOptions`, {% endif %}`withOverrides`.
   */
  public static defaultIntegrations = (scope: Construct) => {
    const functions = new Construct(scope, uniqueId(scope, '{{ class_name | ts_string }}Functions'));
    return IntegrationBuilder.{% if is_rest %}rest{% else %}http{% endif %}({
      pattern: '{{ integration_pattern }}',
      operations: OPERATION_DETAILS,
{% if auth == 'None' %}
      // A public API: its functions reserve (and are capped at) a little concurrency, so its
      // cost stays bounded. withDefaultOptions({ reservedConcurrentExecutions }) changes it.
      defaultIntegrationOptions: { reservedConcurrentExecutions: PUBLIC_API_RESERVED_CONCURRENCY },
{% else %}
      defaultIntegrationOptions: {},
{% endif %}
      buildDefaultIntegration: (operation, options) =>
        default{% if is_rest %}Rest{% else %}Http{% endif %}Integration(functions, pascalCase(operation), {
          serviceName: SERVICE_NAME,
          bundle: BUNDLE,
          architecture: ARCHITECTURE,
          runtime: RUNTIME,
          pattern: '{{ integration_pattern }}',
          options,
        }),
    });
  };

  public constructor(scope: Construct, id: string, props: {{ class_name }}Props<TIntegrations>) {
    super(scope, id, {
      apiName: SERVICE_NAME,
      operations: OPERATION_DETAILS,
      integrations: props.integrations,
      throttle: props.throttle,
      alarms: props.alarms,
{% if auth == 'IAM' %}
      auth: { type: 'IAM' },
{% elif auth == 'Cognito' %}
{% if is_rest %}
      auth: { type: 'Cognito', userPool: props.identity.userPool },
{% else %}
      auth: { type: 'Cognito', userPool: props.identity.userPool, userPoolClient: props.identity.userPoolClient },
{% endif %}
{% elif auth == 'Custom' %}
      // The authorizer runs `{{ module }}.authorizer.handler` from the same bundle (plain Python, no web adapter).
      auth: {
        type: 'Custom',
        authorizer: (api) =>
          createAuthorizerFunction(api, 'Authorizer', {
            serviceName: SERVICE_NAME,
            bundle: BUNDLE,
            architecture: ARCHITECTURE,
            runtime: RUNTIME,
            handler: '{{ module | ts_string }}.authorizer.handler',
          }),
      },
{% else %}
      auth: { type: 'None' },
{% endif %}
    });
  }
}
