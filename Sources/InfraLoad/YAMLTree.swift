import InfraModel

/// A small YAML tree for the tool's own vocabulary files (capabilities, standards,
/// baseline) and a user's `--baseline FILE`. Inventories never go through a tree:
/// they are parsed straight from events.
public indirect enum YAMLNode: Sendable {
    case scalar(String, TextPosition)
    case sequence([YAMLNode], TextPosition)
    case mapping([(key: String, value: YAMLNode)], TextPosition)

    public var position: TextPosition {
        switch self {
        case .scalar(_, let p), .sequence(_, let p), .mapping(_, let p): p
        }
    }

    public var text: String? {
        if case .scalar(let s, _) = self { return s }
        return nil
    }

    public var list: [YAMLNode]? {
        if case .sequence(let items, _) = self { return items }
        return nil
    }

    public subscript(key: String) -> YAMLNode? {
        if case .mapping(let pairs, _) = self { return pairs.first { $0.key == key }?.value }
        return nil
    }

    public var keys: [String] {
        if case .mapping(let pairs, _) = self { return pairs.map(\.key) }
        return []
    }

    /// Parses one YAML document into a tree (same limits and tag rules as inventories).
    public static func parse(_ text: String, limits: ReadLimits = .standard) throws(ReadError) -> YAMLNode {
        var bytes = Array(text.utf8)
        return try bytes.withUnsafeMutableBufferPointer { buffer throws(ReadError) -> YAMLNode in
            let reader = EventReader(bytes: UnsafeBufferPointer(buffer), limits: limits)
            _ = try reader.next()  // stream start
            let doc = try reader.next()
            guard doc.kind == .documentStart else { return .mapping([], TextPosition(line: 1, column: 1)) }
            let root = try node(try reader.next(), reader)
            // Read to the end so that trailing garbage or a second document is an error too.
            while true {
                let e = try reader.next()
                if e.kind == .streamEnd { break }
                if e.kind == .documentStart {
                    throw ReadError(rule: .multipleDocuments, message: "a second YAML document starts here", position: e.position)
                }
            }
            if let problem = reader.tagProblems.first { throw problem }
            return root
        }
    }

    private static func node(_ e: Event, _ reader: EventReader) throws(ReadError) -> YAMLNode {
        switch e.kind {
        case .scalar:
            return .scalar(e.text, e.position)
        case .sequenceStart:
            var items: [YAMLNode] = []
            while true {
                let n = try reader.next()
                if n.kind == .sequenceEnd { break }
                items.append(try node(n, reader))
            }
            return .sequence(items, e.position)
        case .mappingStart:
            var pairs: [(key: String, value: YAMLNode)] = []
            while true {
                let k = try reader.next()
                if k.kind == .mappingEnd { break }
                guard k.kind == .scalar else {
                    throw ReadError(rule: .wrongType, message: "a key must be plain text", position: k.position)
                }
                pairs.append((k.text, try node(try reader.next(), reader)))
            }
            return .mapping(pairs, e.position)
        default:
            throw ReadError(rule: .yamlSyntax, message: "unexpected YAML structure", position: e.position)
        }
    }
}
