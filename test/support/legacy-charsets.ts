/** The legacy charsets of issue 13: every corpus and property test covers each. */
export const LEGACY_CHARSETS = [
  'windows-1252',
  'iso-8859-1',
  'iso-8859-2',
  'iso-8859-15',
  'windows-1250',
  'windows-1251',
  'koi8-r',
  'shift_jis',
  'iso-2022-jp',
  'euc-kr',
  'gbk',
  'gb18030',
  'big5',
] as const;
