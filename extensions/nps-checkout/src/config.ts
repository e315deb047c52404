// The app's public URL, which the extension calls (network_access). Set it to SHOPIFY_APP_URL before
// `shopify app deploy`; `shopify app dev` serves the app at the tunnel URL it prints.
export const APP_URL = "https://example.com";
