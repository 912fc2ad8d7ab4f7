// The page's own words, in both languages: the labels of the form and the table (the page
// furniture) and the messages shown before Python has started or when it cannot. They live in
// autossl_check.texts.PAGE_WORDS; the site build writes them into page-words.js. Everything a
// result says (verdict, row status, advice, findings) is made by Python and shown as sent.
//
// Keys match the template's data-i18n attributes (overrides/checker.html) and the view's uses.

import { STRINGS } from "./page-words.js";

export function stringsFor(lang) {
  return STRINGS[lang === "en" ? "en" : "ja"];
}

export function format(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
}
