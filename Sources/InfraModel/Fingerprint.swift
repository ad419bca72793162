/// A finding's identity across scans: what stays the same when a file is edited, items are
/// moved around or files are renamed, and changes when the problem itself changes.
///
///     fingerprint = FNV-1a 64 (rule ␟ organisation ␟ item ␟ subject), 16 hex digits
///     (␟: the byte 0xFF, never found in UTF-8)
///
/// - The subject is the sorted `related` list when the finding has one (cycles, duplicates,
///   gauge breaks, dependencies on retired items …): those messages list items in graph
///   order, which follows file order.
/// - Otherwise it is the message up to infra's own suggestion (" — did you mean …", which
///   changes when an unrelated id is added or the vocabulary is), normalised: the `DIR/FILE.yaml:LINE` a few messages point
///   to (the other copy of a duplicate id or header) becomes `FILE`, and numbers outside `backticks` and "quotes" become `#` (counts such as
///   "37 services depend on …", dates in "last reviewed 2023-01-02", line numbers in YAML
///   syntax errors). Ids and values the user wrote are quoted, so they still count.
/// - A finding about a group of items names one of them as its item (the first or second in
///   file order). When the item is itself among `related`, organisation and item are left
///   out: the sorted group already says which finding it is.
/// - A finding with no organisation (a file that could not be read as an inventory) has no
///   other anchor than its file, so the file's name (not its directory) is part of its subject.
///
/// Line and column are never part of it.
public enum Fingerprint {
    public static func of(_ f: Finding) -> String {
        let key = identity(f)
        return of(rule: f.rule.rawValue, organisation: key.organisation, item: key.item, subject: key.subject)
    }

    /// The fingerprint of an identity as `identity` gives it.
    public static func of(rule: String, organisation: String, item: String, subject: String) -> String {
        var h = FNV1a64()
        h.add(rule)
        h.separator()
        h.add(organisation)
        h.separator()
        h.add(item)
        h.separator()
        h.add(subject)
        return h.hex
    }

    /// What goes into the fingerprint, in readable form (the baseline file keeps the subject).
    public static func identity(_ f: Finding) -> (organisation: String, item: String, subject: String) {
        let organisation = f.organisation ?? "", item = f.item ?? ""
        if !f.related.isEmpty {
            let subject = f.related.sorted().joined(separator: ", ")
            if f.organisation != nil, f.item != nil, f.related.contains(organisation + "/" + item) {
                return ("", "", subject)
            }
            return (organisation, item, subject)
        }
        var subject = normalise(withoutSuggestion(f.message))
        if f.organisation == nil, let file = f.file { subject = fileName(file) + ": " + subject }
        return (organisation, item, subject)
    }

    /// The message up to " — ", after which infra's messages only ever suggest (`did you
    /// mean`, the item that may be meant).
    public static func withoutSuggestion(_ message: String) -> String {
        var message = message
        // A plain byte search: `firstRange(of:)` cost ~50,000 instructions a message over
        // Characters and ~140,000 over UTF-8 (a tenth of a country save's fingerprinting).
        let cut = message.withUTF8 { bytes -> Int? in
            var i = 0
            while i + 5 <= bytes.count {  // " — ": a space, U+2014 (E2 80 94), a space
                if bytes[i] == 0x20, bytes[i + 1] == 0xE2, bytes[i + 2] == 0x80, bytes[i + 3] == 0x94, bytes[i + 4] == 0x20 {
                    return i
                }
                i += 1
            }
            return nil
        }
        return cut.map { String(decoding: message.utf8.prefix($0), as: UTF8.self) } ?? message
    }

    /// The last component of a path: the same file named from another directory, or with
    /// `./` before it, has the same fingerprint.
    static func fileName(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return String(trimmed.split(separator: "/").last ?? trimmed)
    }

    /// What a `DIR/FILE.yaml:LINE` pointer in a message becomes.
    public static let filePlaceholder = "FILE"

    /// The message without file pointers (`FILE`) and with unquoted numbers replaced by `#`.
    /// Works on UTF-8 bytes: every character it looks at is ASCII.
    public static func normalise(_ message: String) -> String {
        let bytes = Array(message.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        @inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        // A letter of any script: ASCII letters, and every byte of a non-ASCII character.
        @inline(__always) func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A || b >= 0x80 }
        func endsWithYAMLExtension() -> Bool {
            out.count >= 4 && (out.suffix(5).elementsEqual(".yaml".utf8) || out.suffix(4).elementsEqual(".yml".utf8))
        }
        var i = 0
        var quote: UInt8 = 0  // inside `…` or "…"
        while i < bytes.count {
            let c = bytes[i]
            if quote != 0 {
                out.append(c)
                if c == quote { quote = 0 }
                i += 1
            } else if c == 0x60 || c == 0x22 {
                quote = c
                out.append(c)
                i += 1
            } else if c == 0x3A, i + 1 < bytes.count, isDigit(bytes[i + 1]), endsWithYAMLExtension() {
                // DIR/FILE.yaml:12 → FILE: which file holds the other copy of a duplicate
                // changes when items move between files or a file is renamed, and the
                // directory with where the scan ran from; the duplicate stays the same.
                // The pointer follows " in " (its file name may hold spaces), else a space.
                let marker = Array(" in ".utf8)
                let afterIn = (0...max(0, out.count - marker.count)).reversed().first { out[$0...].starts(with: marker) }
                let tokenStart = afterIn.map { $0 + marker.count } ?? (out.lastIndex(of: 0x20) ?? -1) + 1
                out.removeSubrange(tokenStart...)
                out.append(contentsOf: Self.filePlaceholder.utf8)
                i += 1
                while i < bytes.count, isDigit(bytes[i]) { i += 1 }
            } else if isDigit(c) {
                // A number glued to letters (a name such as h264 or ipv6) stays.
                let glued = out.last.map(isLetter) ?? false
                if !glued { out.append(0x23) }
                while i < bytes.count, isDigit(bytes[i]) {
                    if glued { out.append(bytes[i]) }
                    i += 1
                }
            } else {
                out.append(c)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// FNV-1a, 64 bits: small, fast, and stable across platforms and Swift versions
/// (unlike `Hasher`, which is seeded per process).
public struct FNV1a64 {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    public init() {}

    public mutating func add(_ s: String) {
        for byte in s.utf8 {
            value ^= UInt64(byte)
            value = value &* Self.prime
        }
    }

    /// A byte that never occurs in UTF-8 text, between fields, so "ab"+"c" ≠ "a"+"bc".
    mutating func separator() {
        value ^= 0xFF
        value = value &* Self.prime
    }

    public var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
