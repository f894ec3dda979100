import type { ReactNode } from 'react';

{% for api in apis %}
import { {{ api.class_name }}Connection } from './apis/{{ api.kebab }}';
{% endfor %}
{% if sign_in %}
import { SignIn } from './auth/sign-in';
{% endif %}
import { LocalBanner } from './local';

/** Every API the site is connected to (`fastgen generate connection` adds one line each). */
const CONNECTIONS = [
{% for api in apis %}
  {{ api.class_name }}Connection,
{% endfor %}
] as const;

/** The name of each connected API: its key in `apis` of runtime-config.json. */
export type ApiName = (typeof CONNECTIONS)[number]['key'];

/** `apis` of runtime-config.json as the connections read it: the URL of every connected API. */
export type ConnectedApiUrls = Readonly<Record<ApiName, string>>;

/**
 * What the components need to call the APIs, around the router (`src/app.tsx`): {% if sign_in %}sign-in
 * through the Cognito hosted UI (for the APIs with IAM or Cognito auth), then {% endif %}each API's
 * provider, which the API's hooks (`src/connections/apis/`) read.
 */
export function Connections({ children }: { children: ReactNode }) {
  const providers = CONNECTIONS.reduceRight<ReactNode>(
    (inner, { Provider }) => <Provider>{inner}</Provider>,
    children,
  );
  return (
    <>
      <LocalBanner apis={CONNECTIONS} />
{% if sign_in %}
      <SignIn>{providers}</SignIn>
{% else %}
      {providers}
{% endif %}
    </>
  );
}
