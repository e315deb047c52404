/** Shopify gives the merchant 30 days to hand a customer the data a customers/data_request asks for. */
export const DATA_REQUEST_DEADLINE_DAYS = 30;
