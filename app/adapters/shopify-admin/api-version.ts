// One API version everywhere: shopify.app.toml, shopifyApp(), the Admin client and the extensions.
export const ADMIN_API_VERSION = "2026-10";
