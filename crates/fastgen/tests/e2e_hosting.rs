//! End-to-end, hosting with CDK: a workspace with a REST API (isolated, IAM), an HTTP API
//! (shared, Cognito), a website connected to both and a website connected to none, a CDK app,
//! and the real tool chain: `pnpm nx run infra:synth` (which builds both websites), then
//! assertions on the synthesised template — each site's bucket private and readable by its
//! distribution only (Origin Access Control, no identity), TLS-only bucket policies, the SPA
//! error responses, the security headers policy and its CSP, access logs, the deployment of
//! the build and of a runtime-config.json carrying the connected APIs' URLs and the Cognito
//! ids, the APIs' CORS narrowed to the connected site — and `cfn-lint` and `checkov`. Runs with
//! `FASTGEN_E2E=1`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{fastgen, sh};
use serde_json::{Value, json};

/// The synthesised resources, with lookups by construct path and by reference.
struct Template<'a> {
    resources: &'a serde_json::Map<String, Value>,
}

impl<'a> Template<'a> {
    /// The resources of `kind` whose construct path starts with `prefix`.
    fn of(&self, prefix: &str, kind: &str) -> Vec<(&'a str, &'a Value)> {
        self.resources
            .iter()
            .filter(|(_, r)| {
                r["Type"] == kind
                    && r["Metadata"]["aws:cdk:path"].as_str().is_some_and(|p| p.starts_with(prefix))
            })
            .map(|(id, r)| (id.as_str(), r))
            .collect()
    }

    /// The one resource of `kind` whose construct path is `path` (`…/Resource` is added).
    fn at(&self, path: &str, kind: &str) -> (&'a str, &'a Value) {
        let full = format!("{path}/Resource");
        let found: Vec<_> = self
            .resources
            .iter()
            .filter(|(_, r)| r["Type"] == kind && r["Metadata"]["aws:cdk:path"] == full.as_str())
            .collect();
        assert_eq!(found.len(), 1, "{kind} at {full}: {found:?}");
        (found[0].0.as_str(), found[0].1)
    }

    fn all(&self, kind: &str) -> Vec<(&'a str, &'a Value)> {
        self.resources.iter().filter(|(_, r)| r["Type"] == kind).map(|(id, r)| (id.as_str(), r)).collect()
    }
}

/// Every logical id referenced (`Ref`, `Fn::GetAtt`) inside `value`.
fn refs(value: &Value) -> BTreeSet<String> {
    fn walk(value: &Value, out: &mut BTreeSet<String>) {
        match value {
            Value::Object(map) => {
                if let Some(id) = map.get("Ref").and_then(Value::as_str) {
                    out.insert(id.to_owned());
                }
                if let Some(id) = map.get("Fn::GetAtt").and_then(|a| a.get(0)).and_then(Value::as_str) {
                    out.insert(id.to_owned());
                }
                map.values().for_each(|v| walk(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    walk(value, &mut out);
    out
}

/// The literal text of a string or an `Fn::Join`, with references as `{id}`.
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Object(map) if map.contains_key("Fn::Join") => {
            let parts = &map["Fn::Join"];
            let separator = parts[0].as_str().unwrap_or("");
            parts[1].as_array().unwrap().iter().map(text).collect::<Vec<_>>().join(separator)
        }
        other => refs(other).iter().fold(String::new(), |mut out, id| {
            out.push('{');
            out.push_str(id);
            out.push('}');
            out
        }),
    }
}

#[test]
#[cfg_attr(
    not(fastgen_e2e),
    ignore = "end-to-end: needs FASTGEN_E2E=1 and the tools scripts/install-tools.sh installs (scripts/test.sh sets both)"
)]
fn websites_synthesise_with_private_buckets_headers_and_runtime_config_and_scan_clean() {
    let temp = tempfile::tempdir().unwrap();
    let run = fastgen(temp.path(), &["new", "demo", "--iac-provider", "CDK", "--api", "my-api"]);
    assert_eq!(run.code, 0, "{run:?}");
    let root = temp.path().join("demo");
    for args in [
        &[
            "generate",
            "fast-api",
            "second",
            "--computeType",
            "http",
            "--integrationPattern",
            "shared",
            "--auth",
            "Cognito",
        ][..],
        &["generate", "website", "web"],
        &["generate", "website", "docs"],
        &["generate", "infra"],
        &["generate", "connection", "--source", "web", "--target", "demo.my_api"],
        &["generate", "connection", "--source", "web", "--target", "demo.second"],
    ] {
        let run = fastgen(&root, args);
        assert_eq!(run.code, 0, "{args:?}: {run:?}");
    }
    sh(&root, "uv sync");
    sh(&root, common::PNPM_INSTALL);
    // The websites' builds run before the synthesis (the deployment uploads them).
    sh(&root, "pnpm exec nx run infra:synth --outputStyle=static");

    // The built sites hold no inline script or style: the CSP allows none.
    for site in ["web", "docs"] {
        let index = std::fs::read_to_string(root.join(format!("dist/packages/{site}/index.html"))).unwrap();
        for tag in index.split("<script").skip(1) {
            assert!(tag.split('>').next().unwrap().contains("src="), "{site}: an inline script:\n{index}");
        }
        assert!(!index.contains("<style"), "{site}: an inline style:\n{index}");
    }

    let out = root.join("dist/packages/infra/cdk.out");
    check_runtime_configs(&out);
    let path = out.join("ApplicationStack.template.json");
    let template: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let t = Template { resources: template["Resources"].as_object().unwrap() };
    assert!(t.all("AWS::CloudFront::CloudFrontOriginAccessIdentity").is_empty(), "an origin access identity");

    let (rest_api, _) = t.at("ApplicationStack/MyApi/Api", "AWS::ApiGateway::RestApi");
    let (http_api, http) = t.at("ApplicationStack/Second/Api", "AWS::ApiGatewayV2::Api");
    let (user_pool, _) = t.at("ApplicationStack/UserPool", "AWS::Cognito::UserPool");
    let (client_id, client) = t.at("ApplicationStack/UserPool/WebClient", "AWS::Cognito::UserPoolClient");
    let (identity_pool, _) = t.at("ApplicationStack/IdentityPool", "AWS::Cognito::IdentityPool");

    let (sign_in_domain, _) = t.at("ApplicationStack/UserPool/SignInDomain", "AWS::Cognito::UserPoolDomain");
    let cognito = [rest_api, http_api, user_pool, client_id, identity_pool, sign_in_domain];
    check_website(&t, "WebWebsite", true, rest_api, &cognito);
    check_website(&t, "DocsWebsite", false, rest_api, &cognito);

    // CORS: the connected APIs answer the connected site's origin only.
    let (web_distribution, _) =
        t.at("ApplicationStack/WebWebsite/Distribution", "AWS::CloudFront::Distribution");
    let origins = &http["Properties"]["CorsConfiguration"]["AllowOrigins"];
    assert_eq!(origins.as_array().map(Vec::len), Some(1), "HTTP API CORS origins: {origins}");
    assert_eq!(
        refs(origins),
        BTreeSet::from([web_distribution.to_owned()]),
        "HTTP API CORS origins: {origins}"
    );
    let functions = t.of("ApplicationStack/MyApiFunctions/", "AWS::Lambda::Function");
    assert!(!functions.is_empty(), "no function of MyApi");
    for (id, function) in functions {
        let allowed = &function["Properties"]["Environment"]["Variables"]["ALLOWED_ORIGINS"];
        assert_eq!(
            refs(allowed),
            BTreeSet::from([web_distribution.to_owned()]),
            "{id}: ALLOWED_ORIGINS {allowed}"
        );
    }
    // Cognito may send users back to the connected site.
    let callbacks = &client["Properties"]["CallbackURLs"];
    assert!(refs(callbacks).contains(web_distribution), "callback URLs: {callbacks}");
    assert!(
        template["Outputs"].as_object().unwrap().keys().any(|k| k.starts_with("WebWebsiteUrl")),
        "no URL output"
    );

    let path = path.display().to_string();
    let lint = sh(&root, &format!("cfn-lint --format parseable --non-zero-exit-code error -- {path}"));
    assert!(!lint.lines().any(|l| l.contains(":E")), "cfn-lint errors:\n{lint}");
    sh(&root, &format!("checkov --quiet --compact --framework cloudformation -f {path}"));
}

/// One website's resources: private buckets, the OAC-only bucket policy, the distribution, the
/// headers, the logs, and the deployment whose runtime configuration refers to the
/// `connected_ids` (the APIs and Cognito) exactly when the site is connected.
fn check_website(t: &Template, site: &str, connected: bool, rest_api: &str, connected_ids: &[&str]) {
    let prefix = format!("ApplicationStack/{site}");
    let (bucket_id, bucket) = t.at(&format!("{prefix}/Bucket"), "AWS::S3::Bucket");
    let (log_bucket_id, log_bucket) = t.at(&format!("{prefix}/LogBucket"), "AWS::S3::Bucket");
    let (distribution_id, distribution) =
        t.at(&format!("{prefix}/Distribution"), "AWS::CloudFront::Distribution");
    let (headers_id, headers) =
        t.at(&format!("{prefix}/SecurityHeaders"), "AWS::CloudFront::ResponseHeadersPolicy");

    // Private buckets: public access blocked, SSE-S3, the site's access logs in the log bucket.
    for (id, b) in [(bucket_id, bucket), (log_bucket_id, log_bucket)] {
        let block = &b["Properties"]["PublicAccessBlockConfiguration"];
        for key in ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"] {
            assert_eq!(block[key], true, "{site}: {id}: {key}");
        }
        let encryption = &b["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"][0];
        assert_eq!(encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"], "AES256", "{site}: {id}");
        assert!(b["Properties"].get("AccessControl").is_none(), "{site}: {id} uses a legacy ACL");
        assert!(b["Properties"].get("WebsiteConfiguration").is_none(), "{site}: {id} is an S3 website");
    }
    assert_eq!(bucket["Properties"]["VersioningConfiguration"]["Status"], "Enabled", "{site}");
    let logging = &bucket["Properties"]["LoggingConfiguration"];
    assert_eq!(refs(&logging["DestinationBucketName"]), BTreeSet::from([log_bucket_id.to_owned()]), "{site}");
    let expiry = &log_bucket["Properties"]["LifecycleConfiguration"]["Rules"][0]["ExpirationInDays"];
    assert!(expiry.as_u64().is_some_and(|d| d > 0), "{site}: log expiry {expiry}");

    // The site bucket's policy: TLS only, and reads by this distribution only (through OAC).
    let policies: Vec<_> = t
        .all("AWS::S3::BucketPolicy")
        .into_iter()
        .filter(|(_, p)| refs(&p["Properties"]["Bucket"]).contains(bucket_id))
        .collect();
    assert_eq!(policies.len(), 1, "{site}: the site bucket's policy");
    let statements = policies[0].1["Properties"]["PolicyDocument"]["Statement"].as_array().unwrap();
    assert!(
        statements
            .iter()
            .any(|s| s["Effect"] == "Deny" && s["Condition"]["Bool"]["aws:SecureTransport"] == "false"),
        "{site}: no TLS-only statement: {statements:?}"
    );
    let allows: Vec<_> = statements.iter().filter(|s| s["Effect"] == "Allow").collect();
    assert_eq!(allows.len(), 1, "{site}: {allows:?}");
    assert_eq!(allows[0]["Principal"], json!({ "Service": "cloudfront.amazonaws.com" }), "{site}");
    assert_eq!(allows[0]["Action"], "s3:GetObject", "{site}");
    let source = &allows[0]["Condition"]["StringEquals"]["AWS:SourceArn"];
    assert!(
        refs(source).contains(distribution_id),
        "{site}: the read is not bound to the distribution: {source}"
    );

    // The distribution: OAC origin, HTTPS, the headers policy, SPA fallback, logs.
    let config = &distribution["Properties"]["DistributionConfig"];
    assert_eq!(config["DefaultRootObject"], "index.html", "{site}");
    let origin = &config["Origins"][0];
    assert_eq!(refs(&origin["DomainName"]), BTreeSet::from([bucket_id.to_owned()]), "{site}");
    let oac = refs(&origin["OriginAccessControlId"]);
    assert!(
        oac.iter().all(|id| t.resources[id]["Type"] == "AWS::CloudFront::OriginAccessControl")
            && oac.len() == 1,
        "{site}: origin access control {oac:?}"
    );
    assert_eq!(origin["S3OriginConfig"]["OriginAccessIdentity"], "", "{site}");
    let behavior = &config["DefaultCacheBehavior"];
    assert_eq!(behavior["ViewerProtocolPolicy"], "redirect-to-https", "{site}");
    assert_eq!(refs(&behavior["ResponseHeadersPolicyId"]), BTreeSet::from([headers_id.to_owned()]), "{site}");
    let errors: BTreeSet<(u64, u64, String)> = config["CustomErrorResponses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["ErrorCode"].as_u64().unwrap(),
                e["ResponseCode"].as_u64().unwrap(),
                e["ResponsePagePath"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        BTreeSet::from([(403, 200, "/index.html".to_owned()), (404, 200, "/index.html".to_owned())]),
        "{site}: SPA fallback"
    );
    assert_eq!(refs(&config["Logging"]["Bucket"]), BTreeSet::from([log_bucket_id.to_owned()]), "{site}");

    check_headers(site, headers, connected, rest_api);

    // The build and the runtime configuration, deployed: two deployments, the second (the
    // pages and runtime-config.json) invalidating the distribution.
    let deployments = t.of(&format!("{prefix}/"), "Custom::CDKBucketDeployment");
    assert_eq!(deployments.len(), 2, "{site}: deployments {deployments:?}");
    let pages = deployments
        .iter()
        .find(|(_, d)| d["Properties"].get("DistributionId").is_some())
        .unwrap_or_else(|| panic!("{site}: no deployment invalidates the distribution"))
        .1;
    let markers = refs(&pages["Properties"]["SourceMarkers"]);
    for &id in connected_ids {
        assert_eq!(markers.contains(id), connected, "{site}: runtime-config.json and {id}: {markers:?}");
    }
}

/// The security headers of a site's response headers policy, and its CSP's `connect-src`: the
/// REST API by id, the region's HTTP APIs and Cognito when it is connected, itself only when not.
fn check_headers(site: &str, headers: &Value, connected: bool, rest_api: &str) {
    let security = &headers["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"];
    let hsts = &security["StrictTransportSecurity"];
    assert!(hsts["AccessControlMaxAgeSec"].as_u64().unwrap() >= 31_536_000, "{site}: HSTS {hsts}");
    assert_eq!(hsts["IncludeSubdomains"], true, "{site}");
    assert_eq!(security["ContentTypeOptions"]["Override"], true, "{site}");
    assert_eq!(security["FrameOptions"]["FrameOption"], "DENY", "{site}");
    assert_eq!(security["ReferrerPolicy"]["ReferrerPolicy"], "strict-origin-when-cross-origin", "{site}");
    let csp = text(&security["ContentSecurityPolicy"]["ContentSecurityPolicy"]);
    for directive in
        ["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"]
    {
        assert!(csp.contains(directive), "{site}: CSP without `{directive}`: {csp}");
    }
    let connect = csp.split("; ").find(|d| d.starts_with("connect-src")).unwrap().to_owned();
    if connected {
        assert!(connect.contains(&format!("https://{{{rest_api}}}.execute-api.")), "{site}: {connect}");
        assert!(connect.contains("https://*.execute-api."), "{site}: {connect}");
        assert!(
            connect.contains("https://cognito-idp.")
                && connect.contains("https://cognito-identity.")
                && connect.contains(".auth.us-east-1.amazoncognito.com"),
            "{site}: {connect}"
        );
    } else {
        assert_eq!(connect, "connect-src 'self'", "{site}");
    }
}

/// The runtime configurations CDK deploys (`Source.jsonData`, deploy-time values as markers):
/// the connected site's names both APIs and the Cognito ids, the other site's none; the
/// builds are uploaded without their local runtime-config.json.
fn check_runtime_configs(out: &Path) {
    let mut configs = Vec::new();
    for asset in std::fs::read_dir(out).unwrap().flatten().map(|e| e.path()).filter(|p| p.is_dir()) {
        let config = asset.join("runtime-config.json");
        if asset.join("index.html").exists() {
            assert!(
                !config.exists(),
                "{}: the build's local runtime-config.json is uploaded",
                asset.display()
            );
        } else if config.exists() {
            configs.push(serde_json::from_str::<Value>(&std::fs::read_to_string(config).unwrap()).unwrap());
        }
    }
    configs.sort_by_key(ToString::to_string);
    assert_eq!(configs.len(), 2, "{configs:?}");
    assert_eq!(configs[1], json!({ "apis": {} }), "the unconnected site: {configs:?}");
    let connected = &configs[0];
    let apis: BTreeSet<&str> = connected["apis"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(apis, BTreeSet::from(["MyApi", "Second"]), "{connected}");
    assert!(connected["apis"]["MyApi"].as_str().unwrap().starts_with("https://"), "{connected}");
    let cognito: BTreeSet<&str> =
        connected["cognito"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        cognito,
        BTreeSet::from(["region", "userPoolId", "userPoolClientId", "identityPoolId", "domain"]),
        "{connected}"
    );
}
