import CYAML
import InfraModel

/// Bounds that keep a hostile file from costing unbounded time or memory.
public struct ReadLimits: Sendable {
    /// Deepest nesting of mappings and sequences accepted.
    public var maxDepth = 64
    /// Events an alias may replay, summed over the file (alias-bomb guard).
    public var maxAliasEvents = 1_000_000
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

    var byteCount: Int { bytes.count }
    nonisolated(unsafe) private static let emptyInput: UnsafePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        p.initialize(to: 0)
        return UnsafePointer(p)
    }()

    init(bytes: UnsafeBufferPointer<UInt8>, limits: ReadLimits) {
        self.bytes = bytes
        self.limits = limits
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
            if aliasEventsReplayed > limits.maxAliasEvents {
                throw ReadError(
                    rule: .yamlLimit,
                    message: "aliases expand to more than \(limits.maxAliasEvents) YAML events (an alias bomb?)",
                    position: event.position,
                    help: "write the values out instead of nesting aliases of aliases")
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
        let position = TextPosition(line: Int(raw.start_mark.line) + 1, column: Int(raw.start_mark.column) + 1)
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
            if s.style == YAML_PLAIN_SCALAR_STYLE { event.classifyPlain(s.value, count: s.length) }
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

    private func syntaxError() -> ReadError {
        let p = parser.pointee
        let problem = p.problem.map { String(cString: $0) } ?? "invalid YAML"
        var position: TextPosition
        var message = problem
        if p.error == YAML_READER_ERROR {
            // Reader errors (bad UTF-8, control characters) carry a byte offset only.
            position = Self.position(ofOffset: p.problem_offset, in: bytes)
            if p.problem_value != -1 {
                let hex = String(p.problem_value, radix: 16, uppercase: true)
                message += " (byte 0x\(hex.count == 1 ? "0" + hex : hex))"
            }
            return ReadError(rule: .fileEncoding, message: message, position: position,
                             help: "save the file as UTF-8 text without control characters")
        }
        position = TextPosition(line: Int(p.problem_mark.line) + 1, column: Int(p.problem_mark.column) + 1)
        // At the end of a file without a final line break libyaml's mark is on the line after
        // the last one, which no editor has: point just past the last character instead.
        if Int(p.problem_mark.index) >= bytes.count, bytes.last != 0x0A, bytes.last != 0x0D {
            position = Self.position(ofOffset: bytes.count, in: bytes)
        }
        // A tab where YAML wants indentation: libyaml says only that the character "cannot
        // start any token". Editors set to tabs make this the commonest YAML mistake.
        let offset = Int(p.problem_mark.index)
        if offset < bytes.count, bytes[offset] == 0x09 {
            return ReadError(rule: .yamlSyntax, message: "a tab character here; YAML indents with spaces only",
                             position: position, help: "replace the tab with spaces (set the editor to indent YAML with spaces)")
        }
        // An unclosed quote is only noticed at the end of the file; point at where it opens.
        if let context = p.context.map({ String(cString: $0) }), context.contains("quoted scalar"), problem.contains("end of stream") {
            position = TextPosition(line: Int(p.context_mark.line) + 1, column: Int(p.context_mark.column) + 1)
            return ReadError(rule: .yamlSyntax, message: "this quoted value is never closed", position: position,
                             help: "add the closing quote")
        }
        // The other common slips, said in the inventory's terms rather than libyaml's.
        switch problem {
        case "mapping values are not allowed in this context":
            // The first ': ' of its line: a key indented deeper than the one above it (whose
            // value it then seems to continue). A later one: a colon inside a value.
            let before = min(offset, bytes.count)
            var lineStart = before
            while lineStart > 0, bytes[lineStart - 1] != 0x0A { lineStart -= 1 }
            let firstOnLine = !(lineStart..<before).contains { bytes[$0] == UInt8(ascii: ":") && $0 + 1 < bytes.count && bytes[$0 + 1] == 0x20 }
            if firstOnLine {
                var keyStart = lineStart
                while keyStart < before, bytes[keyStart] == 0x20 { keyStart += 1 }
                return ReadError(rule: .yamlSyntax, message: "this key is indented deeper than the key above it",
                                 position: TextPosition(line: Int(position.line), column: keyStart - lineStart + 1),
                                 help: "indent it like its siblings (keys of one mapping start in the same column)")
            }
            return ReadError(rule: .yamlSyntax, message: "': ' inside an unquoted value (YAML reads it as the start of another key)",
                             position: position, help: "put the whole value in quotes, e.g. `name: \"Arkiv: e-arkiv\"`")
        case "could not find expected ':'":
            // Noticed only on a later line; the key without its colon starts at the context mark.
            return ReadError(rule: .yamlSyntax, message: "this line has no ': ' after its key",
                             position: TextPosition(line: Int(p.context_mark.line) + 1, column: Int(p.context_mark.column) + 1),
                             help: "write `key: value`, with a space after the colon")
        case "found character that cannot start any token" where offset < bytes.count && (bytes[offset] == UInt8(ascii: "@") || bytes[offset] == UInt8(ascii: "`")):
            let character = bytes[offset] == UInt8(ascii: "@") ? "@" : "`"
            return ReadError(rule: .yamlSyntax, message: "an unquoted value cannot start with `\(character)` (YAML reserves it)",
                             position: position, help: "put the value in quotes")
        default:
            break
        }
        if let context = p.context.map({ String(cString: $0) }) {
            message = "\(problem) \(context) at line \(p.context_mark.line + 1)"
        }
        return ReadError(rule: .yamlSyntax, message: message, position: position,
                         help: "fix the YAML at this position (indentation, a missing ':' or an unclosed quote or bracket)")
    }

    static func position(ofOffset offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> TextPosition {
        var line = 1, column = 1
        var i = 0
        let end = min(offset, bytes.count)
        while i < end {
            // Line breaks as libyaml counts them (its marks are the other positions reported):
            // LF, CR LF, and a CR alone.
            if bytes[i] == 10 || (bytes[i] == 13 && (i + 1 >= bytes.count || bytes[i + 1] != 10)) {
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

    private static func string(_ p: UnsafeMutablePointer<yaml_char_t>) -> String {
        String(cString: UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self))
    }
}
