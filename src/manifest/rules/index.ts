// Every manifest rule: the loader's (reported while parsing) and the checked ones (run in this
// order on a schema-valid manifest by check.ts). A new manifest rule is one object in the file of
// its topic, added to MANIFEST_CHECKS here, with a fixture folder test/fixtures/manifest/invalid/<id>/.
import { customersUnique, oauthRedirectUri, oauthScope, slugFormat } from "./app.js";
import { LOADER_RULES } from "./loader.js";
import {
  apiKeyRequired,
  pluginOneSetting,
  sensitiveSetting,
  settingDefault,
  settingKey,
  settingKeyUnique,
} from "./settings.js";
import { testSettingsMissing, testSettingsSecret, testSettingsUnknown } from "./test-settings.js";
import { webhookUrl } from "./webhook.js";

export const MANIFEST_CHECKS = [
  slugFormat,
  settingKey,
  settingKeyUnique,
  settingDefault,
  apiKeyRequired,
  sensitiveSetting,
  pluginOneSetting,
  testSettingsUnknown,
  testSettingsSecret,
  testSettingsMissing,
  webhookUrl,
  oauthScope,
  oauthRedirectUri,
  customersUnique,
] as const;

export const MANIFEST_RULES = [...LOADER_RULES, ...MANIFEST_CHECKS] as const;
export type ManifestRuleId = (typeof MANIFEST_RULES)[number]["id"];
