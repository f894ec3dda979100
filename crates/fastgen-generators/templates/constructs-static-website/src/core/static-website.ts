/**
 * Generic static website construct: the built site in a private S3 bucket, served by a
 * CloudFront distribution through Origin Access Control, with security response headers
 * (HSTS, a Content-Security-Policy, X-Content-Type-Options, X-Frame-Options DENY,
 * Referrer-Policy), the single-page-app fallback (403 and 404 answer /index.html with 200),
 * access logs (CloudFront and S3) in a log bucket, and a `runtime-config.json` written at
 * deploy time from the values given here (API URLs, Cognito ids), so one build serves every
 * environment.
 *
 * Created by fastgen; yours to edit.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
  type DistributionProps,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type LifecycleRule } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { suppressCheckov, workspacePath, type CheckovSkip } from './api/utils.js';

/** What the website reads from `/runtime-config.json` (its `src/config.ts` checks the same shape). */
export interface RuntimeConfig {
  /** The base URL of each API the site calls, by name (the API's class name). */
  readonly apis: Readonly<Record<string, string>>;
  readonly cognito?: {
    readonly region: string;
    readonly userPoolId: string;
    readonly userPoolClientId: string;
    readonly identityPoolId?: string;
    /** The hosted sign-in domain. */
    readonly domain?: string;
  };
}

export interface StaticWebsiteProps {
  /** The website's name (its Nx project), used in descriptions. */
  readonly websiteName: string;
  /** The built site, relative to the workspace root (`dist/<dir>`) or absolute: a directory with `index.html`. */
  readonly websiteDir: string;
  /** The Nx project whose `build` writes `websiteDir`, named when it is missing. */
  readonly project?: string;
  /**
   * Written as `/runtime-config.json` at deploy time, deploy-time values (API URLs, Cognito ids)
   * resolved; the build's own `runtime-config.json` (the local one) is never uploaded.
   * @default { apis: {} }
   */
  readonly runtimeConfig?: RuntimeConfig;
  /**
   * What the site may call besides its own origin (the CSP's `connect-src`): the APIs' origins,
   * Cognito's endpoints.
   */
  readonly connectSources?: string[];
  /** The whole `Content-Security-Policy` header, instead of the default built from `connectSources`. */
  readonly contentSecurityPolicy?: string;
  /**
   * Keep replaced and deleted objects as noncurrent versions (expired after 30 days), so a bad
   * deployment can be rolled back from the bucket.
   * @default true
   */
  readonly versioned?: boolean;
  /**
   * How long CloudFront's and S3's access logs are kept.
   * @default 90 days
   */
  readonly logRetention?: Duration;
  /**
   * The edge locations that serve the site.
   * @default PriceClass.PRICE_CLASS_100 (North America and Europe)
   */
  readonly priceClass?: PriceClass;
  /** Your own domain names; needs `certificate` (in us-east-1). */
  readonly domainNames?: string[];
  /** The certificate of `domainNames`; with it, viewers need TLS 1.2 or newer. */
  readonly certificate?: DistributionProps['certificate'];
  /** A WAF web ACL (global scope, in us-east-1) for the distribution, by ARN. */
  readonly webAclId?: string;
}

/** Options of a website over what its construct sets (`websiteName`, `websiteDir`, `project`). */
export type StaticWebsiteOptions = Partial<Omit<StaticWebsiteProps, 'websiteName' | 'websiteDir' | 'project'>>;

/** The object key of the runtime configuration. */
export const RUNTIME_CONFIG_KEY = 'runtime-config.json';
/** Where Vite writes the hashed, never-changing files of a build (`build.assetsDir`). */
export const ASSETS_DIR = 'assets';

/**
 * The default Content-Security-Policy: everything from the site's own origin, and network
 * calls to `connectSources` too. No inline scripts (Vite's production build has none), no
 * plugins, no framing, forms and `<base>` only to the site itself.
 */
export const defaultContentSecurityPolicy = (connectSources: readonly string[] = []): string =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    ['connect-src', "'self'", ...new Set(connectSources)].join(' '),
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    'upgrade-insecure-requests',
  ].join('; ');

/** Why the checks below do not apply to the bucket that receives the access logs. */
const LOG_BUCKET_CHECKOV_SKIPS: CheckovSkip[] = [
  { id: 'CKV_AWS_18', comment: 'This bucket receives the access logs; logging access to it would log its own log deliveries.' },
];

/** Why the Lambda checks do not apply to the function behind CDK's BucketDeployment. */
const DEPLOYMENT_FUNCTION_CHECKOV_SKIPS: CheckovSkip[] = [
  { id: 'CKV_AWS_115', comment: 'Runs once per deployment, invoked by CloudFormation only; reserving concurrency would take it from the account pool.' },
  { id: 'CKV_AWS_116', comment: 'Invoked synchronously by CloudFormation, which reports failures; a dead-letter queue only applies to asynchronous invocations.' },
  { id: 'CKV_AWS_117', comment: 'Copies objects between S3 buckets through public endpoints; pass vpc to BucketDeployment to place it in a VPC.' },
  { id: 'CKV_AWS_173', comment: 'The environment holds no secrets; AWS-managed encryption at rest applies.' },
];

/** Why CKV_AWS_111 does not apply to the policy CDK's BucketDeployment gives its function. */
const DEPLOYMENT_POLICY_CHECKOV_SKIPS: CheckovSkip[] = [
  {
    id: 'CKV_AWS_111',
    comment: "CDK's BucketDeployment writes only to the site bucket; its cloudfront:CreateInvalidation grant names no distribution because CDK grants it that way.",
  },
];

/**
 * A static website (a Vite build) on S3 and CloudFront. `url` is the site's origin
 * (`https://<domain>`, no trailing slash): give it to the APIs' `restrictCorsTo`.
 */
export class StaticWebsite extends Construct {
  /** The private bucket holding the site (read by CloudFront only, through Origin Access Control). */
  public readonly bucket: Bucket;
  /** The bucket receiving CloudFront's (`cloudfront/`) and the site bucket's (`s3/`) access logs. */
  public readonly logBucket: Bucket;
  public readonly distribution: Distribution;
  public readonly responseHeadersPolicy: ResponseHeadersPolicy;
  /** The site's origin, `https://<first domain name or the distribution's domain>`. */
  public readonly url: string;

  public constructor(scope: Construct, id: string, props: StaticWebsiteProps) {
    super(scope, id);
    // The site bucket's access logs are delivered under a bucket policy of the log bucket, not
    // the legacy log-delivery ACL (whatever the app's cdk.json says).
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    const dir = workspacePath(props.websiteDir);
    if (!existsSync(join(dir, 'index.html'))) {
      throw new Error(
        `Website ${dir} has no index.html: build it first` +
          (props.project ? ` (pnpm nx run ${props.project}:build).` : ' (the website project’s build target).'),
      );
    }
    if (props.domainNames?.length && !props.certificate) {
      throw new Error(`Website ${props.websiteName}: domainNames need a certificate (in us-east-1).`);
    }

    const logRetention = props.logRetention ?? Duration.days(90);
    this.logBucket = new Bucket(this, 'LogBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront delivers its standard logs through an ACL grant, which needs ACLs enabled.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      versioned: true,
      lifecycleRules: [
        {
          expiration: logRetention,
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    suppressCheckov(this.logBucket, LOG_BUCKET_CHECKOV_SKIPS);

    const versioned = props.versioned ?? true;
    const lifecycleRules: LifecycleRule[] = [
      versioned
        ? { noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(1) }
        : { abortIncompleteMultipartUploadAfter: Duration.days(1) },
    ];
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned,
      lifecycleRules,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/',
      // The site is rebuilt from source; the bucket is kept (with its objects) when the stack goes.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    if (!versioned) {
      suppressCheckov(this.bucket, [
        { id: 'CKV_AWS_21', comment: 'Versioning was turned off (versioned: false): the site is rebuilt from source.' },
      ]);
    }

    this.responseHeadersPolicy = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: `Security headers of the ${props.websiteName} website (fastgen)`,
      securityHeadersBehavior: {
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
        contentSecurityPolicy: {
          contentSecurityPolicy: props.contentSecurityPolicy ?? defaultContentSecurityPolicy(props.connectSources),
          override: true,
        },
      },
    });

    const skips: CheckovSkip[] = [
      {
        id: 'CKV_AWS_68',
        comment: 'A WAF web ACL is an account-level choice with its own cost: pass webAclId to attach one. The site is static files from a private bucket.',
      },
      { id: 'CKV_AWS_310', comment: 'One origin, the private S3 bucket; an origin group needs a second bucket in another region.' },
      { id: 'CKV_AWS_374', comment: 'A public website is served worldwide; restrict countries with geoRestriction where required.' },
    ];
    if (!props.certificate) {
      skips.push({
        id: 'CKV_AWS_174',
        comment: 'The default *.cloudfront.net certificate fixes the security policy; pass domainNames and a certificate to require TLS 1.2.',
      });
    }
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `${props.websiteName} website (fastgen)`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.responseHeadersPolicy,
        compress: true,
      },
      // A single-page app routes in the browser: a path with no object (S3 answers 403 to
      // CloudFront, which may not list the bucket; 404 otherwise) gets index.html, uncached.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: '/index.html',
        ttl: Duration.seconds(0),
      })),
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: props.priceClass ?? PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      domainNames: props.domainNames,
      certificate: props.certificate,
      minimumProtocolVersion: props.certificate ? SecurityPolicyProtocol.TLS_V1_2_2021 : undefined,
      webAclId: props.webAclId,
    });
    suppressCheckov(this.distribution, skips);
    this.url = `https://${props.domainNames?.[0] ?? this.distribution.distributionDomainName}`;

    // The build, without its local runtime-config.json. Vite's hashed files never change:
    // cached for a year. Everything else (index.html, public/ files, the runtime
    // configuration) is revalidated on every load, and the edge caches are invalidated.
    const site = Source.asset(dir, { exclude: [RUNTIME_CONFIG_KEY] });
    const assets = new BucketDeployment(this, 'DeployAssets', {
      sources: [site],
      destinationBucket: this.bucket,
      exclude: ['*'],
      include: [`${ASSETS_DIR}/*`],
      cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.days(365)), CacheControl.immutable()],
    });
    const pages = new BucketDeployment(this, 'DeploySite', {
      sources: [site, Source.jsonData(RUNTIME_CONFIG_KEY, props.runtimeConfig ?? { apis: {} })],
      destinationBucket: this.bucket,
      exclude: [`${ASSETS_DIR}/*`],
      cacheControl: [CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: ['/*'],
    });
    // index.html names the new assets: upload them first.
    pages.node.addDependency(assets);
    // The function and role behind CDK's BucketDeployment (one per stack, shared).
    for (const child of Stack.of(this).node.children) {
      if (child.node.id.startsWith('Custom::CDKBucketDeployment')) {
        suppressCheckov(child, DEPLOYMENT_FUNCTION_CHECKOV_SKIPS);
      }
    }
    const deploymentPolicy = assets.handlerRole.node.tryFindChild('DefaultPolicy');
    if (deploymentPolicy) {
      suppressCheckov(deploymentPolicy, DEPLOYMENT_POLICY_CHECKOV_SKIPS);
    }
  }
}
