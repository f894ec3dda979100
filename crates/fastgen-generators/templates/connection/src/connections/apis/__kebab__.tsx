{% if api.auth == 'Custom' %}
import { useCallback } from 'react';

{% endif %}
import { {{ api.class_name }} } from '../../generated/{{ api.kebab }}/client.gen';
import { create{{ api.class_name }}Options } from '../../generated/{{ api.kebab }}/options.gen';
{% if api.auth == 'IAM' %}
import { useSignedFetch } from '../auth/aws-credentials';
{% elif api.auth == 'Cognito' %}
import { useTokenHeaders } from '../auth/sign-in';
{% endif %}
import { connect } from '../connect';

/**
 * {{ api.class_name }}: the API `{{ api.project }}` ({{ api.project_dir }}), {% if api.auth == 'IAM' %}with IAM auth:
 * every request is signed (SigV4) with the signed-in user's credentials from the Cognito
 * identity pool.{% elif api.auth == 'Cognito' %}with Cognito auth:
 * every request carries the signed-in user's {% if api.is_rest %}ID token (a REST API's Cognito authorizer takes the ID
 * token; an access token only for methods with OAuth scopes){% else %}access token (the HTTP API's JWT authorizer
 * checks its `client_id`){% endif %}.{% elif api.auth == 'Custom' %}with a custom Lambda authorizer:
 * every request carries the headers `use{{ api.class_name }}AuthHeaders()` gives.{% else %}public (no auth):
 * plain requests.{% endif %} Its client is generated from the API's OpenAPI
 * document by `pnpm nx run {{ website }}:generate:{{ api.kebab }}-client` (which every build runs) into
 * `src/generated/{{ api.kebab }}/`.
 */
export const {{ api.class_name }}Connection = connect({
  key: '{{ api.class_name }}',
  localUrl: 'http://localhost:{{ api.port }}/',
  client: (config) => new {{ api.class_name }}(config),
  options: create{{ api.class_name }}Options,
{% if api.auth == 'IAM' %}
  useAuthorization: () => ({ fetch: useSignedFetch() }),
{% elif api.auth == 'Cognito' %}
  useAuthorization: () => ({ headers: useTokenHeaders('{{ 'id' if api.is_rest else 'access' }}') }),
{% elif api.auth == 'Custom' %}
  useAuthorization: () => ({ headers: use{{ api.class_name }}AuthHeaders() }),
{% endif %}
});

/**
 * The client of {{ api.class_name }}, one typed method per operation:
 * `const item = await use{{ api.class_name }}Client().getItem({ item_id: 1 })`.
 */
export function use{{ api.class_name }}Client(): {{ api.class_name }} {
  return {{ api.class_name }}Connection.useClient();
}

/**
 * TanStack Query options for every operation of {{ api.class_name }}:
 * `useQuery(use{{ api.class_name }}().getItem.queryOptions({ item_id: 1 }))`,
 * `useMutation(use{{ api.class_name }}().createItem.mutationOptions())`.
 */
export function use{{ api.class_name }}(): ReturnType<typeof create{{ api.class_name }}Options> {
  return {{ api.class_name }}Connection.useOptions();
}
{% if api.auth == 'Custom' %}

/**
 * The headers {{ api.class_name }}'s Lambda authorizer reads (`authorizer.py` in {{ api.project_dir }}
 * receives the `Authorization` header): fill this in. It is a hook, so it may call other hooks
 * (your sign-in library's, say); the function it returns is called before every request, so
 * a token it reads is the current one. Until then requests carry no token, and the
 * authorizer denies them.
 */
export function use{{ api.class_name }}AuthHeaders(): () => Promise<HeadersInit> {
  return useCallback(async () => {
    const headers: Record<string, string> = {};
    // headers['authorization'] = `Bearer ${await yourToken()}`;
    return headers;
  }, []);
}
{% endif %}
