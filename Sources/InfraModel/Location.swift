/// A 1-based line and column in a YAML file. Kept small (two Int32) because the
/// loader stores one for every value it keeps.
public struct TextPosition: Hashable, Sendable, Comparable {
    public var line: Int32
    public var column: Int32

    public init(line: Int, column: Int) {
        self.line = Int32(clamping: line)
        self.column = Int32(clamping: column)
    }

    public static let unknown = TextPosition(line: 0, column: 0)
    public var isKnown: Bool { line > 0 }

    public static func < (a: TextPosition, b: TextPosition) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }
}

/// A value read from a file together with where it was written.
public struct Located<Value> {
    public var value: Value
    public var position: TextPosition

    public init(_ value: Value, at position: TextPosition) {
        self.value = value
        self.position = position
    }
}

extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}
extension Located: Sendable where Value: Sendable {}
