/**
 * The rjsf validator: ajv8 told about our annotation keywords, so `x-i18n` / `x-widget` in node schemas are
 * known keywords rather than silently ignored unknowns (the server's ajv runs in strict mode with the same two).
 */
import { customizeValidator } from '@rjsf/validator-ajv8';

export const formValidator = customizeValidator({
  ajvOptionsOverrides: { keywords: ['x-i18n', 'x-widget'] },
});
