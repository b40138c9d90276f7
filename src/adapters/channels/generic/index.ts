export { GenericWebhookVerifier, genericSignatureHeader, signGenericWebhook } from './generic-webhook';
