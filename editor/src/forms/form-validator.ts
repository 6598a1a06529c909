/**
 * The rjsf validator: ajv8 told about our annotation keywords, so `x-i18n` / `x-widget` in node schemas are
 * known keywords rather than silently ignored unknowns (the server's ajv runs in strict mode with the same two),
 * and about our formats (`time-zone`, `cron`, …), checked the way the server checks them.
 */
import { customizeValidator } from '@rjsf/validator-ajv8';
import { JOURNEY_FORMATS } from '../../../nodes/formats';

export const formValidator = customizeValidator({
  ajvOptionsOverrides: { keywords: ['x-i18n', 'x-widget'] },
  customFormats: { ...JOURNEY_FORMATS },
});
