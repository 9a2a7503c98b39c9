// Engine phrases live in knowledge/messages.yaml; this lists the keys the engine needs
// (checked at load) and fills {placeholders}.
import type { Lang } from '../turn.ts';

export const REQUIRED_MESSAGES = [
  'ask_timing', 'ask_downtime', 'ask_self_service', 'ask_model', 'ask_response_24x7', 'ask_years', 'ask_sku_model',
  'choice_timing_new_purchase', 'choice_timing_owned', 'choice_downtime_tolerable', 'choice_downtime_minimize',
  'choice_self_service_yes', 'choice_self_service_no', 'choice_response_24x7_yes', 'choice_response_24x7_no',
  'choice_model_unknown', 'choice_years', 'choice_years_one', 'choice_continue_yes', 'choice_continue_no',
  'choice_restart', 'choice_handoff', 'choice_menu', 'choice_sku_lookup', 'choice_recommend',
  'choice_apply_annual', 'choice_register_pack', 'choice_bundled_models',
  'continue_prompt', 'dialog_stopped', 'answer_changed', 'invalid_choice', 'not_understood_slot', 'did_you_mean', 'failed_owned',
  'model_near_miss', 'model_not_in_tables', 'sku_intro', 'sku_table_missing', 'sku_not_offered_line', 'sku_footer', 'sku_pack_only_new',
  'decode_bundled', 'decode_bundled_note', 'decode_plain_model',
  'rec_intro', 'rec_why', 'rec_level_sendback', 'rec_level_onsite_downtime', 'rec_level_onsite_people', 'rec_4h',
  'rec_owned', 'rec_new', 'rec_bundled_line', 'rec_pack_line', 'rec_pack_not_offered', 'rec_annual_line',
  'rec_annual_not_offered', 'rec_option_not_offered', 'rec_no_model', 'rec_next_annual', 'rec_next_new', 'rec_handoff',
  'handoff_intro', 'handoff_open', 'handoff_closed', 'handoff_ready', 'handoff_summary', 'handoff_after_failures',
  'summary_timing', 'summary_downtime', 'summary_self_service', 'summary_model', 'summary_response_24x7', 'summary_years', 'summary_level',
  'store_unavailable', 'internal_error', 'text_truncated',
  'sku_info', 'sku_printed_as', 'sku_unknown',
  'rec_pack_no_row', 'years_not_offered', 'rec_changed', 'near_miss_confirmed', 'eligibility_pack_owned',
  'sku_check_unknown', 'sku_check_wrong_model', 'sku_check_right', 'understood',
] as const;
export type MessageKey = (typeof REQUIRED_MESSAGES)[number];

export type Messages = Record<string, { ja: string; en: string }>;

export function formatMessage(messages: Messages, key: MessageKey, lang: Lang, vars: Record<string, string | number> = {}): string {
  const template = messages[key]?.[lang] ?? key;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}
