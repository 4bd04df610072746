/** The product version, shown by the API and its OpenAPI document. */
export const version = '0.1.0';
