#!/usr/bin/env python3
"""Python's own codecs as an independent encoder for the legacy-charset
property test (test/repair/legacy-charsets.property.test.ts). One process per
batch, JSON on stdin and stdout:

  {"op": "repertoire", "charsets": [...]}  ->  {charset: "all characters"}
  {"op": "encode", "items": [[charset, text], ...]}  ->  ["base64 bytes", ...]

A repertoire holds the characters Python's codec encodes and decodes back
unchanged, minus the few where the WHATWG tables (which the code under test
follows) and Python's tables are different standards, listed in DIFFERENT.
"""
import base64
import json
import sys
import unicodedata

CODEC = {
    'windows-1252': 'cp1252', 'iso-8859-1': 'latin-1', 'iso-8859-2': 'iso8859_2',
    'iso-8859-15': 'iso8859_15', 'windows-1250': 'cp1250', 'windows-1251': 'cp1251',
    'koi8-r': 'koi8_r', 'shift_jis': 'shift_jis', 'iso-2022-jp': 'iso2022_jp',
    'euc-kr': 'euc_kr', 'gbk': 'gbk', 'gb18030': 'gb18030', 'big5': 'big5',
}
# WHATWG (jis0208 index as browsers use it) vs Python's JIS X 0208 table: ～ ∥ － ￠ ￡ ￢ vs 〜 ‖ − ¢ £ ¬.
JIS = set('〜‖−¢£¬')
DIFFERENT = {
    'shift_jis': JIS, 'iso-2022-jp': JIS,
    # GB18030-2005 (WHATWG) swapped U+1E3F and U+E7C7 relative to the 2000 table Python has.
    'gb18030': {'\u1e3f', '\ue7c7'},
}


def candidates(cs):
    if cs in ('shift_jis', 'iso-2022-jp', 'euc-kr', 'gbk', 'gb18030', 'big5'):
        probe = {'shift_jis': 'shift_jis', 'iso-2022-jp': 'shift_jis', 'euc-kr': 'euc_kr',
                 'gbk': 'gbk', 'gb18030': 'gbk', 'big5': 'big5'}[cs]
        # Big5: the frequently-used hanzi block only (A440-C67E); its symbol rows and the
        # C6A1- kana differ between Big5 variants (WHATWG's is Big5-HKSCS, Python's plain Big5).
        leads = range(0xA4, 0xC7) if cs == 'big5' else range(0x81, 0xFF)
        out = set()
        for a in leads:
            for b in range(0x40, 0xFF):
                if cs == 'big5' and a == 0xC6 and b > 0x7E:
                    continue
                try:
                    out.add(bytes([a, b]).decode(probe))
                except UnicodeDecodeError:
                    pass
        if cs == 'gb18030':
            out |= set('😀🎉Ǹ€')
        return out
    return {bytes([b]).decode(CODEC[cs], 'ignore') for b in range(0x80, 0x100)} - {''}


def repertoire(cs):
    chars = []
    for c in sorted(candidates(cs)):
        if len(c) != 1 or c in DIFFERENT.get(cs, ()):
            continue
        cat = unicodedata.category(c)
        if cat.startswith('C') or cat.startswith('Z'):  # controls, private use, separators
            continue
        try:
            if c.encode(CODEC[cs]).decode(CODEC[cs]) != c:
                continue
        except UnicodeError:
            continue
        chars.append(c)
    return ''.join(chars)


def main():
    req = json.load(sys.stdin)
    if req['op'] == 'repertoire':
        out = {cs: repertoire(cs) for cs in req['charsets']}
    else:
        out = [base64.b64encode(t.encode(CODEC[cs])).decode() for cs, t in req['items']]
    json.dump(out, sys.stdout, ensure_ascii=True)


main()
