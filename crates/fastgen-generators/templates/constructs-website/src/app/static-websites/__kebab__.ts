/**
 * The {{ title }} website ({{ project_dir }}) on S3 and CloudFront: its build, which
 * `pnpm nx run {{ project_name }}:build` writes to {{ dist_dir }}, and the runtime-config.json
 * written at deploy time from `runtimeConfig` (the CDK app passes every API's URL and the
 * Cognito ids).
 *
 * Created by fastgen; yours to edit.
 */
import type { Construct } from 'constructs';
import { StaticWebsite, type StaticWebsiteOptions } from '../../core/static-website.js';

/** The Nx project that builds the site. */
const PROJECT = '{{ project_name | ts_string }}';
/** The build, relative to the workspace root. */
const WEBSITE_DIR = '{{ dist_dir | ts_string }}';

/** Bucket, distribution, headers and runtime configuration options (see `StaticWebsiteProps`). */
export interface {{ class_name }}Props extends StaticWebsiteOptions {}

export class {{ class_name }} extends StaticWebsite {
  public constructor(scope: Construct, id: string, props: {{ class_name }}Props = {}) {
    super(scope, id, { ...props, websiteName: PROJECT, websiteDir: WEBSITE_DIR, project: PROJECT });
  }
}
