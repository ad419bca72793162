import CYAML
#if canImport(Glibc)
import Glibc
#endif
import InfraModel

/// Bounds that keep a hostile file from costing unbounded time or memory.
public struct ReadLimits: Sendable {
    /// Deepest nesting of mappings and sequences accepted.
    public var maxDepth = 64
    /// Events an alias may replay, summed over the file (alias-bomb guard).
    public var maxAliasEvents = 1_000_000
    /// Text aliases may repeat, in bytes, summed over the file: a 1 MB value used 900 times
    /// is few events, yet 900 MB in every report that prints it.
    public var maxAliasBytes = 16 << 20
    /// Longest scalar accepted, in bytes.
    public var maxScalarBytes = 1 << 20
    /// Largest file read at all.
    public var maxFileBytes = 64 << 20

    public init() {}
    public static let standard = ReadLimits()
}

/// A problem that stops reading a file: the rest of it cannot be trusted.
public struct ReadError: Error, Sendable {
    public var rule: RuleID
    public var message: String
    public var position: TextPosition
    public var help: String?
    /// What the break did to the lines above it, whose findings are then its doing (the
    /// loader drops them: `withoutFindingsItCaused`).
    public var aftermath: Aftermath?

    public enum Aftermath: Sendable {
        /// The broken line was read as the continuation of the value on the line above (a
        /// key indented deeper): what was found wrong with that value.
        case continuesLineAbove
        /// The broken line ended the list item above it early (a key at the column of the
        /// list's `-`): the item's missing fields.
        case endsItemAbove
    }

    public init(rule: RuleID, message: String, position: TextPosition, help: String? = nil) {
        self.rule = rule
        self.message = message
        self.position = position
        self.help = help
    }
}

/// One libyaml event, copied out of the parser so it can be recorded and replayed.
struct Event {
    enum Kind: UInt8 {
        case streamStart, streamEnd, documentStart, documentEnd
        case scalar, sequenceStart, sequenceEnd, mappingStart, mappingEnd, alias
    }

    var kind: Kind
    /// A scalar spelled like one of the format's keys (its text is then the key's name).
    var key: Key = .other
    private var ownText: String = ""
    /// A plain (unquoted) scalar: the only kind that can mean null.
    var plain = false
    /// A plain scalar spelled as YAML's null (empty, `~`, `null`, `Null`, `NULL`); set from the bytes.
    private(set) var null = false
    /// A plain `<<`: a merge key.
    private(set) var mergeKey = false
    var position: TextPosition

    init(kind: Kind, position: TextPosition) {
        self.kind = kind
        self.position = position
    }

    /// Scalar text; the anchor name for an alias.
    var text: String {
        get { key == .other ? ownText : key.name }
        set {
            ownText = newValue
            key = .other
        }
    }

    var isNull: Bool { kind == .scalar && null }

    /// Null and merge-key spellings, decided on libyaml's bytes so no String is compared.
    mutating func classifyPlain(_ p: UnsafePointer<UInt8>?, count: Int) {
        plain = true
        guard let p else {
            null = true
            return
        }
        switch count {
        case 0: null = true
        case 1: null = p[0] == UInt8(ascii: "~")
        case 2: mergeKey = p[0] == UInt8(ascii: "<") && p[1] == UInt8(ascii: "<")
        case 4:
            let word = UInt32(p[0]) | UInt32(p[1]) << 8 | UInt32(p[2]) << 16 | UInt32(p[3]) << 24
            null = word == Self.nullLower || word == Self.nullTitle || word == Self.nullUpper
        default: break
        }
    }

    private static let nullLower = UInt32(0x6c6c_756e)  // "null" little-endian
    private static let nullTitle = UInt32(0x6c6c_754e)  // "Null"
    private static let nullUpper = UInt32(0x4c4c_554e)  // "NULL"
}

/// Reads libyaml's event stream and hands out events with anchors and aliases
/// already expanded (within budget), tags vetted and depth bounded. Nothing here
/// builds a tree: the inventory parser consumes events as they come.
final class EventReader {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let bytes: UnsafeBufferPointer<UInt8>
    private let limits: ReadLimits
    private var depth = 0
    private var aliasEventsReplayed = 0
    private var aliasBytesReplayed = 0
    private var anchors: [String: [Event]] = [:]
    /// Anchored nodes being recorded, innermost last, with the depth they started at.
    private var recordings: [(name: String, depth: Int, events: [Event])] = []
    /// Aliases being replayed, innermost last.
    private var replays: [(events: [Event], next: Int)] = []
    private var pending: Event?
    /// The anchor (`&name`) of the event `parseOne` read last.
    private var parsedAnchor: String?
    /// Custom tags seen. Not fatal while reading, so that other YAML using tags
    /// (CloudFormation's !Ref) can still be recognised as "not an inventory" and skipped.
    private(set) var tagProblems: [ReadError] = []
    /// Where each of libyaml's lines starts in the file's own lines, when they differ (`LineMap`).
    private let lines: LineMap?

    var byteCount: Int { bytes.count }
    nonisolated(unsafe) private static let emptyInput: UnsafePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        p.initialize(to: 0)
        return UnsafePointer(p)
    }()

    init(bytes: UnsafeBufferPointer<UInt8>, limits: ReadLimits) {
        self.bytes = bytes
        self.limits = limits
        lines = LineMap(bytes)
        parser = .allocate(capacity: 1)
        yaml_parser_initialize(parser)
        // libyaml asserts on a null input pointer, which an empty buffer may have.
        yaml_parser_set_input_string(parser, bytes.baseAddress ?? Self.emptyInput, bytes.count)
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
    }

    /// Looks at the next event without consuming it.
    func peek() throws(ReadError) -> Event {
        if let pending { return pending }
        let e = try next()
        pending = e
        return e
    }

    func next() throws(ReadError) -> Event {
        if let e = pending {
            pending = nil
            return e
        }
        if var top = replays.popLast() {
            let event = top.events[top.next]
            top.next += 1
            if top.next < top.events.count { replays.append(top) }
            aliasEventsReplayed += 1
            if event.kind == .scalar { aliasBytesReplayed += event.text.utf8.count }
            if let (message, help) = aliasLimitExceeded() {
                throw ReadError(rule: .yamlLimit, message: message, position: event.position, help: help)
            }
            try track(event)
            return event
        }
        let raw = try parseOne()
        // Most events have no alias, anchor or recording to mind: they skip the bookkeeping
        // (a few hundred instructions an event).
        if raw.kind != .alias, parsedAnchor == nil, recordings.isEmpty {
            try trackDepth(raw)
            return raw
        }
        if raw.kind == .alias {
            guard let recorded = anchors[raw.text] else {
                throw ReadError(rule: .yamlSyntax, message: "alias *\(raw.text) refers to no anchor defined before it",
                                position: raw.position, help: "define &\(raw.text) before using *\(raw.text)")
            }
            replays.append((recorded, 0))
            return try next()
        }
        if let anchor = parsedAnchor {
            recordings.append((anchor, depth, []))
        }
        try track(raw)
        return raw
    }

    /// What aliases have replayed so far beyond a limit, if they have: events (an alias bomb)
    /// or text.
    private func aliasLimitExceeded() -> (message: String, help: String)? {
        if aliasEventsReplayed > limits.maxAliasEvents {
            return ("aliases expand to more than \(limits.maxAliasEvents) YAML events (an alias bomb?)",
                    "write the values out instead of nesting aliases of aliases")
        }
        if aliasBytesReplayed > limits.maxAliasBytes {
            return ("aliases repeat more than \(limits.maxAliasBytes >> 20) MiB of text",
                    "shorten the anchored text, or write it once and refer to it (an item's notes, a link)")
        }
        return nil
    }

    /// Depth bookkeeping and anchor recording for every event handed out.
    private func track(_ event: Event) throws(ReadError) {
        try trackDepth(event)
        guard !recordings.isEmpty else { return }
        for i in recordings.indices {
            recordings[i].events.append(event)
        }
        // A recording ends when its node is complete: a scalar at the depth it
        // started, or the end event that brings depth back to where it started.
        while let last = recordings.last, depth == last.depth,
              event.kind == .scalar || event.kind == .sequenceEnd || event.kind == .mappingEnd {
            recordings.removeLast()
            anchors[last.name] = last.events
        }
        if recordings.reduce(0, { $0 + $1.events.count }) > limits.maxAliasEvents * 4 {
            throw ReadError(rule: .yamlLimit, message: "anchored values are too large to keep",
                            position: event.position, help: "anchor smaller values")
        }
    }

    /// Nesting depth, bounded.
    @inline(__always)
    private func trackDepth(_ event: Event) throws(ReadError) {
        switch event.kind {
        case .sequenceStart, .mappingStart:
            depth += 1
            if depth > limits.maxDepth {
                throw ReadError(rule: .yamlLimit, message: "nesting is deeper than \(limits.maxDepth) levels",
                                position: event.position, help: "an inventory needs only a few levels; flatten this value")
            }
        case .sequenceEnd, .mappingEnd:
            depth -= 1
        default:
            break
        }
    }

    /// Pulls one event out of libyaml and copies what we need; its anchor, if any, goes to
    /// `parsedAnchor`.
    private func parseOne() throws(ReadError) -> Event {
        var raw = yaml_event_t()
        guard yaml_parser_parse(parser, &raw) == 1 else { throw syntaxError() }
        defer { yaml_event_delete(&raw) }
        let position = position(raw.start_mark)
        var anchor: UnsafeMutablePointer<yaml_char_t>?
        var tag: UnsafeMutablePointer<yaml_char_t>?
        var event = Event(kind: .streamEnd, position: position)
        switch raw.type {
        case YAML_STREAM_START_EVENT: event.kind = .streamStart
        case YAML_STREAM_END_EVENT: event.kind = .streamEnd
        case YAML_DOCUMENT_START_EVENT: event.kind = .documentStart
        case YAML_DOCUMENT_END_EVENT: event.kind = .documentEnd
        case YAML_SEQUENCE_END_EVENT: event.kind = .sequenceEnd
        case YAML_MAPPING_END_EVENT: event.kind = .mappingEnd
        case YAML_ALIAS_EVENT:
            event.kind = .alias
            event.text = Self.string(raw.data.alias.anchor)
        case YAML_SCALAR_EVENT:
            event.kind = .scalar
            let s = raw.data.scalar
            anchor = s.anchor
            tag = s.tag
            if s.length > limits.maxScalarBytes {
                throw ReadError(rule: .yamlLimit,
                                message: "a value of \(s.length) bytes is longer than the \(limits.maxScalarBytes)-byte limit",
                                position: position, help: "inventory values are short text; move long documents elsewhere and link to them")
            }
            if let bytes = s.value {
                event.key = Key.match(bytes, count: s.length)
                if event.key == .other {
                    event.text = String(decoding: UnsafeBufferPointer(start: bytes, count: s.length), as: UTF8.self)
                }
            }
            if s.style == YAML_PLAIN_SCALAR_STYLE {
                event.classifyPlain(s.value, count: s.length)
            } else if raw.end_mark.line != raw.start_mark.line, s.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE || s.style == YAML_SINGLE_QUOTED_SCALAR_STYLE {
                lastMultilineQuote = (raw.start_mark, raw.end_mark)
            }
        case YAML_SEQUENCE_START_EVENT:
            event.kind = .sequenceStart
            anchor = raw.data.sequence_start.anchor
            tag = raw.data.sequence_start.tag
        case YAML_MAPPING_START_EVENT:
            event.kind = .mappingStart
            anchor = raw.data.mapping_start.anchor
            tag = raw.data.mapping_start.tag
        default:
            throw ReadError(rule: .yamlSyntax, message: "unexpected YAML event", position: position)
        }
        if let tag, let problem = vet(tag: Self.string(tag), kind: event.kind, at: position) {
            tagProblems.append(problem)
        }
        parsedAnchor = anchor.map { Self.string($0) }
        return event
    }

    /// Only YAML's own core tags are allowed; anything else (`!include`,
    /// `!!python/object…`) would ask a loader to do something, and infra never does.
    private func vet(tag: String, kind: Event.Kind, at position: TextPosition) -> ReadError? {
        let core = "tag:yaml.org,2002:"
        let allowed: Set<String> = kind == .scalar ? ["str", "int", "float", "bool", "null", "timestamp"]
            : kind == .mappingStart ? ["map"] : ["seq"]
        if tag.hasPrefix(core), allowed.contains(String(tag.dropFirst(core.count))) { return nil }
        if tag == "!" { return nil }  // the non-specific tag: plain text
        let shown = tag.hasPrefix(core) ? "!!" + tag.dropFirst(core.count) : tag
        return ReadError(rule: .customTag, message: "custom tag \(shown) is not allowed",
                        position: position,
                        help: "infra never follows or executes tags; write the value itself")
    }

    /// The text of the line holding `offset`, without its line break.
    private func lineText(at offset: Int) -> String {
        var end = offset
        while end < bytes.count, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[lineStart(of: offset)..<end]), as: UTF8.self)
    }

    /// `key: value` with a colon inside the value, written with the value quoted
    /// (`name: Felanmälan: POB` → `name: "Felanmälan: POB"`); the general example when the
    /// line is not of that shape.
    static func quotedValue(line: String) -> String {
        var text = Substring(line.trimmingCharacters(in: .whitespaces))
        if text.hasPrefix("- ") { text = text.dropFirst(2) }
        guard let colon = text.range(of: ": "), case let key = text[..<colon.lowerBound], !key.isEmpty,
              key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }),  // a plain key, not `{id`
              // A comment after the value stays a comment, outside the quotes.
              case let value = (text[colon.upperBound...].range(of: " #").map { text[colon.upperBound..<$0.lowerBound] } ?? text[colon.upperBound...])
                  .trimmingCharacters(in: .whitespaces), !value.isEmpty,
              !value.hasPrefix("\""), !value.hasPrefix("'") else {
            return "e.g. `name: \"Arkiv: e-arkiv\"`"
        }
        return "`\(key): \(doubleQuoted(value))`"
    }

    /// Where the line holding byte `offset` starts.
    private func lineStart(of offset: Int) -> Int {
        var start = min(offset, bytes.count)
        while start > 0, bytes[start - 1] != 0x0A { start -= 1 }
        return start
    }

    /// A tab where YAML wants indentation, said with what to do.
    private static func tabError(_ what: String, at position: TextPosition) -> ReadError {
        ReadError(rule: .yamlSyntax, message: what + "; YAML indents with spaces only",
                  position: position, help: "replace the tab with spaces (set the editor to indent YAML with spaces)")
    }

    /// The byte a libyaml mark is at: its `index` counts characters, not bytes, so after an
    /// `å` the two part ways.
    private func byteOffset(_ mark: yaml_mark_t) -> Int {
        var characters = Int(mark.index), i = 0
        while characters > 0, i < bytes.count {
            i += 1
            while i < bytes.count, bytes[i] & 0xC0 == 0x80 { i += 1 }
            characters -= 1
        }
        return i
    }

    /// Where the last quoted value that went on over lines opened and closed.
    private var lastMultilineQuote: (start: yaml_mark_t, end: yaml_mark_t)?

    private func syntaxError() -> ReadError {
        let p = parser.pointee
        let problem = p.problem.map { String(cString: $0) } ?? "invalid YAML"
        var position: TextPosition
        var message = problem
        if p.error == YAML_READER_ERROR {
            // Reader errors (bad UTF-8, control characters) carry a byte offset only.
            if problem.contains("UTF-8"), let bad = Self.badUTF8(at: p.problem_offset, in: bytes) {
                return bad
            }
            position = Self.position(ofOffset: p.problem_offset, in: bytes)
            if p.problem_value != -1 { message += " (byte \(Self.hex(p.problem_value)))" }
            return ReadError(rule: .fileEncoding, message: message, position: position,
                             help: "save the file as UTF-8 text without control characters")
        }
        position = self.position(p.problem_mark)
        // At the end of a file without a final line break libyaml's mark is on the line after
        // the last one, which no editor has: point just past the last character instead.
        let offset = byteOffset(p.problem_mark)
        if offset >= bytes.count, bytes.last != 0x0A, bytes.last != 0x0D {
            position = Self.position(ofOffset: bytes.count, in: bytes)
        }
        // A tab where YAML wants indentation: libyaml says only that the character "cannot
        // start any token". Editors set to tabs make this the commonest YAML mistake.
        if offset < bytes.count, bytes[offset] == 0x09 {
            return Self.tabError("a tab character here", at: position)
        }
        // An unclosed quote is only noticed at the end of the file; point at where it opens.
        if let context = p.context.map({ String(cString: $0) }), context.contains("quoted scalar"), problem.contains("end of stream") {
            position = self.position(p.context_mark)
            return ReadError(rule: .yamlSyntax, message: "this quoted value is never closed", position: position,
                             help: "add the closing quote")
        }
        // A quote left open mid-file runs on to the next quote, taking in the lines between;
        // libyaml then stumbles on what follows that quote. Point at where the value opens.
        if let quote = lastMultilineQuote, quote.end.line == p.problem_mark.line {
            let closing = self.position(quote.end)
            return ReadError(rule: .yamlSyntax,
                             message: "this quoted value runs on to line \(closing.line), where the next quote ends it; is its closing quote missing?",
                             position: self.position(quote.start),
                             help: "add the closing quote on this line (a quoted value may go on over lines, but this one takes in the lines below it)")
        }
        // A tab in the indentation that libyaml notices further on (in a value of the line).
        if problem.hasPrefix("found a tab character") {
            var tab = lineStart(of: offset)
            while tab < bytes.count, bytes[tab] != 0x09, bytes[tab] != 0x0A { tab += 1 }
            let at = tab < bytes.count && bytes[tab] == 0x09 ? Self.position(ofOffset: tab, in: bytes) : position
            return Self.tabError("a tab character in the indentation", at: at)
        }
        // An unclosed `[` or `{` is noticed where the next line starts; point at where it opens.
        if let context = p.context.map({ String(cString: $0) }), context.hasPrefix("while parsing a flow "),
           problem.hasPrefix("did not find expected ','") {
            let isList = context.contains("sequence")
            return ReadError(rule: .yamlSyntax,
                             message: "this \(isList ? "`[` list" : "`{` mapping") is not closed on its line, or two of its values have no `,` between them",
                             position: self.position(p.context_mark),
                             help: "close it with `\(isList ? "]" : "}")` (a list or mapping in brackets may go on over lines, with `,` between the values)")
        }
        // The other common slips, said in the inventory's terms rather than libyaml's.
        switch problem {
        case "mapping values are not allowed in this context":
            // The first ': ' of its line: a key indented deeper than the one above it (whose
            // value it then seems to continue). A later one: a colon inside a value.
            let before = min(offset, bytes.count)
            let lineStart = lineStart(of: before)
            let firstOnLine = !(lineStart..<before).contains { bytes[$0] == UInt8(ascii: ":") && $0 + 1 < bytes.count && bytes[$0 + 1] == 0x20 }
            if firstOnLine {
                var keyStart = lineStart
                while keyStart < before, bytes[keyStart] == 0x20 { keyStart += 1 }
                var error = ReadError(rule: .yamlSyntax, message: "this key is indented deeper than the key above it",
                                      position: TextPosition(line: Int(position.line), column: keyStart - lineStart + 1),
                                      help: "indent it like its siblings (keys of one mapping start in the same column)")
                error.aftermath = .continuesLineAbove
                return error
            }
            return ReadError(rule: .yamlSyntax, message: "': ' inside an unquoted value (YAML reads it as the start of another key)",
                             position: position, help: "put the whole value in quotes: " + Self.quotedValue(line: lineText(at: before)))
        case "did not find expected key" where offset < bytes.count && bytes[offset] == UInt8(ascii: "-"):
            // A list item where a key belongs. Most often the items of a starter inventory,
            // uncommented under a layer still written as `services: []`.
            if let above = previousContentLine(before: offset), let key = Self.emptyListKey(above.text) {
                return ReadError(rule: .yamlSyntax,
                                 message: "a list item under `\(key): []` (line \(above.line)), which already says the list is empty",
                                 position: position, help: "delete the `[]` after `\(key):` on line \(above.line), so that the items below belong to it")
            }
            return ReadError(rule: .yamlSyntax, message: "a list item where a key belongs",
                             position: position, help: "put it under the key whose list it is (`services:`, `soft:` or `hard:`), or indent it like the items there")
        case "did not find expected '-' indicator" where offset < bytes.count && bytes[offset] != UInt8(ascii: "-"):
            // A key of an item written at the column of the list's dashes: the item above ended
            // there, so what it lacks (its name, say) is the break's doing.
            var error = ReadError(rule: .yamlSyntax,
                                  message: "this line is at the column of the list's `-`, so it is neither a new item nor a key of the item above",
                                  position: position, help: "indent it like the other keys of the item above (two more spaces), or start a new item with `- `")
            error.aftermath = .endsItemAbove
            return error
        case "did not find expected '-' indicator" where offset + 1 < bytes.count && bytes[offset + 1] != 0x20 && bytes[offset + 1] != 0x0A:
            // `-id: b`: without the space, the dash is part of a key, not a list item's mark.
            return ReadError(rule: .yamlSyntax, message: "a `-` with no space after it does not start a list item",
                             position: position, help: "put a space after the `-` (`- id: …`)")
        case "could not find expected ':'":
            // Noticed only on a later line; the key without its colon starts at the context mark.
            return ReadError(rule: .yamlSyntax, message: "this line has no ': ' after its key",
                             position: self.position(p.context_mark),
                             help: "write `key: value`, with a space after the colon")
        case "found character that cannot start any token" where offset < bytes.count && (bytes[offset] == UInt8(ascii: "@") || bytes[offset] == UInt8(ascii: "`")):
            let character = bytes[offset] == UInt8(ascii: "@") ? "@" : "`"
            return ReadError(rule: .yamlSyntax, message: "an unquoted value cannot start with `\(character)` (YAML reserves it)",
                             position: position, help: "put the value in quotes")
        default:
            break
        }
        if let context = p.context.map({ String(cString: $0) }) {
            message = "\(problem) \(context) at line \(self.position(p.context_mark).line)"
        }
        // On text that follows a U+0085, U+2028 or U+2029 of the same line: YAML read it as a new line.
        if let lines, Int(p.problem_mark.line) < lines.starts.count, lines.starts[Int(p.problem_mark.line)].column > 0 {
            return ReadError(rule: .yamlSyntax, message: message, position: position,
                             help: "a line or paragraph separator (U+2028, U+2029) or U+0085 earlier on this line ends the line for YAML; delete it (text pasted from a word processor often has one)")
        }
        return ReadError(rule: .yamlSyntax, message: message, position: position,
                         help: "fix the YAML at this position (indentation, a missing ':' or an unclosed quote or bracket)")
    }

    /// Bytes that are not UTF-8, told at the byte that starts the broken character. libyaml
    /// points at the byte after it when that one cannot continue it (`Å` in Latin-1 followed
    /// by `n`: at the `n`), one column late. Most such files were saved by an editor in
    /// Latin-1 or Windows-1252: the message shows what the byte is there.
    static func badUTF8(at offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> ReadError? {
        guard offset < bytes.count else { return nil }
        var start = offset
        // Back over continuation bytes (at most three) to a byte that starts a character.
        var back = offset
        while back > 0, offset - back < 3 {
            back -= 1
            if bytes[back] >= 0xC0 {
                start = back
                break
            }
            if bytes[back] < 0x80 { break }
        }
        let byte = bytes[start]
        var message = "this byte (\(hex(Int32(byte)))) is not UTF-8"
        var help = "save the file as UTF-8 (the editor's encoding setting)"
        // 0xA0…0xFF are the same letters and signs in Latin-1 and Windows-1252 (Å Ä Ö å ä ö é …).
        // A start of a UTF-8 character cut short (followed by a byte that continues one) is not.
        // (Only a lead byte, 0xC0 and up, starts a character: 0x80…0xBF continue one.)
        let continued = byte >= 0xC0 && start + 1 < bytes.count && bytes[start + 1] & 0xC0 == 0x80
        if continued {
            message = "a UTF-8 character cut short: byte \(hex(Int32(byte))) starts one that the next bytes do not complete"
        } else if let (scalar, encodings) = Self.windows1252(byte) {
            if Self.holdsUTF8Characters(bytes) {
                // The rest is UTF-8 already (a line pasted from elsewhere): converting the
                // whole file would garble every other å, ä and ö.
                message += "; in \(encodings) it is `\(Character(scalar))`, while the rest of the file is UTF-8"
                help = "type that character again (`\(Character(scalar))`) in an editor saving UTF-8; do not convert the whole file, "
                    + "which would garble its other letters"
            } else {
                message += "; in \(encodings) it is `\(Character(scalar))`, so the file is probably saved in \(encodings == "Windows-1252" ? "it" : "one of those")"
                help = "save the file as UTF-8 (the editor's encoding setting), or convert it: `iconv -f WINDOWS-1252 -t UTF-8 FILE > NEW`"
            }
        }
        return ReadError(rule: .fileEncoding, message: message, position: position(ofOffset: start, in: bytes), help: help)
    }

    /// What a byte that is not UTF-8 is in the encodings Swedish files were saved in before:
    /// 0xA0…0xFF the same letters and signs in Latin-1 and Windows-1252 (Å Ä Ö å ä ö é …),
    /// 0x80…0x9F Windows-1252's own (– — ’ “ ” € …, which a word processor puts in).
    static func windows1252(_ byte: UInt8) -> (Unicode.Scalar, String)? {
        if byte >= 0xA0, let scalar = Unicode.Scalar(UInt32(byte)), scalar.properties.isAlphabetic || byte < 0xC0 {
            return (scalar, "Latin-1 or Windows-1252")
        }
        return windows1252Punctuation[byte].flatMap(Unicode.Scalar.init).map { ($0, "Windows-1252") }
    }

    /// Windows-1252's characters at 0x80…0x9F that a word processor writes.
    private static let windows1252Punctuation: [UInt8: UInt32] = [
        0x80: 0x20AC, 0x82: 0x201A, 0x84: 0x201E, 0x85: 0x2026, 0x91: 0x2018, 0x92: 0x2019,
        0x93: 0x201C, 0x94: 0x201D, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x99: 0x2122,
    ]

    /// Whether the bytes hold a character written in UTF-8 beyond ASCII (a lead byte and
    /// all its continuation bytes): then a stray Latin-1 byte is a pasted character, not
    /// the file's encoding.
    static func holdsUTF8Characters(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 1
            if length > 1, i + length <= bytes.count, (1..<length).allSatisfy({ bytes[i + $0] & 0xC0 == 0x80 }) { return true }
            i += 1
        }
        return false
    }

    /// A byte as `0x0A`.
    static func hex(_ byte: Int32) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return "0x" + (digits.count == 1 ? "0" + digits : digits)
    }

    /// A libyaml mark as a position in the file's own lines (see `LineMap`).
    private func position(_ mark: yaml_mark_t) -> TextPosition {
        let line = Int(mark.line), column = Int(mark.column)
        guard let lines, line < lines.starts.count else { return TextPosition(line: line + 1, column: column + 1) }
        let start = lines.starts[line]
        return TextPosition(line: start.line + 1, column: start.column + column + 1)
    }

    static func position(ofOffset offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> TextPosition {
        var line = 1, column = 1
        var i = 0
        let end = min(offset, bytes.count)
        while i < end {
            if Self.endsLine(at: i, in: bytes) {
                line += 1
                column = 1
            } else if bytes[i] == 13 {
                // The CR of CR LF: the LF ends the line.
            } else if bytes[i] & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        return TextPosition(line: line, column: column)
    }

    /// The nearest line before the one holding `offset` that has more than blanks and a
    /// comment: its text (without a trailing comment) and its number in the file.
    private func previousContentLine(before offset: Int) -> (text: String, line: Int)? {
        var end = offset
        while end > 0, !Self.endsLine(at: end - 1, in: bytes) { end -= 1 }  // the start of the offset's line
        while end > 0 {
            var start = end - 1
            if start > 0, bytes[start] == 0x0A, bytes[start - 1] == 0x0D { start -= 1 }  // CR LF
            let lineEnd = start
            while start > 0, !Self.endsLine(at: start - 1, in: bytes) { start -= 1 }
            var line = Substring(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<lineEnd]), as: UTF8.self))
            // Up to a comment (` #`), without the blanks around it.
            if let hash = line.indices.first(where: { line[$0] == "#" && ($0 == line.startIndex || line[line.index(before: $0)] == " ") }) {
                line = line[..<hash]
            }
            let text = line.trimming { $0 == " " || $0 == "\t" }
            if !text.isEmpty { return (text, Int(Self.position(ofOffset: start, in: bytes).line)) }
            end = start
        }
        return nil
    }

    /// `services: []` → "services": a key whose value is written as an empty list.
    static func emptyListKey(_ line: String) -> String? {
        guard line.hasSuffix("[]"), let colon = line.firstIndex(of: ":") else { return nil }
        let blank = { (c: Character) in c == " " || c == "\t" }
        guard line[line.index(after: colon)...].trimming(where: blank) == "[]" else { return nil }
        let key = line[..<colon].trimming(where: blank)
        return key.isEmpty || key.hasPrefix("-") ? nil : key
    }

    /// Whether the byte at `i` ends a line as libyaml counts lines (its marks are the other
    /// positions reported): an LF, or a CR not followed by an LF (CR LF ends at its LF).
    @inline(__always)
    static func endsLine(at i: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes[i] == 0x0A || (bytes[i] == 0x0D && (i + 1 >= bytes.count || bytes[i + 1] != 0x0A))
    }

    private static func string(_ p: UnsafeMutablePointer<yaml_char_t>) -> String {
        String(cString: UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self))
    }
}

/// libyaml (YAML 1.1) also ends a line at U+0085, U+2028 and U+2029; editors, GitHub and
/// SARIF (its default `newlineSequences`) do not. In a file that has one of them, libyaml's
/// line numbers run ahead of everyone else's from there on: this maps each of libyaml's
/// lines to the file's line and column it starts at. Nil for the other files (nearly all).
struct LineMap {
    /// Per libyaml line (0-based): the file's line (0-based) and the column (code points,
    /// 0-based) where it starts.
    var starts: [(line: Int, column: Int)] = [(0, 0)]

    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard Self.hasExtraBreak(bytes) else { return nil }
        var line = 0, column = 0
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if EventReader.endsLine(at: i, in: bytes) {
                line += 1
                column = 0
                starts.append((line, 0))
            } else if b == 0xC2, i + 1 < bytes.count, bytes[i + 1] == 0x85 {
                column += 1
                starts.append((line, column))
                i += 1
            } else if b == 0xE2, i + 2 < bytes.count, bytes[i + 1] == 0x80, bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9 {
                column += 1
                starts.append((line, column))
                i += 2
            } else if b != 0x0D, b & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
    }

    /// Whether the text has a NEL (C2 85), LS (E2 80 A8) or PS (E2 80 A9): memchr for their
    /// first bytes, which are rare in inventories (Å is C3 85, – is E2 80 93).
    static func hasExtraBreak(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        for (lead, ends) in [(UInt8(0xC2), [[UInt8(0x85)]]), (0xE2, [[0x80, 0xA8], [0x80, 0xA9]])] {
            var offset = 0
            while offset < bytes.count, let hit = memchr(base + offset, Int32(lead), bytes.count - offset) {
                let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                for end in ends where at + end.count < bytes.count && end.indices.allSatisfy({ bytes[at + 1 + $0] == end[$0] }) {
                    return true
                }
                offset = at + 1
            }
        }
        return false
    }
}
