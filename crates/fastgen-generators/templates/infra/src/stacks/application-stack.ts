/**
 * The application stack. fastgen adds every API to `./apis.ts` (which it re-renders when
 * an API is added); add your own resources here.
 *
 * Created by fastgen; yours to edit.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { addApis } from './apis.js';

export class ApplicationStack extends Stack {
  public constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // Every API of the workspace, with the Cognito resources their auth needs. The second
    // argument changes defaults, e.g. addApis(this, { apis: { myApi: { throttle: { rateLimit:
    // 500, burstLimit: 1000 } } } }) or addApis(this, { userPool: { mfa: Mfa.REQUIRED } }).
    const apis = addApis(this);
    void apis; // e.g. apis.myApi.integrations.echo.handler.addEnvironment('LOG_LEVEL', 'DEBUG');
  }
}
