/**
 * The CDK application: `pnpm nx run infra:synth` compiles it and writes the cloud assembly
 * to dist/packages/infra/cdk.out; `deploy` and `destroy` use that assembly.
 *
 * Created by fastgen; yours to edit.
 */
import { App } from 'aws-cdk-lib';
import { ApplicationStack } from './stacks/application-stack.js';

/** The stack name: the workspace scope, as CloudFormation allows (letters, digits, hyphens). */
const stackName = (scope: string): string => {
  const name = `${scope}-application`.replace(/[^A-Za-z0-9-]+/g, '-');
  return /^[A-Za-z]/.test(name) ? name : `app-${name}`;
};

const app = new App();

new ApplicationStack(app, 'ApplicationStack', {
  stackName: stackName('{{ scope | ts_string }}'),
  // Deploys to the account and region of the current AWS credentials; synthesises without any.
  env:
    process.env.CDK_DEFAULT_ACCOUNT && process.env.CDK_DEFAULT_REGION
      ? { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION }
      : undefined,
});

app.synth();
