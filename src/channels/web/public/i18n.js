// The page's own words (buttons, labels, errors). What the bot says comes from the server.
const STRINGS = {
  ja: {
    title: 'APC UPS 保守サービス サポート',
    restart: '最初から',
    restartLabel: '会話を最初からやり直す',
    logLabel: '会話',
    inputLabel: 'メッセージ',
    placeholder: 'ご質問を入力してください',
    send: '送信',
    you: 'あなた',
    bot: 'サポート',
    choices: '選択肢',
    links: '関連リンク',
    skus: '該当するサービス型番',
    callLabel: (phone) => `コールセンターに電話する ${phone}`,
    thinking: '回答を準備しています…',
    errorNetwork: '申し訳ありません。送信できませんでした。通信状況を確認して、もう一度お試しいただくか、コールセンターにお電話ください。',
    errorServer: '申し訳ありません。うまく回答できませんでした。少し時間をおいて、もう一度お試しいただくか、コールセンターにお電話ください。',
    errorRateLimited: (seconds) => `申し訳ありません。メッセージが多すぎます。${seconds}秒ほど待ってから送信してください。`,
    errorEmpty: 'メッセージを入力してください。',
  },
  en: {
    title: 'APC UPS maintenance support',
    restart: 'Start over',
    restartLabel: 'Start the conversation over',
    logLabel: 'Conversation',
    inputLabel: 'Message',
    placeholder: 'Type your question',
    send: 'Send',
    you: 'You',
    bot: 'Support',
    choices: 'Choices',
    links: 'Related links',
    skus: 'Matching service SKUs',
    callLabel: (phone) => `Call the call center at ${phone}`,
    thinking: 'Preparing an answer…',
    errorNetwork: 'Sorry, the message could not be sent. Check your connection and try again, or call the call center.',
    errorServer: 'Sorry, something went wrong while answering. Please try again in a moment, or call the call center.',
    errorRateLimited: (seconds) => `Sorry, too many messages. Please wait about ${seconds} seconds.`,
    errorEmpty: 'Please type a message.',
  },
};

/** @param {'ja'|'en'} lang */
export function strings(lang) {
  return STRINGS[lang] ?? STRINGS.ja;
}

/** Japanese unless the browser prefers English. */
export function browserLang() {
  const preferred = navigator.languages?.[0] ?? navigator.language ?? 'ja';
  return preferred.toLowerCase().startsWith('en') ? 'en' : 'ja';
}

/** Rewords the page chrome (elements marked data-i18n*) in the given language. */
export function applyLang(lang) {
  const t = strings(lang);
  document.documentElement.lang = lang;
  document.title = t.title;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t[el.dataset.i18n];
  for (const el of document.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t[el.dataset.i18nLabel]);
  for (const el of document.querySelectorAll('[data-i18n-placeholder]')) el.setAttribute('placeholder', t[el.dataset.i18nPlaceholder]);
}
