#!/usr/bin/env python3
"""email_check.py — CPython's `email` package as an independent judge of raw messages.

Two modes:

  python3 email_check.py FILE... [--json]
      Human-readable report per file (or one JSON object per file with --json).
      Exit status 0 = no defects and no raw-check findings, 1 = findings,
      2 = usage error / unreadable file.

  python3 email_check.py --serve
      Long-lived worker for the test suite (test/support/python-email.ts).
      Writes one line {"ready": true, ...} at start, then for every request
      on stdin -- an 8-byte big-endian length followed by that many bytes of
      raw message -- answers exactly one JSON line on stdout. Requests are
      answered in order. EOF on stdin ends the process.

What is reported (keys of the JSON object):

  defects    every defect Python records with BytesParser + policy.default:
             part-level (MissingHeaderBodySeparatorDefect, CloseBoundaryNotFound,
             InvalidBase64..., ...) and header-level (InvalidHeaderDefect,
             encoded word inside quoted string, ...) on the message and on
             every MIME part: [{part, header|None, type, message}]
  rawChecks  this script's OWN byte-level checks, which Python's parser does
             not make (it accepts bare LF, raw UTF-8 headers, missing Date...):
             [{code, message}] with code one of
             bare-lf, bare-cr, control-char, header-8bit, part-header-8bit,
             line-too-long, missing-date, missing-from, missing-message-id,
             missing-mime-version, text-without-charset, declared-7bit-with-8bit,
             bcc-present, duplicate-header
  headers    decoded Subject, From, Sender, To, Cc, Reply-To (address lists as
             [{name, address}]), Date (+ dateIso), Message-ID, and every
             field as [name, decoded value] (fields)
  parts      every leaf part: path ("0", "0.1", ...), contentType, charset,
             cte, disposition, filename (RFC 2231 decoded), cid, and the content:
             `text` for text/* (decoded with its charset; Python keeps the CRLF
             line endings of the message), `base64` for everything else.
             charsetError=true when the bytes do not decode strictly.

stdlib only; any Python >= 3.8 (CI uses Debian's 3.11).
"""
import base64
import json
import re
import struct
import sys
from email import policy
from email.headerregistry import HeaderRegistry
from email.parser import BytesParser

class CachedHeaderRegistry(HeaderRegistry):
    """policy.default parses a field anew on every access (get_param,
    get_filename, items() ... each parse Content-Type again) and builds a new
    class for each field it parses. Parsed fields are immutable, so the same
    (name, value) gives the same object here: the same parser and defects,
    fast enough to judge thousands of messages in one process."""

    MAX_CACHED = 4096

    def __init__(self):
        super().__init__()
        self._classes = {}
        self._parsed = {}

    def __getitem__(self, name):
        key = name.lower()
        cls = self._classes.get(key)
        if cls is None:
            cls = self._classes[key] = super().__getitem__(name)
        return cls

    def __call__(self, name, value):
        key = (name, value)
        header = self._parsed.get(key)
        if header is None:
            if len(self._parsed) >= self.MAX_CACHED:
                self._parsed.clear()
            header = self._parsed[key] = super().__call__(name, value)
        return header


PARSER = BytesParser(policy=policy.default.clone(header_factory=CachedHeaderRegistry()))

# RFC 5322 3.6 (max one) plus the MIME headers that must not repeat
SINGLETON_HEADERS = (
    "date", "from", "sender", "reply-to", "to", "cc", "bcc", "message-id",
    "in-reply-to", "references", "subject", "mime-version", "content-type",
    "content-transfer-encoding", "content-disposition",
)
PART_SINGLETONS = ("content-type", "content-transfer-encoding", "content-disposition", "content-id")


def defect_entry(defect, part_path, header=None):
    return {
        "part": part_path,
        "header": header,
        "type": type(defect).__name__,
        "message": str(defect),
    }


def addresses(h):
    if h is None or not hasattr(h, "addresses"):
        return None
    return [{"name": a.display_name, "address": a.addr_spec} for a in h.addresses]


def text_or_none(h):
    return None if h is None else str(h)


def walk(part, path="0"):
    """Yield (part, path, content type); the type is parsed once per part (header
    parsing is what costs time with policy.default)."""
    ctype = part.get_content_type()
    yield part, path, ctype
    # message/rfc822 reports is_multipart() but is a leaf for our purposes
    if ctype.startswith("multipart/") and part.is_multipart():
        for i, sub in enumerate(part.get_payload()):
            yield from walk(sub, f"{path}.{i}")


def is_leaf(part, ctype):
    return not (ctype.startswith("multipart/") and part.is_multipart())


def leaf_report(part, path, ctype):
    cte_h = part.get("Content-Transfer-Encoding")
    cid = part.get("Content-ID")
    maintype = ctype.split("/")[0]
    info = {
        "path": path,
        "contentType": ctype,
        "charset": part.get_param("charset"),
        "cte": None if cte_h is None else str(cte_h).strip().lower(),
        "disposition": part.get_content_disposition(),
        "filename": part.get_filename(),
        "cid": None if cid is None else str(cid).strip(),
        # Content-Type parameters other than charset/name/boundary (format, delsp, ...),
        # lower-case names, RFC 2231 decoded; and the descriptive fields, as Python reads them.
        "params": {
            k.lower(): (v if isinstance(v, str) else str(v))
            for k, v in (part.get_params() or [])[1:]
            if k.lower() not in ("charset", "name", "boundary")
        },
        "description": text_or_none(part.get("Content-Description")),
        "language": text_or_none(part.get("Content-Language")),
        "location": text_or_none(part.get("Content-Location")),
    }
    try:
        if maintype == "message" and part.is_multipart():
            inner = part.get_payload(0)
            data = inner.as_bytes(policy=policy.default)
        else:
            data = part.get_payload(decode=True) or b""
        info["size"] = len(data)
        if maintype == "text":
            charset = part.get_content_charset() or "us-ascii"
            try:
                info["text"] = data.decode(charset)
            except (UnicodeDecodeError, LookupError):
                info["charsetError"] = True
                try:
                    info["text"] = data.decode(charset, errors="replace")
                except LookupError:
                    info["text"] = data.decode("utf-8", errors="replace")
        else:
            info["base64"] = base64.b64encode(data).decode("ascii")
    except Exception as e:  # noqa: BLE001 - a judge reports, it does not crash
        info["contentError"] = f"{type(e).__name__}: {e}"
    return info


def raw_checks(raw, msg, parts, first):
    """`first`: the first occurrence of each top-level field, parsed, by lower-case name."""
    found = []

    def add(code, message):
        found.append({"code": code, "message": message})

    sep = re.search(rb"\r?\n\r?\n", raw)
    head = raw[: sep.start()] if sep else raw
    crlf = raw.count(b"\r\n")
    lf = raw.count(b"\n")
    if lf != crlf:
        add("bare-lf", f"{lf - crlf} of {lf} line endings are a bare LF")
    bare_cr = len(re.findall(rb"\r(?!\n)", raw))
    if bare_cr:
        add("bare-cr", f"{bare_cr} bare CR")
    # ESC is how ISO-2022 charsets (RFC 1468) switch character sets: legitimate there.
    iso2022 = any(str(p.get_content_charset() or "").startswith("iso-2022-") for p, _, _ in parts)
    controls = rb"[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]" if iso2022 else rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
    m = re.search(controls, raw)
    if m:
        add("control-char", f"control character 0x{m.group()[0]:02x} at byte {m.start()}")
    if re.search(rb"[\x80-\xff]", head):
        add("header-8bit", "8-bit bytes in the message header block (needs RFC 2047 or SMTPUTF8)")
    long_lines = sum(1 for line in raw.split(b"\n") if len(line.rstrip(b"\r")) > 998)
    if long_lines:
        add("line-too-long", f"{long_lines} line(s) longer than 998 octets (RFC 5322 2.1.1)")

    counts = {}
    for k in msg.keys():
        counts[k.lower()] = counts.get(k.lower(), 0) + 1
    for k in SINGLETON_HEADERS:
        if counts.get(k, 0) > 1:
            add("duplicate-header", f"header {k} occurs {counts[k]} times (allowed once)")
    if "bcc" in first:
        add("bcc-present", "Bcc: header present in the transmitted message")
    for name, code in (("Date", "missing-date"), ("From", "missing-from"), ("Message-ID", "missing-message-id")):
        if name.lower() not in first:
            add(code, f"missing {name}: header")
    if "mime-version" not in first and ("content-type" in first or re.search(rb"[\x80-\xff]", raw)):
        add("missing-mime-version", "missing MIME-Version: header (Content-Type or 8-bit data present)")

    for part, path, ctype in parts:
        if path != "0":
            pcounts = {}
            for k, v in part.raw_items():
                pcounts[k.lower()] = pcounts.get(k.lower(), 0) + 1
                if re.search(r"[^\x00-\x7f]", k + str(v)):
                    add("part-header-8bit", f"part {path}: 8-bit data in header {k}")
            for k in PART_SINGLETONS:
                if pcounts.get(k, 0) > 1:
                    add("duplicate-header", f"part {path}: header {k} occurs {pcounts[k]} times")
        if ctype.startswith("text/") and part.get_param("charset") is None:
            add("text-without-charset", f"part {path} ({ctype}) has no charset parameter")
        if not is_leaf(part, ctype):
            continue
        cte = str(part.get("Content-Transfer-Encoding", "7bit")).strip().lower()
        if cte == "7bit":
            payload = part.get_payload(decode=False)
            if isinstance(payload, str) and re.search(r"[^\x00-\x7f]", payload):
                add("declared-7bit-with-8bit", f"part {path} is declared 7bit but contains 8-bit data")
    return found


def check(raw):
    msg = PARSER.parsebytes(raw)
    parts = list(walk(msg))
    leaves = [leaf_report(p, path, ct) for p, path, ct in parts if is_leaf(p, ct)]  # decoding adds defects
    # With policy.default every items()/get() parses the field anew, and parsing
    # address lists is what costs time: the top-level fields are parsed once here.
    top = msg.items()
    first = {}
    for name, value in top:
        first.setdefault(name.lower(), value)
    defects = []
    for part, path, _ in parts:
        for name, value in top if path == "0" else part.items():
            for d in getattr(value, "defects", ()):
                defects.append(defect_entry(d, path, name))
        for d in part.defects:
            defects.append(defect_entry(d, path))
    date_h = first.get("date")
    dt = getattr(date_h, "datetime", None) if date_h is not None else None
    mid = first.get("message-id")
    found = raw_checks(raw, msg, parts, first)
    return {
        "ok": not defects and not found,
        "defects": defects,
        "rawChecks": found,
        "headers": {
            "subject": text_or_none(first.get("subject")),
            "from": addresses(first.get("from")),
            "sender": addresses(first.get("sender")),
            "to": addresses(first.get("to")),
            "cc": addresses(first.get("cc")),
            "replyTo": addresses(first.get("reply-to")),
            "bcc": addresses(first.get("bcc")),
            "date": text_or_none(date_h),
            "dateIso": dt.isoformat() if dt is not None else None,
            "messageId": None if mid is None else str(mid).strip(),
            # Every top-level field name in order, as Python split the header block.
            "names": [name for name, _ in top],
            # Every top-level field as [name, decoded value] (RFC 2047 words decoded).
            "fields": [[name, str(value)] for name, value in top],
        },
        "parts": leaves,
    }


def safe_check(raw):
    try:
        return check(raw)
    except Exception as e:  # noqa: BLE001 - one bad message must not kill the worker
        return {"ok": False, "error": f"{type(e).__name__}: {e}"}


def serve():
    stdin = sys.stdin.buffer
    out = sys.stdout
    out.write(json.dumps({"ready": True, "python": sys.version.split()[0]}) + "\n")
    out.flush()
    while True:
        head = stdin.read(8)
        if len(head) < 8:
            return 0
        (n,) = struct.unpack(">Q", head)
        raw = stdin.read(n)
        if len(raw) < n:
            return 0
        out.write(json.dumps(safe_check(raw), ensure_ascii=True) + "\n")
        out.flush()


def human(path, r):
    print(f"== {path}")
    if "error" in r:
        print(f"ERROR: {r['error']}")
        return
    for k, v in r["headers"].items():
        if v is not None:
            print(f"{k}: {v!r}")
    for p in r["parts"]:
        print(f"-- part {p['path']}: {p['contentType']} charset={p['charset']!r} cte={p['cte']!r}"
              f" disposition={p['disposition']!r} filename={p['filename']!r} cid={p['cid']!r}")
        if "text" in p:
            t = p["text"]
            print("   text: " + repr(t if len(t) < 400 else t[:400] + "..."))
        elif "size" in p:
            print(f"   {p['size']} bytes")
        if p.get("charsetError"):
            print("   (does not decode with its charset)")
    print("python defects:" + ("" if r["defects"] else " none"))
    for d in r["defects"]:
        where = f"part {d['part']}" + (f" header {d['header']}" if d["header"] else "")
        print(f"  - {where}: {d['type']}: {d['message']}")
    print("raw checks:" + ("" if r["rawChecks"] else " none"))
    for c in r["rawChecks"]:
        print(f"  - [{c['code']}] {c['message']}")


def main(argv):
    if "--serve" in argv:
        return serve()
    as_json = "--json" in argv
    files = [a for a in argv if not a.startswith("--")]
    if not files:
        print(__doc__, file=sys.stderr)
        return 2
    status = 0
    for f in files:
        try:
            with open(f, "rb") as fh:
                raw = fh.read()
        except OSError as e:
            print(e, file=sys.stderr)
            return 2
        r = safe_check(raw)
        if as_json:
            print(json.dumps(dict(r, file=f), ensure_ascii=False))
        else:
            human(f, r)
        if not r.get("ok"):
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
