/**
 * The application stack. fastgen adds every API to `./apis.ts` and every website to
 * `./websites.ts` (which it re-renders when an API or a website is added); add your own
 * resources here.
 *
 * Created by fastgen; yours to edit.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { addApis } from './apis.js';
import { addWebsites } from './websites.js';

export class ApplicationStack extends Stack {
  public constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // Every API of the workspace, with the Cognito resources their auth needs. The second
    // argument changes defaults, e.g. addApis(this, { apis: { myApi: { throttle: { rateLimit:
    // 500, burstLimit: 1000 } } } }) or addApis(this, { userPool: { mfa: Mfa.REQUIRED } }).
    const apis = addApis(this);
    // e.g. apis.myApi.integrations.echo.handler.addEnvironment('LOG_LEVEL', 'DEBUG');

    // Every website of the workspace on S3 and CloudFront, its runtime-config.json holding the
    // APIs' URLs; the APIs then accept browser calls from the websites only. The third
    // argument changes defaults, e.g. addWebsites(this, apis, { allowedOrigins:
    // ['http://127.0.0.1:8001'] }) to call the deployed APIs from a local dev server.
    const websites = addWebsites(this, apis);
    void websites; // e.g. websites.web.distribution.distributionId
  }
}
